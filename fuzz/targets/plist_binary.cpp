// Binary plist (bplist00) parsing, and writing whatever parsed as XML.
#include <string_view>

#include "protocol/plist/binary.hpp"
#include "protocol/plist/xml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto v = mdmlab::plist::from_binary(std::string_view(reinterpret_cast<const char*>(data), size));
  if (v) (void)mdmlab::plist::to_xml(*v);
  return 0;
}
