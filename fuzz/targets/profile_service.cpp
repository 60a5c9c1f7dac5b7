// The OTA Profile Service profile a device downloads (protocol/apple/profile_service.hpp):
// plain XML or CMS-signed; what parsed is written back.
#include <string_view>

#include "protocol/apple/profile_service.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto p = mdmlab::apple::decode_profile_service(body))
    (void)mdmlab::apple::encode_profile_service(*p);
  return 0;
}
