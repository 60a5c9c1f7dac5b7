#include "crypto/random.hpp"

#include <openssl/rand.h>

#include <stdexcept>

namespace mdmlab::crypto {

Bytes random_bytes(std::size_t n) {
  Bytes b(n);
  if (n && RAND_bytes(b.data(), static_cast<int>(n)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return b;
}

std::string random_uuid() {
  Bytes b = random_bytes(16);
  b[6] = (b[6] & 0x0F) | 0x40;  // version 4
  b[8] = (b[8] & 0x3F) | 0x80;  // RFC 4122 variant
  auto h = hex_encode(b, true);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

}  // namespace mdmlab::crypto
