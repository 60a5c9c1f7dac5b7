#include "crypto/digest.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace mdmlab::crypto {

Bytes sha256(const Bytes& data) {
  Bytes digest(SHA256_DIGEST_LENGTH);
  SHA256(data.data(), data.size(), digest.data());
  return digest;
}

Bytes sha1(const Bytes& data) {
  Bytes digest(SHA_DIGEST_LENGTH);
  SHA1(data.data(), data.size(), digest.data());
  return digest;
}

std::string sha256_hex(const std::uint8_t* data, std::size_t size) {
  Bytes digest(SHA256_DIGEST_LENGTH);
  SHA256(data, size, digest.data());
  return hex_encode(digest);
}

Bytes hmac_sha256(std::string_view key, std::string_view data) {
  Bytes mac(SHA256_DIGEST_LENGTH);
  std::size_t length = 0;
  // EVP_Q_mac copies nothing it keeps; a null key pointer with length 0 is an empty key.
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                 reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(),
                 mac.size(), &length))
    return {};
  mac.resize(length);
  return mac;
}

}  // namespace mdmlab::crypto
