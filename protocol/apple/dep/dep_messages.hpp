// The DEP API's JSON bodies (Apple's device assignment API for Apple Business Manager, as
// nanodep's godep schema names them): devices in the organisation, fetch and sync pages with
// their cursors, ADE profiles, assignment results and the account. Requests a server sends are
// parsed strictly (types checked, unknown profile keys refused); answers are written as Apple
// writes them. Pure value types.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.hpp"

namespace mdmlab::apple::dep {

// 400 bodies of the device listing calls.
inline constexpr const char* kExhaustedCursor = "EXHAUSTED_CURSOR";
inline constexpr const char* kInvalidCursor = "INVALID_CURSOR";
inline constexpr const char* kExpiredCursor = "EXPIRED_CURSOR";
inline constexpr int kDefaultLimit = 100;
inline constexpr int kMaxLimit = 1000;

struct DepDevice {
  std::string serial_number, model, description, color, asset_tag;
  std::string os = "OSX", device_family = "Mac";
  std::string profile_status = "empty";  // empty, assigned, pushed, removed
  std::string profile_uuid;
  std::string profile_assign_time, profile_push_time;  // RFC 3339, "" when none
  std::string device_assigned_date, device_assigned_by;
  // In /devices/sync answers: what happened to it, and when.
  std::string op_type, op_date;  // added, modified, deleted
};
nlohmann::json to_json(const DepDevice& d);

// POST /server/devices and /devices/sync: {"cursor": ..., "limit": ...}.
struct FetchRequest {
  std::optional<std::string> cursor;
  int limit = kDefaultLimit;  // 1..1000 (more is lowered to 1000, as Apple does)
};
Result<FetchRequest> parse_fetch_request(std::string_view body);

struct FetchResponse {
  std::vector<DepDevice> devices;
  std::string cursor;
  std::string fetched_until;  // RFC 3339
  bool more_to_follow = false;
};
std::string encode_fetch_response(const FetchResponse& r);

// An ADE profile (POST /profile): the keys a server may send.
struct DepProfile {
  std::string profile_name, url, configuration_web_url;
  bool is_supervised = false, is_mdm_removable = true, is_mandatory = false;
  bool await_device_configured = false, allow_pairing = true, is_multi_user = false;
  bool auto_advance_setup = false;
  std::string department, org_magic, language, region, support_phone_number, support_email_address;
  std::vector<std::string> anchor_certs, supervising_host_certs, skip_setup_items, devices;
};
Result<DepProfile> parse_profile(std::string_view body);
nlohmann::json to_json(const DepProfile& p);

// Per-serial results: SUCCESS, NOT_ACCESSIBLE, FAILED.
std::string encode_profile_result(const std::string& profile_uuid,
                                  const std::map<std::string, std::string>& devices);

// {"devices": ["SERIAL", ...]} (POST /devices, /devices/disown) and {"profile_uuid": ...,
// "devices": [...]} (PUT/POST/DELETE /profile/devices).
struct SerialsRequest {
  std::string profile_uuid;
  std::vector<std::string> devices;
};
Result<SerialsRequest> parse_serials_request(std::string_view body, bool needs_profile_uuid);

struct Account {
  std::string server_name, server_uuid, admin_id, org_name, org_email, org_phone, org_address,
      org_id, org_id_hash, org_type = "edu", org_version = "v2";
};
std::string encode_account(const Account& a);

}  // namespace mdmlab::apple::dep
