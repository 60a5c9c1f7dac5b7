// Private keys (RSA or EC) as value-like handles over EVP_PKEY.
#pragma once

#include <string>

#include "crypto/openssl_ptr.hpp"

namespace mdmlab::crypto {

enum class KeyType { rsa, ec_p256 };

class PrivateKey {
 public:
  PrivateKey() = default;
  explicit PrivateKey(EvpPkeyPtr key) : key_(std::move(key)) {}
  PrivateKey(const PrivateKey& other);
  PrivateKey& operator=(const PrivateKey& other);
  PrivateKey(PrivateKey&&) noexcept = default;
  PrivateKey& operator=(PrivateKey&&) noexcept = default;

  static Result<PrivateKey> generate_rsa(int bits = 2048);
  static Result<PrivateKey> generate_ec_p256();
  static Result<PrivateKey> from_pem(const std::string& pem);
  static Result<PrivateKey> from_der(const Bytes& der);

  std::string to_pem() const;  // PKCS#8, unencrypted
  Bytes to_der() const;        // PKCS#8
  KeyType type() const;
  int bits() const;

  EVP_PKEY* get() const { return key_.get(); }
  bool empty() const { return !key_; }

 private:
  EvpPkeyPtr key_;
};

// True if both keys hold the same public key.
bool same_public_key(EVP_PKEY* a, EVP_PKEY* b);
// SHA-256 of a SubjectPublicKeyInfo DER (hex): a stable key fingerprint.
std::string public_key_fingerprint(EVP_PKEY* key);
// The same fingerprint from an already parsed SubjectPublicKeyInfo (a certificate's or a
// CSR's): re-encodes the parsed structure, which on OpenSSL 3.0 is far cheaper than
// i2d_PUBKEY() on a provider key (an encoder plus a decoder run).
std::string spki_fingerprint(const X509_PUBKEY* spki);

}  // namespace mdmlab::crypto
