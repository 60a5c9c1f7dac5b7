// Storage for Windows MDM: enrollments (one per DeviceID, bound to the certificate issued at
// enrollment) and the per-device command queue with each command's answer (the Status code and
// any Results). One interface; each backend is a folder.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "server/store/time_point.hpp"

namespace mdmlab::server::store {

struct WindowsEnrollment {
  std::string device_id;
  std::string hw_dev_id;
  std::string upn;              // the user who enrolled ("" for a device enrollment)
  std::string enrollment_type;  // Full or Device
  std::string device_name, os_version, model, manufacturer;
  std::string cert_fingerprint;  // SHA-256 of the issued certificate's DER (hex)
  std::string cert_serial;
  bool enabled = true;  // false after an unenrollment (Alert 1226) or a new enrollment
  TimePoint enrolled_at{}, last_seen_at{};
};

struct WindowsCommand {
  std::string command_uuid;
  std::string device_id;
  std::string verb;     // Get, Replace, Add, Delete, Exec, Atomic, Sequence
  std::string syncml;   // the command element (its CmdID is set when it is sent)
  std::string status;   // "" queued, "sent", or the device's Status code (200, 404...)
  std::string results;  // JSON array of {source, format, type, data} from Results
  TimePoint created_at{}, answered_at{};
};

class WindowsStore {
 public:
  virtual ~WindowsStore() = default;

  // Inserts or replaces the device's enrollment (a new enrollment replaces the old binding).
  virtual boost::asio::awaitable<Result<void>> upsert_windows_enrollment(WindowsEnrollment e) = 0;
  virtual boost::asio::awaitable<Result<std::optional<WindowsEnrollment>>> windows_enrollment(
      std::string device_id) = 0;
  virtual boost::asio::awaitable<Result<std::vector<WindowsEnrollment>>> windows_enrollments() = 0;
  // Device details from a management session, and when it was seen.
  virtual boost::asio::awaitable<Result<void>> update_windows_device(std::string device_id,
                                                                     std::string model,
                                                                     std::string manufacturer,
                                                                     TimePoint at) = 0;
  virtual boost::asio::awaitable<Result<bool>> disable_windows_enrollment(std::string device_id,
                                                                          TimePoint at) = 0;

  virtual boost::asio::awaitable<Result<void>> enqueue_windows_command(WindowsCommand c) = 0;
  // Commands not answered yet, oldest first (queued ones and ones sent but never answered).
  virtual boost::asio::awaitable<Result<std::vector<WindowsCommand>>> pending_windows_commands(
      std::string device_id) = 0;
  virtual boost::asio::awaitable<Result<void>> mark_windows_commands_sent(
      std::vector<std::string> command_uuids) = 0;
  // The device's Status (and Results, as JSON) for a command; false if unknown.
  virtual boost::asio::awaitable<Result<bool>> record_windows_result(std::string command_uuid,
                                                                     std::string status,
                                                                     std::string results,
                                                                     TimePoint at) = 0;
  virtual boost::asio::awaitable<Result<std::optional<WindowsCommand>>> windows_command(
      std::string command_uuid) = 0;
};

}  // namespace mdmlab::server::store
