// MDM check-in messages (PUT CheckInURL, Content-Type application/x-apple-aspen-mdm-checkin):
// Authenticate, TokenUpdate, CheckOut, SetBootstrapToken, GetBootstrapToken, UserAuthenticate,
// DeclarativeManagement. Decoding keeps the whole plist so nothing the device sent is lost.
#pragma once

#include <optional>
#include <string>

#include "protocol/plist/value.hpp"

namespace mdmlab::apple {

inline constexpr const char* kCheckinContentType = "application/x-apple-aspen-mdm-checkin";
inline constexpr const char* kCommandContentType = "application/x-apple-aspen-mdm";

enum class CheckinType {
  authenticate,
  token_update,
  check_out,
  set_bootstrap_token,
  get_bootstrap_token,
  user_authenticate,
  declarative_management,
};
std::string_view to_string(CheckinType t);
std::optional<CheckinType> checkin_type_from(std::string_view message_type);

struct Checkin {
  CheckinType type = CheckinType::authenticate;
  std::string udid;  // UDID, or EnrollmentID for user enrollments
  std::string topic;
  std::string user_id;  // UserID for user-channel messages (empty: device channel)
  std::string user_short_name, user_long_name;  // UserShortName, UserLongName (user channel)
  std::optional<std::string> digest_response;   // UserAuthenticate's DigestResponse, if sent
  // Authenticate
  std::string serial_number, model, model_name, os_version, build_version, product_name,
      device_name;
  // TokenUpdate
  Bytes token;
  std::string push_magic;
  Bytes unlock_token;
  std::optional<bool> awaiting_configuration;
  // SetBootstrapToken
  Bytes bootstrap_token;
  // DeclarativeManagement
  std::string endpoint;
  Bytes data;

  plist::Value raw;  // the whole message as sent
};

// NanoMDM's enrollment ids: the device channel is its UDID (or a user enrollment's
// EnrollmentID), a user channel "UDID:UserID". Commands, push tokens and results belong to an
// enrollment id; certificates bind to the device.
inline std::string enrollment_id(const std::string& udid, const std::string& user_id) {
  return user_id.empty() ? udid : udid + ":" + user_id;
}

// Parses a check-in plist. Refuses unknown MessageTypes, messages without UDID (or
// EnrollmentID), TokenUpdate without Token/PushMagic/Topic, and any field we decode present
// with the wrong plist type (typed_fields.hpp).
Result<Checkin> decode_checkin(std::string_view body);
// Builds the plist a device sends (simulators); `extra` keys are appended as given.
Result<std::string> encode_checkin(const Checkin& c);

}  // namespace mdmlab::apple
