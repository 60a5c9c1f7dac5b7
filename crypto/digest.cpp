#include "crypto/digest.hpp"

#include <openssl/sha.h>

namespace mdmlab::crypto {

std::string sha256_hex(const std::uint8_t* data, std::size_t size) {
  Bytes digest(SHA256_DIGEST_LENGTH);
  SHA256(data, size, digest.data());
  return hex_encode(digest);
}

}  // namespace mdmlab::crypto
