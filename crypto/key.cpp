#include "crypto/key.hpp"

#include "crypto/digest.hpp"

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

namespace mdmlab::crypto {

PrivateKey::PrivateKey(const PrivateKey& other) {
  if (other.key_) {
    EVP_PKEY_up_ref(other.key_.get());
    key_.reset(other.key_.get());
  }
}

PrivateKey& PrivateKey::operator=(const PrivateKey& other) {
  if (this != &other) {
    PrivateKey copy(other);
    key_ = std::move(copy.key_);
  }
  return *this;
}

Result<PrivateKey> PrivateKey::generate_rsa(int bits) {
  EvpPkeyPtr key(EVP_RSA_gen(static_cast<unsigned>(bits)));
  if (!key) return openssl_error("keygen_failed", "RSA key generation failed");
  return PrivateKey(std::move(key));
}

Result<PrivateKey> PrivateKey::generate_ec_p256() {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return openssl_error("keygen_failed", "EC key generation failed");
  return PrivateKey(std::move(key));
}

Result<PrivateKey> PrivateKey::from_pem(const std::string& pem) {
  auto bio = bio_from(pem);
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return openssl_error("bad_key", "cannot parse PEM private key");
  return PrivateKey(std::move(key));
}

Result<PrivateKey> PrivateKey::from_der(const Bytes& der) {
  const unsigned char* p = der.data();
  EvpPkeyPtr key(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
  if (!key) return openssl_error("bad_key", "cannot parse DER private key");
  return PrivateKey(std::move(key));
}

std::string PrivateKey::to_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return to_string(bio_bytes(bio.get()));
}

Bytes PrivateKey::to_der() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  i2d_PKCS8PrivateKey_bio(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return bio_bytes(bio.get());
}

KeyType PrivateKey::type() const {
  return EVP_PKEY_is_a(key_.get(), "RSA") ? KeyType::rsa : KeyType::ec_p256;
}

int PrivateKey::bits() const {
  return EVP_PKEY_get_bits(key_.get());
}

bool same_public_key(EVP_PKEY* a, EVP_PKEY* b) {
  return a && b && EVP_PKEY_eq(a, b) == 1;
}

namespace {
// Hex SHA-256 of `n` DER bytes that an i2d_* call allocated at `der`; frees them. n <= 0 (the
// encoding failed): "".
std::string sha256_hex_of_der(unsigned char* der, int n) {
  if (n <= 0) return {};
  auto hex = sha256_hex(der, static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return hex;
}
}  // namespace

std::string public_key_fingerprint(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(key, &der);  // before `der` is read
  return sha256_hex_of_der(der, n);
}

std::string spki_fingerprint(const X509_PUBKEY* spki) {
  if (!spki) return {};
  unsigned char* der = nullptr;
  const int n = i2d_X509_PUBKEY(spki, &der);
  return sha256_hex_of_der(der, n);
}

}  // namespace mdmlab::crypto
