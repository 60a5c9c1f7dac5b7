// The MDM command loop (PUT ServerURL, application/x-apple-aspen-mdm): the device reports a
// Status (Idle, Acknowledged, Error, CommandFormatError, NotNow) and the server answers with the
// next command plist {CommandUUID, Command: {RequestType, ...}} or an empty 200.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/plist/value.hpp"

namespace mdmlab::apple {

enum class CommandStatus { idle, acknowledged, error, command_format_error, not_now };
std::string_view to_string(CommandStatus s);
std::optional<CommandStatus> command_status_from(std::string_view s);

struct ErrorChainItem {
  std::int64_t error_code = 0;
  std::string error_domain;
  std::string localized_description;
  std::string us_english_description;
};

// What the device sends.
struct CommandReport {
  CommandStatus status = CommandStatus::idle;
  std::string udid;  // or EnrollmentID
  std::string user_id;
  std::string command_uuid;  // empty for Idle
  std::vector<ErrorChainItem> error_chain;
  plist::Value raw;  // the whole report, result fields included
};
// Refuses unknown Status values, reports without UDID (or EnrollmentID), non-Idle reports
// without CommandUUID, and Status/UDID/EnrollmentID/UserID/CommandUUID/ErrorChain (and the
// ErrorChain items' fields) present with the wrong plist type.
Result<CommandReport> decode_command_report(std::string_view body);
// Builds a report (simulators). `result_fields` (a dict) are merged in after the standard keys.
Result<std::string> encode_command_report(const CommandReport& report,
                                          const plist::Value& result_fields = {});

// What the server sends.
struct Command {
  std::string command_uuid;
  plist::Value command;  // dict with RequestType and its parameters
  std::string request_type() const { return command.string_or("RequestType"); }
};
Result<std::string> encode_command(const Command& c);
// Parses a command plist (devices, and raw plists enqueued through the admin API).
Result<Command> decode_command(std::string_view body);

}  // namespace mdmlab::apple
