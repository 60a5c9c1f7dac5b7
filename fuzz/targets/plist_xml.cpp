// XML plist parsing, and re-serialising whatever parsed.
#include <string_view>

#include "protocol/plist/xml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto v = mdmlab::plist::from_xml(std::string_view(reinterpret_cast<const char*>(data), size));
  if (v) (void)mdmlab::plist::to_xml(*v);
  return 0;
}
