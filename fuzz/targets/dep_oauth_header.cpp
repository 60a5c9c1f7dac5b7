// OAuth 1.0a Authorization headers as the ABM simulator's GET /session reads them
// (protocol/apple/dep/oauth1.hpp): parsed, then the signature base string and an HMAC-SHA1
// signature computed from whatever parameters came through.
#include <string_view>

#include "protocol/apple/dep/oauth1.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto header = mdmlab::apple::dep::parse_oauth_header(text);
  if (header) {
    auto base = mdmlab::apple::dep::signature_base_string("GET", "http://127.0.0.1/session",
                                                          header->params, {});
    (void)mdmlab::apple::dep::hmac_sha1_signature(base, "consumer-secret", "access-secret");
  }
  return 0;
}
