// SCEP pkiMessage with the cryptography the structure target (scep_pki_message) leaves out:
// the SignedData signature is checked (with the signer certificate the message carries, then
// with the fixed test certificate, as a client checks a CertRep against its CA), and the
// pkcsPKIEnvelope is opened with a fixed RSA-1024 test key (scep_test_key.hpp). Whatever comes
// out of the envelope is read as the server and client would: a CSR (PKCSReq / RenewalReq),
// an IssuerAndSubject (CertPoll) or a degenerate certs-only SignedData (CertRep SUCCESS).
// Seeds (fuzz/tools/corpus_gen.cpp) are real PKIMessages enveloped to the test certificate.
#include "crypto/csr.hpp"
#include "crypto/init.hpp"
#include "fuzz/targets/openssl_error_queue.hpp"
#include "fuzz/targets/scep_test_key.hpp"
#include "protocol/scep/issuer_and_subject.hpp"
#include "protocol/scep/pki_message.hpp"

namespace {
struct TestIdentity {
  mdmlab::crypto::PrivateKey key;
  mdmlab::crypto::Certificate cert;
};

const TestIdentity& test_identity() {
  static const TestIdentity id = [] {
    mdmlab::crypto::init_openssl();
    TestIdentity t;
    t.key = mdmlab::crypto::PrivateKey::from_pem(mdmlab::fuzz::kScepTestKeyPem).value();
    t.cert = mdmlab::crypto::Certificate::from_pem(mdmlab::fuzz::kScepTestCertPem).value();
    return t;
  }();
  return id;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mdmlab::fuzz::ClearOpenSslErrorsOnExit clear_errors;
  using namespace mdmlab;
  const auto& id = test_identity();
  auto msg = scep::decode_pki_message(Bytes(data, data + size));
  if (!msg) return 0;
  (void)scep::verify_pki_message(*msg);
  (void)scep::verify_pki_message(*msg, &id.cert);
  if (!msg->envelope) return 0;
  (void)crypto::cms_envelope_cipher(*msg->envelope);
  auto inner = scep::open_envelope(*msg, id.key, &id.cert);
  if (!inner) inner = scep::open_envelope(*msg, id.key);  // recipient not matched by certificate
  if (!inner) return 0;
  switch (msg->type) {
    case scep::MessageType::pkcs_req:
    case scep::MessageType::renewal_req:
      if (auto csr = crypto::Csr::from_der(*inner)) {
        (void)csr->subject();
        (void)csr->challenge_password();
        (void)csr->signature_valid();
      }
      break;
    case scep::MessageType::cert_poll:
    case scep::MessageType::get_cert:
    case scep::MessageType::get_crl:
      (void)scep::decode_issuer_and_subject(*inner);
      break;
    case scep::MessageType::cert_rep:
      if (auto certs = crypto::parse_degenerate_pkcs7(*inner)) {
        for (const auto& c : *certs) {
          (void)c.subject();
          (void)c.signed_by(id.cert);
        }
      }
      break;
  }
  return 0;
}
