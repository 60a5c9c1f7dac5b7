// MDM check-in message decoding.
#include <string_view>

#include "protocol/apple/checkin.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto c =
      mdmlab::apple::decode_checkin(std::string_view(reinterpret_cast<const char*>(data), size));
  if (c) (void)mdmlab::apple::encode_checkin(*c);
  return 0;
}
