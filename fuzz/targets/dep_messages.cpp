// DEP API request bodies as the ABM simulator reads them (protocol/apple/dep/dep_messages.hpp):
// the first byte picks the parser (fetch/sync page, ADE profile, serials list), the rest is the
// body; what parsed is written back.
#include <nlohmann/json.hpp>

#include <string_view>

#include "protocol/apple/dep/dep_messages.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  namespace dep = mdmlab::apple::dep;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      if (auto r = dep::parse_fetch_request(body)) (void)r->limit;
      break;
    case 1:
      if (auto p = dep::parse_profile(body)) (void)dep::to_json(*p).dump();
      break;
    default:
      if (auto s = dep::parse_serials_request(body, data[0] & 4)) (void)s->devices.size();
      break;
  }
  return 0;
}
