// MDM command result (device report) and command plist decoding; a decoded command then goes
// through the macOS command table's request check (what the simulated Mac runs on every
// command a server sends it), and a report's fields through the response check.
#include <string_view>

#include "protocol/apple/command.hpp"
#include "protocol/apple/command_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto report = mdmlab::apple::decode_command_report(text))
    (void)mdmlab::apple::check_response("DeviceInformation", report->raw, true);
  if (auto command = mdmlab::apple::decode_command(text))
    (void)mdmlab::apple::check_request(command->command);
  return 0;
}
