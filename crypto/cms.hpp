// CMS / PKCS#7: SignedData with signed attributes, EnvelopedData, and degenerate certs-only
// SignedData — the building blocks of SCEP (RFC 8894) and signed profiles.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/certificate.hpp"
#include "crypto/key.hpp"

namespace mdmlab::crypto {

// A signed attribute value as SCEP uses them.
struct SignedAttribute {
  enum class Kind { printable_string, octet_string };
  std::string oid;  // dotted form
  Kind kind = Kind::printable_string;
  Bytes value;
};

struct SignOptions {
  const EVP_MD* digest = nullptr;          // nullptr: SHA-256
  bool include_signer_certificate = true;  // put the signer cert into `certificates`
  std::vector<Certificate> extra_certificates;
  bool detached = false;  // omit eContent (SCEP FAILURE/PENDING CertRep: no content)
};

// Signs `content` (as id-data) with `signer`/`key`, adding `attributes` to the signed attributes.
Result<Bytes> cms_sign(const Bytes& content, const Certificate& signer, const PrivateKey& key,
                       const std::vector<SignedAttribute>& attributes, const SignOptions& options);

// A parsed SignedData. Parsing never verifies; call verify() before trusting anything in it.
class SignedMessage {
 public:
  static Result<SignedMessage> parse(const Bytes& der);

  // eContent bytes; std::nullopt when absent (detached).
  const std::optional<Bytes>& content() const { return content_; }
  const std::vector<Certificate>& certificates() const { return certificates_; }
  // The certificate among `certificates()` whose issuer/serial matches the (first) signer.
  const Certificate& signer_certificate() const { return signer_; }
  // A signed attribute's raw string bytes (PrintableString or OCTET STRING), if present.
  std::optional<Bytes> attribute(const std::string& oid) const;
  std::string digest_algorithm() const { return digest_algorithm_; }  // e.g. "SHA256"
  int signer_count() const { return signer_count_; }

  // Verifies the first signer's signature and message digest with `signer` (which need not
  // be in the message). No chain validation: callers decide whom to trust.
  Result<void> verify(const Certificate& signer) const;
  // Same, detached form: the signature is over `detached_content`.
  Result<void> verify_detached(const Certificate& signer, const Bytes& detached_content) const;

 private:
  std::shared_ptr<CMS_ContentInfo> cms_;
  std::optional<Bytes> content_;
  std::vector<Certificate> certificates_;
  Certificate signer_;
  std::string digest_algorithm_;
  int signer_count_ = 0;
};

// EnvelopedData (KeyTransRecipientInfo, RSA PKCS#1 v1.5) over `content` to `recipients`.
Result<Bytes> cms_envelope(const Bytes& content, const std::vector<Certificate>& recipients,
                           const EVP_CIPHER* cipher);
// Decrypts EnvelopedData with `key`; `cert`, if given, selects the matching recipient.
Result<Bytes> cms_decrypt(const Bytes& enveloped_der, const PrivateKey& key,
                          const Certificate* cert = nullptr);
// The content-encryption algorithm of an EnvelopedData, as an OpenSSL short name
// ("AES-128-CBC", "DES-CBC", "DES-EDE3-CBC", ...). Lets a server answer in kind.
Result<std::string> cms_envelope_cipher(const Bytes& enveloped_der);

// Degenerate ("certs-only") SignedData: no signers, only certificates.
Bytes degenerate_pkcs7(const std::vector<Certificate>& certs);
Result<std::vector<Certificate>> parse_degenerate_pkcs7(const Bytes& der);

// Looks an EVP cipher up by name, e.g. "AES-256-CBC"; DES needs the legacy provider.
const EVP_CIPHER* cipher_by_name(const std::string& name);

}  // namespace mdmlab::crypto
