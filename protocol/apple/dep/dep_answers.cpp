#include "protocol/apple/dep/dep_answers.hpp"

#include <nlohmann/json.hpp>

#include <array>

#include "protocol/json/strict_json.hpp"

namespace mdmlab::apple::dep {
using nlohmann::json;

namespace {
Result<json> object_answer(std::string_view body) {
  auto j = parse_strict_json(body);
  if (!j) return make_error("bad_answer", "not JSON: " + j.error().message);
  if (!j->is_object()) return make_error("bad_answer", "the answer is not a JSON object");
  return j;
}

// The string at `key`, "" when absent or null; an error when it is another type.
Result<std::string> text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return make_error("bad_answer", std::string(key) + " is not a string");
  return it->get<std::string>();
}

Result<DepDevice> device(const json& j) {
  if (!j.is_object()) return make_error("bad_answer", "a device is not an object");
  DepDevice d;
  d.os.clear();
  d.device_family.clear();
  d.profile_status.clear();
  const std::array<std::pair<const char*, std::string*>, 14> fields = {{
      {"serial_number", &d.serial_number},
      {"model", &d.model},
      {"description", &d.description},
      {"color", &d.color},
      {"asset_tag", &d.asset_tag},
      {"os", &d.os},
      {"device_family", &d.device_family},
      {"profile_status", &d.profile_status},
      {"profile_uuid", &d.profile_uuid},
      {"profile_assign_time", &d.profile_assign_time},
      {"profile_push_time", &d.profile_push_time},
      {"device_assigned_date", &d.device_assigned_date},
      {"device_assigned_by", &d.device_assigned_by},
      {"op_type", &d.op_type},
  }};
  for (const auto& [key, field] : fields) {
    auto v = text(j, key);
    if (!v) return v.error();
    *field = std::move(*v);
  }
  auto op_date = text(j, "op_date");
  if (!op_date) return op_date.error();
  d.op_date = std::move(*op_date);
  if (d.serial_number.empty()) return make_error("bad_answer", "a device has no serial_number");
  return d;
}
}  // namespace

std::string encode_fetch_request(const FetchRequest& r) {
  json j{{"limit", r.limit}};
  if (r.cursor) j["cursor"] = *r.cursor;
  return j.dump();
}

std::string encode_serials_request(const SerialsRequest& r) {
  json j{{"devices", r.devices}};
  if (!r.profile_uuid.empty()) j["profile_uuid"] = r.profile_uuid;
  return j.dump();
}

Result<std::string> parse_session_answer(std::string_view body) {
  auto j = object_answer(body);
  if (!j) return j.error();
  auto token = text(*j, "auth_session_token");
  if (!token) return token.error();
  if (token->empty()) return make_error("bad_answer", "no auth_session_token");
  return token;
}

Result<FetchResponse> parse_fetch_response(std::string_view body) {
  auto j = object_answer(body);
  if (!j) return j.error();
  FetchResponse r;
  auto cursor = text(*j, "cursor");
  if (!cursor) return cursor.error();
  r.cursor = std::move(*cursor);
  auto until = text(*j, "fetched_until");
  if (!until) return until.error();
  r.fetched_until = std::move(*until);
  if (auto it = j->find("more_to_follow"); it != j->end() && !it->is_null()) {
    if (!it->is_boolean()) return make_error("bad_answer", "more_to_follow is not a boolean");
    r.more_to_follow = it->get<bool>();
  }
  if (auto it = j->find("devices"); it != j->end() && !it->is_null()) {
    if (!it->is_array()) return make_error("bad_answer", "devices is not an array");
    for (const auto& d : *it) {
      auto parsed = device(d);
      if (!parsed) return parsed.error();
      r.devices.push_back(std::move(*parsed));
    }
  }
  return r;
}

Result<ProfileResult> parse_profile_result(std::string_view body) {
  auto j = object_answer(body);
  if (!j) return j.error();
  ProfileResult r;
  auto uuid = text(*j, "profile_uuid");
  if (!uuid) return uuid.error();
  r.profile_uuid = std::move(*uuid);
  if (auto it = j->find("devices"); it != j->end() && !it->is_null()) {
    if (!it->is_object()) return make_error("bad_answer", "devices is not an object");
    for (const auto& [serial, outcome] : it->items()) {
      if (!outcome.is_string()) return make_error("bad_answer", "a device result is not a string");
      r.devices[serial] = outcome.get<std::string>();
    }
  }
  return r;
}

Result<Account> parse_account(std::string_view body) {
  auto j = object_answer(body);
  if (!j) return j.error();
  Account a;
  const std::array<std::pair<const char*, std::string*>, 11> fields = {{
      {"server_name", &a.server_name},
      {"server_uuid", &a.server_uuid},
      {"admin_id", &a.admin_id},
      {"org_name", &a.org_name},
      {"org_email", &a.org_email},
      {"org_phone", &a.org_phone},
      {"org_address", &a.org_address},
      {"org_id", &a.org_id},
      {"org_id_hash", &a.org_id_hash},
      {"org_type", &a.org_type},
      {"org_version", &a.org_version},
  }};
  for (const auto& [key, field] : fields) {
    auto v = text(*j, key);
    if (!v) return v.error();
    *field = std::move(*v);
  }
  if (a.server_uuid.empty()) return make_error("bad_answer", "the account has no server_uuid");
  return a;
}

}  // namespace mdmlab::apple::dep
