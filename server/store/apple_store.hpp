// Storage for Apple MDM: enrollments (check-in state, push tokens, bootstrap token), the
// certificate-to-device binding, and the per-device command queue with results.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"

namespace mdmlab::server::store {

using TimePoint = std::chrono::system_clock::time_point;

struct AppleEnrollment {
  std::string udid;  // the enrollment id: UDID (device channel) or "UDID:UserID" (user channel)
  std::string device_udid;                               // the device's UDID, for both channels
  std::string user_id, user_short_name, user_long_name;  // user channel only
  std::string topic, serial_number, model, os_version, build_version, device_name;
  Bytes push_token;
  std::string push_magic;
  Bytes unlock_token;
  Bytes bootstrap_token;
  bool enabled = false;  // set by TokenUpdate; cleared by Authenticate and CheckOut
  std::int64_t token_update_count = 0;
  TimePoint authenticated_at{}, token_updated_at{}, last_seen_at{};
  // APNs' last word on the token: "" never pushed, "ok", "invalid" (no more pushes until a
  // TokenUpdate brings a new token), "error" (retries exhausted or a configuration problem).
  std::string push_status, push_error;
  TimePoint last_push_at{};
  std::int64_t push_count = 0;
};

struct QueuedCommand {
  std::string command_uuid;
  std::string request_type;
  std::string plist;  // the full command plist as sent to devices
  std::int64_t priority = 0;
  std::int64_t not_now_count = 0;
};

struct CommandResult {
  std::string udid;
  std::string command_uuid;
  std::string status;  // "" (queued), Acknowledged, Error, CommandFormatError, NotNow
  std::string result_plist;
  std::int64_t not_now_count = 0;
  bool active = true;  // still queued for the device
  TimePoint updated_at{};
};

class AppleStore {
 public:
  virtual ~AppleStore() = default;

  // Authenticate: create or update the enrollment, disable it until TokenUpdate, clear its
  // queue and every per-enrollment secret (push token and magic, unlock and bootstrap tokens):
  // a re-enrolling device (or whoever now holds the UDID) starts with nothing of the old one.
  virtual boost::asio::awaitable<void> authenticate(AppleEnrollment e, TimePoint at) = 0;
  // TokenUpdate: store push token / magic / unlock token and enable. False if never authenticated.
  virtual boost::asio::awaitable<bool> token_update(std::string udid, std::string topic,
                                                    Bytes token, std::string push_magic,
                                                    Bytes unlock_token, TimePoint at) = 0;
  // A user channel's TokenUpdate (enrollment id "UDID:UserID"): creates or updates that
  // enrollment with its own push token and magic, enabled. False if the device channel is not
  // an active enrollment (the user channel lives inside it).
  virtual boost::asio::awaitable<bool> user_token_update(AppleEnrollment user, TimePoint at) = 0;
  // Records the outcome of a push to the device's token.
  virtual boost::asio::awaitable<void> record_push(std::string udid, std::string status,
                                                   std::string error, TimePoint at) = 0;
  // CheckOut: disables the enrollment; a device channel's takes its user channels with it.
  virtual boost::asio::awaitable<bool> check_out(std::string udid, TimePoint at) = 0;
  // Stores the bootstrap token of an enabled enrollment. False if unknown or not enabled.
  virtual boost::asio::awaitable<bool> set_bootstrap_token(std::string udid, Bytes token) = 0;
  virtual boost::asio::awaitable<std::optional<AppleEnrollment>> find_enrollment(
      std::string udid) = 0;
  virtual boost::asio::awaitable<std::vector<AppleEnrollment>> list_enrollments() = 0;
  virtual boost::asio::awaitable<void> touch(std::string udid, TimePoint at) = 0;

  // Certificate binding: each enrollment has one current identity certificate (SHA-256
  // fingerprint); binding another replaces it, so the old one stops working.
  virtual boost::asio::awaitable<std::optional<std::string>> enrollment_certificate(
      std::string udid) = 0;
  // The enrollments whose current certificate this is (more than one only where the binding
  // policy allows duplicates).
  virtual boost::asio::awaitable<std::vector<std::string>> certificate_enrollments(
      std::string fingerprint) = 0;
  virtual boost::asio::awaitable<void> bind_certificate(std::string fingerprint, std::string udid,
                                                        TimePoint at) = 0;
  // Forgets an enrollment's certificate (e.g. after moving devices to another identity CA).
  virtual boost::asio::awaitable<bool> unbind_certificate(std::string udid) = 0;

  // Queues one command for each device. Fails (returns false) if the command UUID exists.
  virtual boost::asio::awaitable<bool> enqueue(std::vector<std::string> udids,
                                               QueuedCommand command, TimePoint at) = 0;
  // Next active command by priority (desc) then age; `skip_not_now` hides NotNow'd ones.
  virtual boost::asio::awaitable<std::optional<QueuedCommand>> next_command(std::string udid,
                                                                            bool skip_not_now) = 0;
  // Records a device's report. Acknowledged / Error / CommandFormatError finish the command;
  // NotNow keeps it queued and counts it. False if the command is not queued for the device.
  virtual boost::asio::awaitable<bool> record_result(std::string udid, std::string command_uuid,
                                                     std::string status, std::string result_plist,
                                                     TimePoint at) = 0;
  virtual boost::asio::awaitable<std::vector<CommandResult>> command_results(
      std::string command_uuid) = 0;
};

}  // namespace mdmlab::server::store
