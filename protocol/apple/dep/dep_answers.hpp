// The DEP API from the MDM server's side: the requests it writes and Apple's answers it reads
// (the simulator's side is dep_messages.hpp). Answers are read leniently about keys Apple may
// add and strictly about the types of the keys we use: a device without a serial number, a
// cursor that is not a string or a result that is not a string is a bad answer.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "protocol/apple/dep/dep_messages.hpp"

namespace mdmlab::apple::dep {

// {"cursor": ..., "limit": ...} (no cursor key when absent).
std::string encode_fetch_request(const FetchRequest& r);
// {"profile_uuid": ..., "devices": [...]} ("profile_uuid" omitted when empty).
std::string encode_serials_request(const SerialsRequest& r);

// GET /session: {"auth_session_token": "..."} (non-empty).
Result<std::string> parse_session_answer(std::string_view body);
// POST /server/devices and /devices/sync.
Result<FetchResponse> parse_fetch_response(std::string_view body);
// POST /profile and PUT/POST/DELETE /profile/devices: {"profile_uuid": ..., "devices":
// {"SERIAL": "SUCCESS" | "NOT_ACCESSIBLE" | "FAILED"}} (profile_uuid absent on DELETE).
struct ProfileResult {
  std::string profile_uuid;
  std::map<std::string, std::string> devices;
};
Result<ProfileResult> parse_profile_result(std::string_view body);
// GET /account (server_uuid required).
Result<Account> parse_account(std::string_view body);

}  // namespace mdmlab::apple::dep
