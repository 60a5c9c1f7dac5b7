// MDM command result (device report) and command plist decoding.
#include <string_view>

#include "protocol/apple/command.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mdmlab::apple::decode_command_report(text);
  (void)mdmlab::apple::decode_command(text);
  return 0;
}
