// The command queue per enrollment id, with results (NanoMDM's storage/queue).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "server/store/time_point.hpp"

namespace mdmlab::server::store {

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

class CommandQueueStore {
 public:
  virtual ~CommandQueueStore() = default;
  // Queues one command for each enrollment. False if the command UUID exists.
  virtual boost::asio::awaitable<Result<bool>> enqueue(std::vector<std::string> udids,
                                                       QueuedCommand command, TimePoint at) = 0;
  // Next active command by priority (desc) then age; `skip_not_now` hides NotNow'd ones.
  virtual boost::asio::awaitable<Result<std::optional<QueuedCommand>>> next_command(
      std::string udid, bool skip_not_now) = 0;
  // Records a device's report. Acknowledged / Error / CommandFormatError finish the command;
  // NotNow keeps it queued and counts it. False if the command is not queued for the device.
  virtual boost::asio::awaitable<Result<bool>> record_result(std::string udid,
                                                             std::string command_uuid,
                                                             std::string status,
                                                             std::string result_plist,
                                                             TimePoint at) = 0;
  virtual boost::asio::awaitable<Result<std::vector<CommandResult>>> command_results(
      std::string command_uuid) = 0;
};

}  // namespace mdmlab::server::store
