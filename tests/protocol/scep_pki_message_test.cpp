#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>

#include "crypto/csr.hpp"
#include "protocol/scep/issuer_and_subject.hpp"
#include "protocol/scep/pki_message.hpp"
#include "tests/crypto/fixtures.hpp"

using namespace mdmlab;
using namespace mdmlab::scep;

namespace {
struct Requester {
  crypto::PrivateKey key = testing::test_key(1);
  crypto::Certificate self =
      crypto::make_self_signed(key, {{"CN", "requester"}}, testing::now(), std::chrono::hours(1))
          .value();
  crypto::Csr csr = crypto::Csr::build(key, {{{"CN", "mac-1"}}, "challenge"}).value();
};

RequestParams pkcs_req(const Requester& r) {
  RequestParams p;
  p.type = MessageType::pkcs_req;
  p.transaction_id = transaction_id_for(r.key.get());
  p.content = r.csr.to_der();
  p.recipients = {testing::test_ca().certificate()};
  p.signer = r.self;
  p.signer_key = r.key;
  return p;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(scep_pki_message)

BOOST_AUTO_TEST_CASE(pkcs_req_round_trips_through_decode_verify_and_open) {
  Requester r;
  auto params = pkcs_req(r);
  params.sender_nonce = Bytes(16, 0x42);
  auto der = build_request(params).value();
  auto msg = decode_pki_message(der).value();
  BOOST_TEST((msg.type == MessageType::pkcs_req));
  BOOST_TEST(msg.transaction_id == params.transaction_id);
  BOOST_TEST(msg.sender_nonce == Bytes(16, 0x42));
  BOOST_TEST(!msg.recipient_nonce.has_value());
  BOOST_TEST(msg.signer == r.self);
  BOOST_TEST(msg.digest_algorithm == "SHA256");
  BOOST_TEST(verify_pki_message(msg).ok());
  auto inner = open_envelope(msg, testing::test_ca().key()).value();
  auto csr = crypto::Csr::from_der(inner).value();
  BOOST_TEST(csr.challenge_password() == "challenge");
  BOOST_TEST(crypto::cms_envelope_cipher(*msg.envelope).value() == "AES-128-CBC");
}

BOOST_AUTO_TEST_CASE(cert_rep_success_carries_the_issued_certificate_to_the_requester) {
  Requester r;
  const auto& ca = testing::test_ca();
  auto issued = ca.issue(r.csr, {}, testing::now()).value();
  CertRepParams p;
  p.transaction_id = "TX-1";
  p.recipient_nonce = Bytes(16, 1);
  p.status = PkiStatus::success;
  p.issued = {issued};
  p.requester = r.self;
  p.signer = ca.certificate();
  p.signer_key = ca.key();
  auto msg = decode_pki_message(build_cert_rep(p).value()).value();
  BOOST_TEST((msg.type == MessageType::cert_rep));
  BOOST_TEST((msg.status == PkiStatus::success));
  BOOST_TEST(msg.recipient_nonce.value() == Bytes(16, 1));
  BOOST_TEST(msg.sender_nonce.size() == kNonceSize);
  BOOST_TEST(verify_pki_message(msg, &ca.certificate()).ok());
  auto inner = open_envelope(msg, r.key).value();
  auto certs = crypto::parse_degenerate_pkcs7(inner).value();
  BOOST_TEST(certs.at(0) == issued);
  // The CA cannot read what was encrypted to the requester. Named by its certificate, the CA is
  // no recipient; with a bare key, OpenSSL's implicit rejection decrypts with a random key, which
  // fails or (about once in 256 runs, when the CBC padding happens to check) yields garbage.
  BOOST_TEST(!open_envelope(msg, ca.key(), &ca.certificate()).ok());
  auto blind = open_envelope(msg, ca.key());
  BOOST_TEST((!blind.ok() || blind.value() != inner));
}

BOOST_AUTO_TEST_CASE(cert_rep_failure_has_fail_info_and_no_envelope) {
  const auto& ca = testing::test_ca();
  CertRepParams p;
  p.transaction_id = "TX-2";
  p.recipient_nonce = Bytes(16, 2);
  p.status = PkiStatus::failure;
  p.fail_info = FailInfo::bad_message_check;
  p.signer = ca.certificate();
  p.signer_key = ca.key();
  auto msg = decode_pki_message(build_cert_rep(p).value()).value();
  BOOST_TEST((msg.status == PkiStatus::failure));
  BOOST_TEST((msg.fail_info == FailInfo::bad_message_check));
  BOOST_TEST(!msg.envelope.has_value());
  BOOST_TEST(verify_pki_message(msg, &ca.certificate()).ok());
}

BOOST_AUTO_TEST_CASE(decode_rejects_garbage_and_missing_attributes) {
  BOOST_TEST(!decode_pki_message(to_bytes("garbage")).ok());
  BOOST_TEST(!decode_pki_message(Bytes{}).ok());
  Requester r;
  auto der = build_request(pkcs_req(r)).value();
  for (std::size_t cut : {std::size_t{10}, der.size() / 2, der.size() - 1}) {
    BOOST_TEST(!decode_pki_message(Bytes(der.begin(), der.begin() + cut)).ok());
  }
  // A plain SignedData without SCEP attributes.
  auto plain = crypto::cms_sign(to_bytes("x"), r.self, r.key, {}, {}).value();
  auto res = decode_pki_message(plain);
  BOOST_REQUIRE(!res.ok());
  BOOST_TEST(res.error().code == "bad_message");
}

BOOST_AUTO_TEST_CASE(issuer_and_subject_round_trips) {
  const auto& ca = testing::test_ca();
  Requester r;
  auto der = encode_issuer_and_subject(X509_get_subject_name(ca.certificate().get()),
                                       r.csr.subject_name());
  auto ias = decode_issuer_and_subject(der).value();
  BOOST_TEST(X509_NAME_cmp(ias.issuer.get(), X509_get_subject_name(ca.certificate().get())) == 0);
  BOOST_TEST(X509_NAME_cmp(ias.subject.get(), r.csr.subject_name()) == 0);
  der.push_back(0);
  BOOST_TEST(!decode_issuer_and_subject(der).ok());
  BOOST_TEST(!decode_issuer_and_subject(to_bytes("\x30\x05zzzzz")).ok());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(scep_third_party_messages)

// Real messages captured on loopback from micromdm's scep 2.1.0 (see fuzz/README.md).
BOOST_AUTO_TEST_CASE(micromdm_scepclient_request_and_scepserver_reply_decode) {
  auto read = [](const std::string& name) {
    std::ifstream in(std::string(MDMLAB_SOURCE_DIR) + "/fuzz/corpus/scep_pki_message/" + name,
                     std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  auto req = decode_pki_message(read("scepclient-pkcsreq.der"));
  BOOST_REQUIRE(req.ok());
  BOOST_TEST((req->type == MessageType::pkcs_req));
  BOOST_TEST(req->digest_algorithm == "SHA1");
  BOOST_TEST(req->transaction_id.size() == 28u);  // base64 of a 20-byte key hash
  BOOST_TEST(crypto::cms_envelope_cipher(*req->envelope).value() == "DES-CBC");
  BOOST_TEST(verify_pki_message(*req).ok());
  BOOST_TEST(req->signer.common_name() == "SCEP SIGNER");

  auto rep = decode_pki_message(read("scepserver-certrep.der"));
  BOOST_REQUIRE(rep.ok());
  BOOST_TEST((rep->type == MessageType::cert_rep));
  BOOST_TEST((rep->status == PkiStatus::success));
  BOOST_TEST(rep->transaction_id == req->transaction_id);
  BOOST_TEST((rep->recipient_nonce.value() == req->sender_nonce));
}

BOOST_AUTO_TEST_SUITE_END()
