#include "crypto/ca.hpp"
#include "crypto/op_counter.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rand.h>

namespace mdmlab::crypto {
namespace {

Result<void> set_random_serial(X509* cert) {
  unsigned char buf[16];
  if (RAND_bytes(buf, sizeof buf) != 1) return openssl_error("rand_failed", "RAND_bytes failed");
  buf[0] &= 0x7F;  // positive
  buf[0] |= 0x40;  // and never shorter than 16 bytes
  BignumPtr bn(BN_bin2bn(buf, sizeof buf, nullptr));
  Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  X509_set_serialNumber(cert, serial.get());
  return success();
}

void set_validity(X509* cert, TimePoint not_before, TimePoint not_after) {
  ASN1_TIME_set(X509_getm_notBefore(cert), std::chrono::system_clock::to_time_t(not_before));
  ASN1_TIME_set(X509_getm_notAfter(cert), std::chrono::system_clock::to_time_t(not_after));
}

Result<void> add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    return openssl_error("bad_extension", "cannot add extension " + value);
  return success();
}

const char* eku_name(ExtendedKeyUsage e) {
  switch (e) {
    case ExtendedKeyUsage::client_auth:
      return "clientAuth";
    case ExtendedKeyUsage::server_auth:
      return "serverAuth";
    case ExtendedKeyUsage::code_signing:
      return "codeSigning";
    case ExtendedKeyUsage::email_protection:
      return "emailProtection";
  }
  return "clientAuth";
}

const EVP_MD* digest_or_sha256(const EVP_MD* requested) {
  return requested ? requested : EVP_sha256();
}

// OpenSSL 3.0's X509_set_pubkey() on a provider key runs an OSSL_ENCODER and then the
// OSSL_DECODER framework (a large part of issuing's non-RSA cost). An RSA key decoded
// straight from the SPKI's RSAPublicKey bits is a legacy EVP_PKEY, which X509_set_pubkey()
// encodes directly. Other key types (or a failure here) take the generic path.
EvpPkeyPtr legacy_rsa_public_key(X509_PUBKEY* spki) {
  ASN1_OBJECT* alg = nullptr;
  const unsigned char* bits = nullptr;
  int len = 0;
  if (!spki || X509_PUBKEY_get0_param(&alg, &bits, &len, nullptr, spki) != 1) return nullptr;
  if (OBJ_obj2nid(alg) != NID_rsaEncryption || !bits || len <= 0) return nullptr;
  EvpPkeyPtr key(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &bits, len));
  if (!key) ERR_clear_error();
  return key;
}
}  // namespace

Result<Certificate> make_self_signed(const PrivateKey& key, const DistinguishedName& subject,
                                     TimePoint now, std::chrono::seconds validity,
                                     const EVP_MD* digest) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  if (auto r = set_random_serial(cert.get()); !r) return r.error();
  auto name = make_x509_name(subject);
  if (!name) return name.error();
  X509_set_subject_name(cert.get(), name->get());
  X509_set_issuer_name(cert.get(), name->get());
  set_validity(cert.get(), now - std::chrono::minutes(5), now + validity);
  X509_set_pubkey(cert.get(), key.get());
  count_private_key_operation();
  if (X509_sign(cert.get(), key.get(), digest_or_sha256(digest)) <= 0)
    return openssl_error("sign_failed", "cannot self-sign certificate");
  return Certificate(std::move(cert));
}

Result<CertificateAuthority> CertificateAuthority::create_root(const PrivateKey& key,
                                                               const DistinguishedName& subject,
                                                               TimePoint now,
                                                               std::chrono::seconds validity) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  if (auto r = set_random_serial(cert.get()); !r) return r.error();
  auto name = make_x509_name(subject);
  if (!name) return name.error();
  X509_set_subject_name(cert.get(), name->get());
  X509_set_issuer_name(cert.get(), name->get());
  set_validity(cert.get(), now - std::chrono::hours(1), now + validity);
  X509_set_pubkey(cert.get(), key.get());
  for (auto [nid, value] :
       {std::pair{NID_basic_constraints, "critical,CA:TRUE"},
        std::pair{NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature,keyEncipherment"},
        std::pair{NID_subject_key_identifier, "hash"},
        std::pair{NID_authority_key_identifier, "keyid:always"}}) {
    if (auto r = add_ext(cert.get(), cert.get(), nid, value); !r) return r.error();
  }
  count_private_key_operation();
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
    return openssl_error("sign_failed", "cannot sign CA certificate");
  return CertificateAuthority(Certificate(std::move(cert)), key);
}

Result<Certificate> CertificateAuthority::issue(EVP_PKEY* public_key, X509_NAME* subject,
                                                const IssueOptions& options, TimePoint now) const {
  return issue_impl(public_key, nullptr, subject, options, now);
}

Result<Certificate> CertificateAuthority::issue(const Csr& csr, const IssueOptions& options,
                                                TimePoint now) const {
  X509ExtensionPtr alt_names;
  if (options.honour_requested_alt_names && options.dns_names.empty() &&
      options.ip_addresses.empty())
    alt_names = csr.requested_extension(NID_subject_alt_name);
  return issue_impl(csr.public_key(), X509_REQ_get_X509_PUBKEY(csr.get()), csr.subject_name(),
                    options, now, alt_names.get());
}

Result<Certificate> CertificateAuthority::issue_impl(EVP_PKEY* public_key, X509_PUBKEY* spki,
                                                     X509_NAME* subject,
                                                     const IssueOptions& options, TimePoint now,
                                                     X509_EXTENSION* requested_alt_names) const {
  if (!public_key) return make_error("bad_request", "no public key to certify");
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  if (auto r = set_random_serial(cert.get()); !r) return r.error();
  X509_set_subject_name(cert.get(), subject);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert_.get()));
  set_validity(cert.get(), now - options.backdate, now + options.validity);
  auto legacy = legacy_rsa_public_key(spki);
  if (X509_set_pubkey(cert.get(), legacy ? legacy.get() : public_key) != 1)
    return openssl_error("bad_request", "cannot set the certificate's public key");

  std::vector<std::pair<int, std::string>> exts;
  exts.emplace_back(NID_basic_constraints,
                    options.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  exts.emplace_back(NID_key_usage, options.is_ca ? "critical,keyCertSign,cRLSign,digitalSignature"
                                                 : "critical,digitalSignature,keyEncipherment");
  if (!options.extended_key_usage.empty()) {
    std::string eku;
    for (auto e : options.extended_key_usage)
      eku += (eku.empty() ? "" : ",") + std::string(eku_name(e));
    exts.emplace_back(NID_ext_key_usage, eku);
  }
  exts.emplace_back(NID_subject_key_identifier, "hash");
  exts.emplace_back(NID_authority_key_identifier, "keyid:always");
  std::string san;
  for (const auto& d : options.dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + d;
  for (const auto& ip : options.ip_addresses) san += (san.empty() ? "IP:" : ",IP:") + ip;
  if (!san.empty()) exts.emplace_back(NID_subject_alt_name, san);
  for (const auto& [nid, value] : exts) {
    if (auto r = add_ext(cert.get(), cert_.get(), nid, value); !r) return r.error();
  }
  if (requested_alt_names && X509_add_ext(cert.get(), requested_alt_names, -1) != 1)
    return openssl_error("bad_extension", "cannot copy the requested subjectAltName");
  count_private_key_operation();
  if (X509_sign(cert.get(), key_.get(), EVP_sha256()) <= 0)
    return openssl_error("sign_failed", "cannot sign certificate");
  return Certificate(std::move(cert));
}

}  // namespace mdmlab::crypto
