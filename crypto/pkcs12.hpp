// PKCS#12 (RFC 7292) identities: a certificate, its private key and any chain, under a
// password — what a configuration profile's com.apple.security.pkcs12 payload carries.
#pragma once

#include <string>
#include <vector>

#include "crypto/certificate.hpp"
#include "crypto/key.hpp"

namespace mdmlab::crypto {

struct Pkcs12Identity {
  Certificate certificate;
  PrivateKey key;
  std::vector<Certificate> chain;  // CA certificates that came with it
};

// Error codes of parse_pkcs12: the bytes are not PKCS#12, or the password does not open them.
inline constexpr const char* kBadPkcs12 = "bad_pkcs12";
inline constexpr const char* kBadPkcs12Password = "bad_pkcs12_password";

// DER PFX with OpenSSL 3's defaults (AES-256-CBC, PBKDF2, HMAC-SHA-256 MAC).
Result<Bytes> make_pkcs12(const Pkcs12Identity& identity, const std::string& password,
                          const std::string& friendly_name);
// Opens a DER PFX: the MAC is checked with `password` first (a wrong password is
// kBadPkcs12Password, not a parse error); it must hold a certificate and a matching key.
Result<Pkcs12Identity> parse_pkcs12(const Bytes& der, const std::string& password);

}  // namespace mdmlab::crypto
