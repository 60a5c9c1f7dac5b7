// The machine info Setup Assistant POSTs to the ADE enrollment URL
// (protocol/apple/machine_info.hpp): a CMS SignedData holding a plist; parsed and verified.
#include "protocol/apple/machine_info.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mdmlab::Bytes der(data, data + size);
  if (auto info = mdmlab::apple::parse_machine_info(der)) (void)info->info.udid.size();
  return 0;
}
