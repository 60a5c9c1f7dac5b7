// Deterministic values from (seed, label): SHA-256 of both. Same seed, same identities.
#pragma once

#include <openssl/sha.h>

#include <cstdint>
#include <string>

#include "common/bytes.hpp"

namespace mdmlab::scenarios {

inline Bytes seeded_bytes(std::uint64_t seed, const std::string& label) {
  std::string input = std::to_string(seed) + "/" + label;
  Bytes out(SHA256_DIGEST_LENGTH);
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), out.data());
  return out;
}

inline std::string seeded_hex(std::uint64_t seed, const std::string& label) {
  return hex_encode(seeded_bytes(seed, label));
}

// An RFC 4122-shaped UUID (upper case).
inline std::string seeded_uuid(std::uint64_t seed, const std::string& label) {
  auto h = hex_encode(seeded_bytes(seed, label), true);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-4" + h.substr(13, 3) + "-8" + h.substr(17, 3) +
         "-" + h.substr(20, 12);
}

}  // namespace mdmlab::scenarios
