// PKCS#10 certificate signing requests: build (client side) and parse (server side).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "crypto/alt_names.hpp"
#include "crypto/key.hpp"

namespace mdmlab::crypto {

// An X.509 name as ordered (attribute, value) pairs, e.g. {{"CN","mac1"},{"O","mdmlab"}}.
using DistinguishedName = std::vector<std::pair<std::string, std::string>>;

// Parses "CN=a,O=b" or "/CN=a/O=b" into pairs. Values may not contain the separator.
Result<DistinguishedName> parse_distinguished_name(std::string_view text);
Result<X509NamePtr> make_x509_name(const DistinguishedName& dn);

struct CsrOptions {
  DistinguishedName subject;
  std::string challenge_password;  // empty: no challengePassword attribute
  SubjectAltNames alt_names;       // empty: no subjectAltName extension
  int key_usage = 0;               // keyUsage bits (alt_names.hpp); 0: no keyUsage extension
  const EVP_MD* digest = nullptr;  // nullptr: SHA-256
};

class Csr {
 public:
  Csr() = default;
  explicit Csr(X509ReqPtr req) : req_(std::move(req)) {}
  Csr(const Csr& other);
  Csr& operator=(const Csr& other);
  Csr(Csr&&) noexcept = default;
  Csr& operator=(Csr&&) noexcept = default;

  static Result<Csr> build(const PrivateKey& key, const CsrOptions& options);
  static Result<Csr> from_der(const Bytes& der);  // exactly one request: no bytes after it
  static Result<Csr> from_pem(const std::string& pem);

  Bytes to_der() const;
  std::string to_pem() const;
  std::string subject() const;
  X509_NAME* subject_name() const;
  // The challengePassword attribute (PKCS#9), empty if absent.
  std::string challenge_password() const;
  // The requested extensions: subjectAltName names and keyUsage bits (0 when absent).
  SubjectAltNames subject_alt_names() const;
  int key_usage() const;
  // The requested extensions as they are (a CA that honours the request copies them).
  X509ExtensionPtr requested_extension(int nid) const;
  EVP_PKEY* public_key() const;  // borrowed
  // True if the CSR's self-signature verifies with its own key.
  bool signature_valid() const;
  X509_REQ* get() const { return req_.get(); }

 private:
  X509ReqPtr req_;
};

}  // namespace mdmlab::crypto
