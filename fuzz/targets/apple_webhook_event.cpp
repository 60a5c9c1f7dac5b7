// MicroMDM-style webhook events (protocol/apple/webhook_event.hpp), as mdmlab's receiver reads
// them from a server under test: decode, and once decoded, encoding is stable (what we write
// we read back the same).
#include <cstdlib>
#include <string_view>

#include "protocol/apple/webhook_event.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto event = mdmlab::apple::decode_webhook_event(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!event) return 0;
  auto once = mdmlab::apple::encode_webhook_event(*event);
  auto again = mdmlab::apple::decode_webhook_event(once);
  if (!again || mdmlab::apple::encode_webhook_event(*again) != once) std::abort();
  return 0;
}
