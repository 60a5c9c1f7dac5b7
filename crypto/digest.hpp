// Message digests of plain bytes (certificate and key fingerprints have their own helpers).
#pragma once

#include <string>
#include <string_view>

#include "common/bytes.hpp"

namespace mdmlab::crypto {

// SHA-256 of `data`: the 32 bytes, or lowercase hex.
Bytes sha256(const Bytes& data);
Bytes sha1(const Bytes& data);  // certificate fingerprints only (e.g. a profile's CAFingerprint)
std::string sha256_hex(const std::uint8_t* data, std::size_t size);
inline std::string sha256_hex(const Bytes& data) {
  return sha256_hex(data.data(), data.size());
}

// HMAC-SHA256 of `data` under `key` (32 bytes), e.g. the X-Hmac-Signature of a webhook body.
Bytes hmac_sha256(std::string_view key, std::string_view data);

}  // namespace mdmlab::crypto
