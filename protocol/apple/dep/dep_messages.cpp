#include "protocol/apple/dep/dep_messages.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

#include "protocol/json/strict_json.hpp"

namespace mdmlab::apple::dep {
using nlohmann::json;

namespace {
void put(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

Result<std::vector<std::string>> strings(const json& v, const std::string& key) {
  if (!v.is_array()) return make_error("bad_request", key + " is not an array");
  std::vector<std::string> out;
  for (const auto& s : v) {
    if (!s.is_string()) return make_error("bad_request", key + " holds a non-string");
    out.push_back(s.get<std::string>());
  }
  return out;
}

Result<json> object_body(std::string_view body) {
  auto j = parse_strict_json(body);
  if (!j) return make_error("bad_request", "not JSON: " + j.error().message);
  if (!j->is_object()) return make_error("bad_request", "the body is not a JSON object");
  return j;
}
}  // namespace

json to_json(const DepDevice& d) {
  json j{{"serial_number", d.serial_number}, {"model", d.model}};
  put(j, "description", d.description);
  put(j, "color", d.color);
  put(j, "asset_tag", d.asset_tag);
  put(j, "os", d.os);
  put(j, "device_family", d.device_family);
  put(j, "profile_status", d.profile_status);
  put(j, "profile_uuid", d.profile_uuid);
  put(j, "profile_assign_time", d.profile_assign_time);
  put(j, "profile_push_time", d.profile_push_time);
  put(j, "device_assigned_date", d.device_assigned_date);
  put(j, "device_assigned_by", d.device_assigned_by);
  put(j, "op_type", d.op_type);
  put(j, "op_date", d.op_date);
  return j;
}

Result<FetchRequest> parse_fetch_request(std::string_view body) {
  FetchRequest r;
  if (body.empty()) return r;
  auto j = object_body(body);
  if (!j) return j.error();
  for (const auto& [key, value] : j->items()) {
    if (key == "cursor") {
      if (!value.is_string()) return make_error("bad_request", "cursor is not a string");
      if (!value.get<std::string>().empty()) r.cursor = value.get<std::string>();
    } else if (key == "limit") {
      if (!value.is_number_integer()) return make_error("bad_request", "limit is not an integer");
      auto limit = value.get<std::int64_t>();
      if (limit < 1) return make_error("bad_request", "limit must be at least 1");
      r.limit = static_cast<int>(std::min<std::int64_t>(limit, kMaxLimit));
    } else {
      return make_error("bad_request", "unknown key " + key);
    }
  }
  return r;
}

std::string encode_fetch_response(const FetchResponse& r) {
  json devices = json::array();
  for (const auto& d : r.devices) devices.push_back(to_json(d));
  return json{{"cursor", r.cursor},
              {"devices", devices},
              {"fetched_until", r.fetched_until},
              {"more_to_follow", r.more_to_follow}}
      .dump();
}

Result<DepProfile> parse_profile(std::string_view body) {
  auto j = object_body(body);
  if (!j) return j.error();
  DepProfile p;
  const std::array<std::pair<const char*, std::string*>, 10> texts = {{
      {"profile_name", &p.profile_name},
      {"url", &p.url},
      {"configuration_web_url", &p.configuration_web_url},
      {"department", &p.department},
      {"org_magic", &p.org_magic},
      {"language", &p.language},
      {"region", &p.region},
      {"support_phone_number", &p.support_phone_number},
      {"support_email_address", &p.support_email_address},
      {"profile_uuid", nullptr},
  }};
  const std::array<std::pair<const char*, bool*>, 8> flags = {{
      {"is_supervised", &p.is_supervised},
      {"is_mdm_removable", &p.is_mdm_removable},
      {"is_mandatory", &p.is_mandatory},
      {"await_device_configured", &p.await_device_configured},
      {"allow_pairing", &p.allow_pairing},
      {"is_multi_user", &p.is_multi_user},
      {"auto_advance_setup", &p.auto_advance_setup},
      {"do_not_use_profile_from_backup", nullptr},
  }};
  const std::array<std::pair<const char*, std::vector<std::string>*>, 4> lists = {{
      {"anchor_certs", &p.anchor_certs},
      {"supervising_host_certs", &p.supervising_host_certs},
      {"skip_setup_items", &p.skip_setup_items},
      {"devices", &p.devices},
  }};
  for (const auto& [key, value] : j->items()) {
    bool known = false;
    for (const auto& [name, field] : texts)
      if (key == name) {
        if (!value.is_string()) return make_error("bad_request", key + " is not a string");
        if (field) *field = value.get<std::string>();
        known = true;
      }
    for (const auto& [name, field] : flags)
      if (key == name) {
        if (!value.is_boolean()) return make_error("bad_request", key + " is not a boolean");
        if (field) *field = value.get<bool>();
        known = true;
      }
    for (const auto& [name, field] : lists)
      if (key == name) {
        auto list = strings(value, key);
        if (!list) return list.error();
        *field = std::move(*list);
        known = true;
      }
    if (!known) return make_error("bad_request", "unknown profile key " + key);
  }
  if (p.profile_name.empty()) return make_error("bad_request", "profile_name is required");
  if (p.url.empty()) return make_error("bad_request", "url is required");
  return p;
}

json to_json(const DepProfile& p) {
  json j{{"profile_name", p.profile_name},
         {"url", p.url},
         {"is_supervised", p.is_supervised},
         {"is_mdm_removable", p.is_mdm_removable},
         {"is_mandatory", p.is_mandatory},
         {"await_device_configured", p.await_device_configured},
         {"allow_pairing", p.allow_pairing},
         {"is_multi_user", p.is_multi_user},
         {"auto_advance_setup", p.auto_advance_setup},
         {"anchor_certs", p.anchor_certs},
         {"supervising_host_certs", p.supervising_host_certs},
         {"skip_setup_items", p.skip_setup_items}};
  put(j, "configuration_web_url", p.configuration_web_url);
  put(j, "department", p.department);
  put(j, "org_magic", p.org_magic);
  put(j, "language", p.language);
  put(j, "region", p.region);
  put(j, "support_phone_number", p.support_phone_number);
  put(j, "support_email_address", p.support_email_address);
  return j;
}

std::string encode_profile_result(const std::string& profile_uuid,
                                  const std::map<std::string, std::string>& devices) {
  return json{{"profile_uuid", profile_uuid}, {"devices", devices}}.dump();
}

Result<SerialsRequest> parse_serials_request(std::string_view body, bool needs_profile_uuid) {
  auto j = object_body(body);
  if (!j) return j.error();
  SerialsRequest r;
  for (const auto& [key, value] : j->items()) {
    if (key == "devices") {
      auto list = strings(value, key);
      if (!list) return list.error();
      r.devices = std::move(*list);
    } else if (key == "profile_uuid") {
      if (!value.is_string()) return make_error("bad_request", "profile_uuid is not a string");
      r.profile_uuid = value.get<std::string>();
    } else {
      return make_error("bad_request", "unknown key " + key);
    }
  }
  if (r.devices.empty()) return make_error("bad_request", "devices is empty");
  if (r.devices.size() > kMaxLimit) return make_error("bad_request", "more than 1000 devices");
  if (needs_profile_uuid && r.profile_uuid.empty())
    return make_error("bad_request", "profile_uuid is required");
  return r;
}

std::string encode_account(const Account& a) {
  json j{{"server_name", a.server_name}, {"server_uuid", a.server_uuid},
         {"admin_id", a.admin_id},       {"org_name", a.org_name},
         {"org_email", a.org_email},     {"org_phone", a.org_phone},
         {"org_address", a.org_address}, {"org_id", a.org_id},
         {"org_id_hash", a.org_id_hash}, {"org_type", a.org_type},
         {"org_version", a.org_version}};
  return j.dump();
}

}  // namespace mdmlab::apple::dep
