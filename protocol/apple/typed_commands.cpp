#include "protocol/apple/typed_commands.hpp"

#include <algorithm>

namespace mdmlab::apple {
using nlohmann::json;

namespace {
Error bad(const std::string& type, const std::string& why) {
  return make_error("bad_command", type + ": " + why);
}

Result<plist::Array> strings(const std::string& type, const json& params, const char* key) {
  plist::Array out;
  const auto& a = params[key];
  if (!a.is_array()) return bad(type, std::string(key) + " must be an array of strings");
  for (const auto& s : a) {
    if (!s.is_string() || s.get<std::string>().empty())
      return bad(type, std::string(key) + " must be an array of strings");
    out.push_back(plist::Value(s.get<std::string>()));
  }
  return out;
}

Result<std::string> optional_string(const std::string& type, const json& params, const char* key) {
  if (!params.contains(key)) return std::string();
  if (!params[key].is_string()) return bad(type, std::string(key) + " must be a string");
  return params[key].get<std::string>();
}

bool six_digits(const std::string& pin) {
  return pin.size() == 6 &&
         std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const std::vector<std::string> kDefaultQueries = {"DeviceName",   "OSVersion", "BuildVersion",
                                                  "ModelName",    "Model",     "ProductName",
                                                  "SerialNumber", "UDID"};
}  // namespace

const std::vector<std::string>& typed_command_names() {
  static const std::vector<std::string> names = {
      "DeviceInformation",        "SecurityInfo", "ProfileList", "InstallProfile", "RemoveProfile",
      "InstalledApplicationList", "DeviceLock",   "EraseDevice"};
  return names;
}

Result<plist::Value> build_typed_command(const std::string& type, const json& params_in) {
  const json params = params_in.is_null() ? json::object() : params_in;
  if (!params.is_object()) return bad(type, "params must be an object");
  const auto& names = typed_command_names();
  if (std::find(names.begin(), names.end(), type) == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    return make_error("bad_command",
                      "unknown command type '" + type + "' (typed commands: " + known + ")");
  }
  plist::Value c{plist::Dict{}};
  c.set("RequestType", type);
  if (type == "DeviceInformation") {
    plist::Array queries;
    if (params.contains("queries")) {
      auto q = strings(type, params, "queries");
      if (!q) return q.error();
      queries = std::move(*q);
    } else {
      for (const auto& q : kDefaultQueries) queries.push_back(plist::Value(q));
    }
    c.set("Queries", plist::Value(std::move(queries)));
  } else if (type == "InstallProfile") {
    Bytes payload;
    if (params.contains("profile") && params["profile"].is_string()) {
      auto p = params["profile"].get<std::string>();
      payload.assign(p.begin(), p.end());
    } else if (params.contains("payload_base64") && params["payload_base64"].is_string()) {
      auto d = base64_decode(params["payload_base64"].get<std::string>());
      if (!d) return bad(type, "payload_base64 is not base64");
      payload = std::move(*d);
    } else {
      return bad(type, "give profile (string) or payload_base64");
    }
    if (payload.empty()) return bad(type, "the profile is empty");
    c.set("Payload", plist::Value(std::move(payload)));
  } else if (type == "RemoveProfile") {
    auto id = optional_string(type, params, "identifier");
    if (!id) return id.error();
    if (id->empty()) return bad(type, "identifier (string) is required");
    c.set("Identifier", *id);
  } else if (type == "InstalledApplicationList") {
    if (params.contains("identifiers")) {
      auto ids = strings(type, params, "identifiers");
      if (!ids) return ids.error();
      c.set("Identifiers", plist::Value(std::move(*ids)));
    }
    if (params.contains("managed_apps_only")) {
      if (!params["managed_apps_only"].is_boolean())
        return bad(type, "managed_apps_only must be a boolean");
      c.set("ManagedAppsOnly", params["managed_apps_only"].get<bool>());
    }
  } else if (type == "DeviceLock" || type == "EraseDevice") {
    auto pin = optional_string(type, params, "pin");
    if (!pin) return pin.error();
    if (!pin->empty()) {
      if (!six_digits(*pin)) return bad(type, "pin must be 6 digits");
      c.set("PIN", *pin);
    }
    if (type == "DeviceLock") {
      for (auto [key, plist_key] :
           {std::pair{"message", "Message"}, std::pair{"phone_number", "PhoneNumber"}}) {
        auto v = optional_string(type, params, key);
        if (!v) return v.error();
        if (!v->empty()) c.set(plist_key, *v);
      }
    } else if (params.contains("preserve_data_plan")) {
      if (!params["preserve_data_plan"].is_boolean())
        return bad(type, "preserve_data_plan must be a boolean");
      c.set("PreserveDataPlan", params["preserve_data_plan"].get<bool>());
    }
  }
  return c;
}

}  // namespace mdmlab::apple
