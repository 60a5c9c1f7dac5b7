#include "simulators/devices/mac/command_responder.hpp"

#include <algorithm>

#include "protocol/apple/profile.hpp"

namespace mdmlab::simulators::mac {
using mdmlab::apple::CommandStatus;

namespace {
CommandOutcome error(std::int64_t code, const std::string& domain, const std::string& text) {
  CommandOutcome o;
  o.status = CommandStatus::error;
  o.error_chain.push_back({code, domain, text, text});
  return o;
}
}  // namespace

plist::Value CommandResponder::device_information(const plist::Value& command) const {
  plist::Value all;
  all.set("UDID", identity_.udid)
      .set("SerialNumber", identity_.serial_number)
      .set("Model", identity_.model)
      .set("ModelName", identity_.model_name)
      .set("ProductName", identity_.model)
      .set("OSVersion", identity_.os_version)
      .set("BuildVersion", identity_.build_version)
      .set("DeviceName", identity_.device_name)
      .set("IsSupervised", false)
      .set("IsActivationLockEnabled", false)
      .set("AvailableDeviceCapacity", 201.5)
      .set("DeviceCapacity", 494.38);
  const auto* queries = command.find("Queries");
  if (!queries || !queries->array()) return all;
  plist::Value out{plist::Dict{}};
  for (const auto& q : *queries->array()) {
    if (!q.string()) continue;
    if (const auto* v = all.find(*q.string())) out.set(*q.string(), *v);
  }
  return out;
}

CommandOutcome CommandResponder::answer(const mdmlab::apple::Command& command) {
  const auto type = command.request_type();
  const auto& c = command.command;
  CommandOutcome o;
  if (type == "DeviceInformation") {
    o.fields.set("QueryResponses", device_information(c));
  } else if (type == "SecurityInfo") {
    plist::Value info;
    plist::Value firewall;
    firewall.set("FirewallEnabled", true).set("BlockAllIncoming", false).set("StealthMode", false);
    plist::Value fde;
    fde.set("FDE_Enabled", true).set("FDE_HasPersonalRecoveryKey", true);
    info.set("SystemIntegrityProtectionEnabled", true)
        .set("FirewallSettings", firewall)
        .set("FDE_Enabled", true)
        .set("AuthenticatedRootVolumeEnabled", true)
        .set("SecureBoot", plist::Value(plist::Dict{{"SecureBootLevel", plist::Value("full")}}));
    o.fields.set("SecurityInfo", info);
  } else if (type == "ProfileList") {
    plist::Array list;
    for (const auto& p : profiles_) {
      plist::Value item;
      item.set("PayloadIdentifier", p.identifier)
          .set("PayloadUUID", p.uuid)
          .set("PayloadDisplayName", p.display_name)
          .set("PayloadVersion", 1)
          .set("IsManaged", true);
      list.push_back(std::move(item));
    }
    o.fields.set("ProfileList", plist::Value(std::move(list)));
  } else if (type == "InstallProfile") {
    const auto* payload = c.find("Payload");
    if (!payload || !payload->data())
      return error(4001, "MCProfileErrorDomain", "The profile is missing");
    auto profile = mdmlab::apple::decode_profile(to_string(*payload->data()));
    if (!profile) return error(1000, "MCProfileErrorDomain", "The profile could not be read");
    profiles_.erase(std::remove_if(profiles_.begin(), profiles_.end(),
                                   [&](const InstalledProfile& p) {
                                     return p.identifier == profile->identifier;
                                   }),
                    profiles_.end());
    profiles_.push_back({profile->identifier, profile->uuid, profile->display_name});
  } else if (type == "RemoveProfile") {
    auto identifier = c.string_or("Identifier");
    auto before = profiles_.size();
    profiles_.erase(
        std::remove_if(profiles_.begin(), profiles_.end(),
                       [&](const InstalledProfile& p) { return p.identifier == identifier; }),
        profiles_.end());
    if (profiles_.size() == before)
      return error(4000, "MCProfileErrorDomain", "The profile is not installed");
  } else if (type == "InstalledApplicationList") {
    plist::Array apps;
    for (auto [name, id, version] :
         {std::tuple{"Safari", "com.apple.Safari", "17.5"},
          std::tuple{"Xcode", "com.apple.dt.Xcode", "15.4"},
          std::tuple{"Slack", "com.tinyspeck.slackmacgap", "4.38.125"}}) {
      plist::Value app;
      app.set("Name", name)
          .set("Identifier", id)
          .set("ShortVersion", version)
          .set("Version", version)
          .set("BundleSize", std::int64_t{104857600})
          .set("Installing", false);
      apps.push_back(std::move(app));
    }
    o.fields.set("InstalledApplicationList", plist::Value(std::move(apps)));
  } else if (type == "DeviceLock") {
    locked_ = true;
  } else if (type == "EraseDevice") {
    erased_ = true;
  } else {
    return error(12021, "MCMDMErrorDomain", "Unknown command: " + type);
  }
  return o;
}

}  // namespace mdmlab::simulators::mac
