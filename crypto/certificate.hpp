// X.509 certificates as value-like handles (copies share the refcounted X509).
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

#include "crypto/alt_names.hpp"
#include "crypto/openssl_ptr.hpp"

namespace mdmlab::crypto {

using TimePoint = std::chrono::system_clock::time_point;

class Certificate {
 public:
  Certificate() = default;
  explicit Certificate(X509Ptr cert) : cert_(std::move(cert)) {}
  // Takes a new reference on `cert` (for pointers borrowed from OpenSSL structures).
  static Certificate borrow(X509* cert);
  Certificate(const Certificate& other) : Certificate(borrow(other.get())) {}
  Certificate& operator=(const Certificate& other);
  Certificate(Certificate&&) noexcept = default;
  Certificate& operator=(Certificate&&) noexcept = default;

  static Result<Certificate> from_der(const Bytes& der);
  static Result<Certificate> from_pem(const std::string& pem);
  // All certificates in a PEM bundle, in order.
  static Result<std::vector<Certificate>> all_from_pem(const std::string& pem);

  Bytes to_der() const;
  std::string to_pem() const;

  std::string subject() const;  // RFC 2253 form, e.g. "CN=mac1,O=mdmlab"
  std::string issuer() const;
  std::string common_name() const;
  // The first subject entry named `short_name` ("CN", "UID", "O", ...), or "".
  std::string subject_field(std::string_view short_name) const;
  std::string serial_hex() const;
  TimePoint not_before() const;
  TimePoint not_after() const;
  bool valid_at(TimePoint t) const { return t >= not_before() && t <= not_after(); }
  bool self_signed() const;
  // SHA-1 / SHA-256 of the DER, uppercase hex (Windows thumbprints use SHA-1).
  std::string sha1_hex() const;
  std::string sha256_hex() const;
  SubjectAltNames subject_alt_names() const;
  int key_usage() const;  // keyUsage bits (alt_names.hpp); 0 when the extension is absent
  // Borrowed pointer to the public key (owned by the certificate).
  EVP_PKEY* public_key() const;
  // True if `issuer_cert`'s key verifies this certificate's signature.
  bool signed_by(const Certificate& issuer_cert) const;

  X509* get() const { return cert_.get(); }
  bool empty() const { return !cert_; }
  bool operator==(const Certificate& o) const;

 private:
  X509Ptr cert_;
};

// "subject (serial)", for logs and test diagnostics.
std::ostream& operator<<(std::ostream& os, const Certificate& cert);

// What the leaf must be good for. tls_client: OpenSSL's SSL-client purpose, i.e. an extended
// key usage, when present, includes clientAuth (and a key usage, when present, allows
// signatures), so a server or RA certificate from the same CA cannot pose as a device.
enum class ChainPurpose { any, tls_client };

// Verifies `leaf` chains to one of `roots` (with optional intermediates) at time `at`.
Result<void> verify_chain(const Certificate& leaf, const std::vector<Certificate>& roots,
                          const std::vector<Certificate>& intermediates, TimePoint at,
                          ChainPurpose purpose = ChainPurpose::any);

}  // namespace mdmlab::crypto
