#include "simulators/devices/mac/command_responder.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "protocol/apple/command_table.hpp"

namespace mdmlab::simulators::mac {
using mdmlab::apple::CommandStatus;

namespace {

CommandOutcome error(std::int64_t code, const std::string& domain, const std::string& text) {
  CommandOutcome o;
  o.status = CommandStatus::error;
  o.error_chain.push_back({code, domain, text, text});
  return o;
}

CommandOutcome acknowledged(plist::Value fields = {}) {
  CommandOutcome o;
  o.fields = std::move(fields);
  return o;
}

const std::string* string_at(const plist::Value& dict, std::string_view key) {
  const auto* v = dict.find(key);
  return v ? v->string() : nullptr;
}

// The strings of an array-of-strings key, or nullopt when the key is absent.
std::optional<std::vector<std::string>> strings_at(const plist::Value& dict, std::string_view key) {
  const auto* v = dict.find(key);
  if (!v || !v->array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& s : *v->array())
    if (s.string()) out.push_back(*s.string());
  return out;
}

bool wanted(const std::optional<std::vector<std::string>>& filter, const std::string& id) {
  return !filter || std::find(filter->begin(), filter->end(), id) != filter->end();
}

// What ProfileList says about one payload; nullopt if the payload lacks its identity keys.
std::optional<plist::Value> payload_summary(const plist::Value& payload) {
  const auto* type = string_at(payload, "PayloadType");
  const auto* id = string_at(payload, "PayloadIdentifier");
  const auto* uuid = string_at(payload, "PayloadUUID");
  if (!type || !id || !uuid) return std::nullopt;
  const auto* version = payload.find("PayloadVersion");
  plist::Value out;
  out.set("PayloadType", *type)
      .set("PayloadVersion", version && version->integer() ? *version->integer() : 1)
      .set("PayloadIdentifier", *id)
      .set("PayloadUUID", *uuid);
  for (const char* key : {"PayloadDisplayName", "PayloadDescription", "PayloadOrganization"})
    if (const auto* s = string_at(payload, key)) out.set(key, *s);
  return out;
}

// The certificate a root / pkcs1 / pem payload carries.
std::optional<crypto::Certificate> payload_certificate(const plist::Value& payload) {
  const auto type = payload.string_or("PayloadType");
  const auto* content = payload.find("PayloadContent");
  if (!content || !content->data()) return std::nullopt;
  if (type == "com.apple.security.root" || type == "com.apple.security.pkcs1") {
    auto c = crypto::Certificate::from_der(*content->data());
    if (c) return *c;
  }
  if (type == "com.apple.security.pem" || type == "com.apple.security.root") {
    auto c = crypto::Certificate::from_pem(to_string(*content->data()));
    if (c) return *c;
  }
  return std::nullopt;
}

std::string sanitized_host_name(const std::string& name) {
  std::string out;
  for (char ch : name) {
    if (std::isalnum(static_cast<unsigned char>(ch)))
      out += ch;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "Mac" : out;
}

}  // namespace

CommandResponder::CommandResponder(const MacIdentity& identity)
    : identity_(identity),
      device_name_(identity.device_name),
      host_name_(sanitized_host_name(identity.device_name) + ".local"),
      local_host_name_(sanitized_host_name(identity.device_name)) {
  MacUser user;
  user.short_name = identity.user_short_name.empty() ? "mdmlab" : identity.user_short_name;
  user.full_name = identity.user_long_name.empty() ? "mdmlab User" : identity.user_long_name;
  user.guid = identity.user_id.empty() ? "7B1F6C3A-0E3E-4D7A-9A51-3C2B9D6E0F11" : identity.user_id;
  user.logged_in = true;
  users_.push_back(std::move(user));
  for (auto [name, id, version, size] :
       {std::tuple{"Safari", "com.apple.Safari", "17.5", std::int64_t{104857600}},
        std::tuple{"Xcode", "com.apple.dt.Xcode", "15.4", std::int64_t{11811160064}},
        std::tuple{"Slack", "com.tinyspeck.slackmacgap", "4.38.125", std::int64_t{367001600}}})
    apps_.push_back({id, name, version, version, size});
}

void CommandResponder::add_profile(InstalledProfile p) {
  profiles_.erase(
      std::remove_if(profiles_.begin(), profiles_.end(),
                     [&](const InstalledProfile& q) { return q.identifier == p.identifier; }),
      profiles_.end());
  profiles_.push_back(std::move(p));
}

void CommandResponder::add_certificate(const crypto::Certificate& cert, bool is_identity,
                                       std::string profile_identifier) {
  if (cert.empty()) return;
  auto der = cert.to_der();
  for (const auto& c : certificates_)
    if (c.der == der) return;
  certificates_.push_back(
      {cert.common_name(), std::move(der), is_identity, std::move(profile_identifier)});
}

void CommandResponder::note_enrollment(const mdmlab::apple::Profile& profile,
                                       const crypto::Certificate& identity_certificate,
                                       const Bytes& push_token) {
  InstalledProfile p{profile.identifier, profile.uuid, profile.display_name, profile.organization};
  for (const auto& payload : profile.payloads)
    if (auto s = payload_summary(payload)) p.payloads.push_back(std::move(*s));
  if (profile.signed_by_cms && !profile.signer.empty()) p.signer = profile.signer.to_der();
  add_profile(std::move(p));
  add_certificate(identity_certificate, true, profile.identifier);
  for (const auto& root : profile.roots)
    add_certificate(root.certificate, false, profile.identifier);
  push_token_ = push_token;
}

InstalledApp* CommandResponder::find_app(const std::string& identifier) {
  for (auto& a : apps_)
    if (a.identifier == identifier) return &a;
  return nullptr;
}

CommandOutcome CommandResponder::answer(const mdmlab::apple::Command& command) {
  const auto type = command.request_type();
  const auto* spec = mdmlab::apple::find_macos_command(type);
  if (!spec || mdmlab::apple::compare_os_versions(identity_.os_version, spec->macos_introduced) < 0)
    return error(12021, "MCMDMErrorDomain", "Unknown command: " + type);
  plist::Value c = command.command;
  // Servers that send DeviceInformation without Queries get every answerable query (as this
  // simulator always did), instead of the CommandFormatError the schema would allow.
  if (type == "DeviceInformation" && !c.find("Queries") && c.is_dict()) {
    const auto answers = all_device_information();
    plist::Array all;
    for (const auto& [k, v] : *answers.dict()) all.push_back(k);
    c.set("Queries", plist::Value(std::move(all)));
  }
  if (auto checked = mdmlab::apple::check_request(c); !checked) {
    CommandOutcome o;
    o.status = CommandStatus::command_format_error;
    o.error_chain.push_back(
        {12001, "MCMDMErrorDomain", checked.error().message, checked.error().message});
    return o;
  }

  if (type == "InstallProfile") return install_profile(c);
  if (type == "RemoveProfile") return remove_profile(c);
  if (type == "InstallApplication") return install_application(c, false);
  if (type == "InstallEnterpriseApplication") return install_application(c, true);
  plist::Value fields;
  if (type == "ProfileList") {
    fields = profile_list();
  } else if (type == "CertificateList") {
    fields = certificate_list();
  } else if (type == "InstalledApplicationList") {
    fields = installed_application_list(c);
  } else if (type == "ManagedApplicationList") {
    fields = managed_application_list(c);
  } else if (type == "ManagedApplicationConfiguration") {
    fields = managed_application_configuration(c);
  } else if (type == "RemoveApplication") {
    const auto id = c.string_or("Identifier");
    apps_.erase(std::remove_if(apps_.begin(), apps_.end(),
                               [&](const InstalledApp& a) { return a.identifier == id; }),
                apps_.end());
    app_configurations_.erase(id);
  } else if (type == "Settings") {
    fields = settings(c);
  } else if (type == "DeviceLock") {
    locked_ = true;
    lock_pin_ = c.string_or("PIN");
    lock_message_ = c.string_or("Message");
    if (c.find("Message") || c.find("PhoneNumber")) fields.set("MessageResult", "Success");
  } else if (type == "EraseDevice") {
    erased_ = true;
  } else {
    fields = answer_other(type, c);
  }
  return acknowledged(std::move(fields));
}

CommandOutcome CommandResponder::install_profile(const plist::Value& c) {
  const auto* payload = c.find("Payload");
  auto profile = mdmlab::apple::decode_profile(to_string(*payload->data()));
  if (!profile) return error(1000, "MCProfileErrorDomain", "The profile could not be read");
  InstalledProfile p{profile->identifier, profile->uuid, profile->display_name,
                     profile->organization};
  for (const auto& item : profile->payloads) {
    if (auto s = payload_summary(item)) p.payloads.push_back(std::move(*s));
    if (auto cert = payload_certificate(item)) add_certificate(*cert, false, profile->identifier);
  }
  for (const auto& root : profile->roots)
    add_certificate(root.certificate, false, profile->identifier);
  if (profile->signed_by_cms && !profile->signer.empty()) p.signer = profile->signer.to_der();
  add_profile(std::move(p));
  return acknowledged();
}

CommandOutcome CommandResponder::remove_profile(const plist::Value& c) {
  auto identifier = c.string_or("Identifier");
  auto before = profiles_.size();
  profiles_.erase(
      std::remove_if(profiles_.begin(), profiles_.end(),
                     [&](const InstalledProfile& p) { return p.identifier == identifier; }),
      profiles_.end());
  if (profiles_.size() == before)
    return error(4000, "MCProfileErrorDomain", "The profile is not installed");
  certificates_.erase(std::remove_if(certificates_.begin(), certificates_.end(),
                                     [&](const DeviceCertificate& d) {
                                       return d.profile_identifier == identifier;
                                     }),
                      certificates_.end());
  return acknowledged();
}

plist::Value CommandResponder::profile_list() const {
  plist::Array list;
  for (const auto& p : profiles_) {
    plist::Value item;
    item.set("PayloadIdentifier", p.identifier)
        .set("PayloadUUID", p.uuid)
        .set("PayloadDisplayName", p.display_name)
        .set("PayloadVersion", 1);
    if (!p.organization.empty()) item.set("PayloadOrganization", p.organization);
    if (!p.description.empty()) item.set("PayloadDescription", p.description);
    item.set("PayloadRemovalDisallowed", false)
        .set("HasRemovalPasscode", false)
        .set("IsEncrypted", false);
    if (!p.signer.empty()) item.set("SignerCertificates", plist::Value(plist::Array{p.signer}));
    if (!p.payloads.empty()) item.set("PayloadContent", plist::Value(plist::Array(p.payloads)));
    list.push_back(std::move(item));
  }
  plist::Value out;
  out.set("ProfileList", plist::Value(std::move(list)));
  return out;
}

plist::Value CommandResponder::certificate_list() const {
  // Every certificate here came with a profile the MDM installed, so ManagedOnly changes
  // nothing.
  plist::Array list;
  for (const auto& c : certificates_) {
    plist::Value item;
    item.set("CommonName", c.common_name).set("IsIdentity", c.is_identity).set("Data", c.der);
    list.push_back(std::move(item));
  }
  plist::Value out;
  out.set("CertificateList", plist::Value(std::move(list)));
  return out;
}

CommandOutcome CommandResponder::install_application(const plist::Value& c, bool enterprise) {
  InstalledApp app;
  if (enterprise) {
    // The manifest's first item names the app (bundle-identifier, bundle-version, title).
    const auto* manifest = c.find("Manifest");
    const auto* items = manifest ? manifest->find("items") : nullptr;
    if (items && items->array() && !items->array()->empty()) {
      const auto* meta = items->array()->front().find("metadata");
      if (meta) {
        app.identifier = meta->string_or("bundle-identifier");
        app.version = app.short_version = meta->string_or("bundle-version");
        app.name = meta->string_or("title");
      }
    }
  } else {
    app.identifier = c.string_or("Identifier");
    if (const auto* id = c.find("iTunesStoreID"); id && app.identifier.empty())
      app.identifier = "com.apple.appstore.id" + std::to_string(*id->integer());
  }
  if (app.identifier.empty()) {
    // Only a ManifestURL: the app is named after the manifest file.
    auto url = c.string_or("ManifestURL");
    auto slash = url.find_last_of('/');
    auto base = url.substr(slash == std::string::npos ? 0 : slash + 1);
    base = base.substr(0, base.find('.'));
    if (base.empty()) {
      if (enterprise)
        return error(12030, "MCMDMErrorDomain", "The application manifest could not be read");
      CommandOutcome o;
      o.fields.set("State", "Failed").set("RejectionReason", "NotAnApp");
      return o;
    }
    app.identifier = "com.example." + base;
  }
  if (app.name.empty()) app.name = app.identifier.substr(app.identifier.find_last_of('.') + 1);
  if (app.version.empty()) app.version = app.short_version = "1.0";
  app.bundle_size = 52428800;
  app.managed = true;
  if (const auto* flags = c.find("ManagementFlags")) app.management_flags = *flags->integer();
  if (const auto* config = c.find("Configuration")) app_configurations_[app.identifier] = *config;
  if (auto* existing = find_app(app.identifier)) {
    existing->managed = true;
    existing->management_flags = app.management_flags;
  } else {
    apps_.push_back(app);
  }
  plist::Value fields;
  if (!enterprise) fields.set("Identifier", app.identifier).set("State", "Managed");
  return acknowledged(std::move(fields));
}

plist::Value CommandResponder::installed_application_list(const plist::Value& c) const {
  const auto filter = strings_at(c, "Identifiers");
  const bool managed_only = c.find("ManagedAppsOnly") && *c.find("ManagedAppsOnly")->boolean();
  plist::Array list;
  for (const auto& a : apps_) {
    if (!wanted(filter, a.identifier) || (managed_only && !a.managed)) continue;
    plist::Value item;
    item.set("Name", a.name)
        .set("Identifier", a.identifier)
        .set("ShortVersion", a.short_version)
        .set("Version", a.version)
        .set("BundleSize", a.bundle_size)
        .set("Installing", false)
        .set("HasUpdateAvailable", false);
    list.push_back(std::move(item));
  }
  plist::Value out;
  out.set("InstalledApplicationList", plist::Value(std::move(list)));
  return out;
}

plist::Value CommandResponder::managed_application_list(const plist::Value& c) const {
  const auto filter = strings_at(c, "Identifiers");
  plist::Value apps{plist::Dict{}};
  for (const auto& a : apps_) {
    if (!a.managed || !wanted(filter, a.identifier)) continue;
    plist::Value item;
    item.set("Status", "Managed")
        .set("ManagementFlags", a.management_flags)
        .set("HasConfiguration", app_configurations_.count(a.identifier) > 0)
        .set("HasFeedback", false)
        .set("ExternalVersionIdentifier", 0);
    apps.set(a.identifier, std::move(item));
  }
  plist::Value out;
  out.set("ManagedApplicationList", std::move(apps));
  return out;
}

plist::Value CommandResponder::managed_application_configuration(const plist::Value& c) const {
  plist::Array list;
  for (const auto& id : strings_at(c, "Identifiers").value_or(std::vector<std::string>{})) {
    plist::Value item;
    item.set("Identifier", id);
    if (auto it = app_configurations_.find(id); it != app_configurations_.end())
      item.set("Configuration", it->second);
    list.push_back(std::move(item));
  }
  plist::Value out;
  out.set("ApplicationConfigurations", plist::Value(std::move(list)));
  return out;
}

plist::Value CommandResponder::settings(const plist::Value& c) {
  plist::Array errors;
  for (const auto& item : *c.find("Settings")->array()) {
    const auto kind = item.string_or("Item");
    if (kind == "DeviceName") {
      device_name_ = item.string_or("DeviceName");
      local_host_name_ = sanitized_host_name(device_name_);
    } else if (kind == "HostName") {
      host_name_ = item.string_or("HostName");
    } else if (kind == "Bluetooth") {
      bluetooth_ = *item.find("Enabled")->boolean();
    } else if (kind == "OrganizationInfo") {
      if (const auto* info = item.find("OrganizationInfo"))
        organization_info_ = *info;
      else
        organization_info_.reset();
    } else if (kind == "MDMOptions") {
      mdm_options_ = *item.find("MDMOptions");
    } else if (kind == "ApplicationConfiguration") {
      const auto id = item.string_or("Identifier");
      if (const auto* config = item.find("Configuration"))
        app_configurations_[id] = *config;
      else
        app_configurations_.erase(id);
    } else {
      const auto text = "The setting " + kind + " is not supported on macOS";
      plist::Value e;
      e.set("ErrorCode", 12021)
          .set("ErrorDomain", "MCMDMErrorDomain")
          .set("LocalizedDescription", text)
          .set("USEnglishDescription", text);
      errors.push_back(std::move(e));
    }
  }
  plist::Value result;
  result.set("Status", errors.empty() ? "Acknowledged" : "Error");
  if (!errors.empty()) result.set("ErrorChain", plist::Value(std::move(errors)));
  plist::Value out;
  out.set("Settings", std::move(result));
  return out;
}

}  // namespace mdmlab::simulators::mac
