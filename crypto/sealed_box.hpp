// Secrets kept at rest (escrowed bootstrap tokens): AES-256-GCM under a 32-byte key, a fresh
// 96-bit nonce from OpenSSL's RAND per seal, and associated data that names what the secret
// belongs to, so a sealed value copied to another row does not open there.
// Layout: version byte 0x01 | nonce (12) | ciphertext | tag (16).
#pragma once

#include <string_view>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace mdmlab::crypto {

inline constexpr std::size_t kSealingKeySize = 32;

class SealingKey {
 public:
  // A new random key.
  static SealingKey generate();
  // A key from its 32 raw bytes; an error for any other length.
  static Result<SealingKey> from_bytes(const Bytes& raw);
  const Bytes& bytes() const { return raw_; }

 private:
  explicit SealingKey(Bytes raw) : raw_(std::move(raw)) {}
  Bytes raw_;
};

Result<Bytes> seal(const SealingKey& key, const Bytes& plaintext, std::string_view associated);
// The plaintext, or an error when the value is malformed, was sealed under another key or
// other associated data, or was altered (one error for all: no oracle).
Result<Bytes> open_sealed(const SealingKey& key, const Bytes& sealed, std::string_view associated);

}  // namespace mdmlab::crypto
