// GetCACaps text parsing.
#include <string_view>

#include "protocol/scep/capabilities.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto caps = mdmlab::scep::Capabilities::parse(
      std::string_view(reinterpret_cast<const char*>(data), size));
  (void)caps.to_text();
  (void)caps.post_pki_operation();
  return 0;
}
