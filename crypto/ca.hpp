// A certificate authority: a CA certificate and its key, issuing end-entity certificates.
// Pure: the caller supplies the time and the serial source is OpenSSL's RAND.
#pragma once

#include <chrono>
#include <vector>

#include "crypto/certificate.hpp"
#include "crypto/csr.hpp"

namespace mdmlab::crypto {

enum class ExtendedKeyUsage { client_auth, server_auth, code_signing, email_protection };

struct IssueOptions {
  std::chrono::seconds validity = std::chrono::hours(24 * 365);
  std::chrono::seconds backdate = std::chrono::minutes(5);  // tolerate client clock skew
  std::vector<ExtendedKeyUsage> extended_key_usage = {ExtendedKeyUsage::client_auth};
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  bool is_ca = false;
  // issue(csr): copy the CSR's requested subjectAltName into the certificate (as SCEP servers
  // do, e.g. micromdm's), when dns_names and ip_addresses are empty.
  bool honour_requested_alt_names = false;
};

// A self-signed certificate for `key` (e.g. the SCEP requester's transient signer certificate).
Result<Certificate> make_self_signed(const PrivateKey& key, const DistinguishedName& subject,
                                     TimePoint now, std::chrono::seconds validity,
                                     const EVP_MD* digest = nullptr);

class CertificateAuthority {
 public:
  CertificateAuthority(Certificate cert, PrivateKey key)
      : cert_(std::move(cert)), key_(std::move(key)) {}

  // A new self-signed root CA (basicConstraints CA:TRUE, keyCertSign|cRLSign).
  static Result<CertificateAuthority> create_root(const PrivateKey& key,
                                                  const DistinguishedName& subject, TimePoint now,
                                                  std::chrono::seconds validity);

  // Issues a certificate for `public_key` with `subject`. Serial numbers are 127 random bits,
  // so they are unique without shared state.
  Result<Certificate> issue(EVP_PKEY* public_key, X509_NAME* subject, const IssueOptions& options,
                            TimePoint now) const;
  // From a CSR: the CSR's SubjectPublicKeyInfo is copied as it is (cheaper than going through
  // the EVP_PKEY with OpenSSL 3.0, which re-encodes and re-decodes a provider key).
  Result<Certificate> issue(const Csr& csr, const IssueOptions& options, TimePoint now) const;

  const Certificate& certificate() const { return cert_; }
  const PrivateKey& key() const { return key_; }

 private:
  Result<Certificate> issue_impl(EVP_PKEY* public_key, X509_PUBKEY* spki, X509_NAME* subject,
                                 const IssueOptions& options, TimePoint now,
                                 X509_EXTENSION* requested_alt_names = nullptr) const;

  Certificate cert_;
  PrivateKey key_;
};

}  // namespace mdmlab::crypto
