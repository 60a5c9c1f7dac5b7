// STS / EUA tokens as the agent enroll endpoint checks them (protocol/windows/sts_token.hpp,
// crypto/jwt.hpp): any bytes as a compact JWS against one RSA key; nothing may verify.
#include <cstdlib>
#include <string>

#include "protocol/windows/sts_token.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto key = mdmlab::crypto::PrivateKey::generate_rsa(2048).value();
  const std::string token(reinterpret_cast<const char*>(data), size);
  const auto now = mdmlab::TimePoint(std::chrono::seconds(1'800'000'000));
  // Forging a signature of a key generated in this process is not a fuzzer's to find.
  if (mdmlab::windows::sts::verify(token, key, now, std::string("DEVICE-1"))) std::abort();
  return 0;
}
