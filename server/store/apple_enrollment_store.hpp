// Apple enrollments (NanoMDM's storage/enrollment): one row per channel, "UDID" for the device
// and "UDID:UserID" per user, with check-in state and push token/magic.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "server/store/time_point.hpp"

namespace mdmlab::server::store {

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

class EnrollmentStore {
 public:
  virtual ~EnrollmentStore() = default;
  // Authenticate: create or update the enrollment, disable it until TokenUpdate, clear its
  // queue, its user channels and every per-enrollment secret (push token and magic, unlock
  // and bootstrap tokens): a re-enrolling device (or whoever now holds the UDID) starts with
  // nothing of the old one.
  virtual boost::asio::awaitable<Result<void>> authenticate(AppleEnrollment e, TimePoint at) = 0;
  // TokenUpdate: store push token / magic / unlock token and enable. False if never authenticated.
  virtual boost::asio::awaitable<Result<bool>> token_update(std::string udid, std::string topic,
                                                            Bytes token, std::string push_magic,
                                                            Bytes unlock_token, TimePoint at) = 0;
  // A user channel's TokenUpdate (enrollment id "UDID:UserID"): creates or updates that
  // enrollment with its own push token and magic, enabled. False if the device channel is not
  // an active enrollment (the user channel lives inside it).
  virtual boost::asio::awaitable<Result<bool>> user_token_update(AppleEnrollment user,
                                                                 TimePoint at) = 0;
  // CheckOut: disables the enrollment; a device channel's takes its user channels with it.
  virtual boost::asio::awaitable<Result<bool>> check_out(std::string udid, TimePoint at) = 0;
  virtual boost::asio::awaitable<Result<std::optional<AppleEnrollment>>> find_enrollment(
      std::string udid) = 0;
  virtual boost::asio::awaitable<Result<std::vector<AppleEnrollment>>> list_enrollments() = 0;
  // Records that the enrollment was seen (last_seen_at).
  virtual boost::asio::awaitable<Result<void>> touch(std::string udid, TimePoint at) = 0;
};

}  // namespace mdmlab::server::store
