#include <boost/test/unit_test.hpp>

#include <set>

#include "crypto/ca.hpp"
#include "crypto/csr.hpp"
#include "tests/crypto/fixtures.hpp"

using namespace mdmlab;
using namespace mdmlab::crypto;

BOOST_AUTO_TEST_SUITE(ca)

BOOST_AUTO_TEST_CASE(csr_carries_subject_key_and_challenge) {
  const auto& key = testing::test_key(1);
  auto csr = Csr::build(key, {{{"CN", "mac-0001"}, {"O", "mdmlab"}}, "s3cret"});
  BOOST_REQUIRE(csr.ok());
  auto parsed = Csr::from_der(csr->to_der());
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed->challenge_password() == "s3cret");
  BOOST_TEST(parsed->subject() == "O=mdmlab,CN=mac-0001");
  BOOST_TEST(parsed->signature_valid());
  BOOST_TEST(same_public_key(parsed->public_key(), key.get()));
  auto pem = Csr::from_pem(csr->to_pem());
  BOOST_REQUIRE(pem.ok());
  BOOST_TEST(pem->to_der() == csr->to_der());
}

BOOST_AUTO_TEST_CASE(tampered_csr_signature_does_not_verify) {
  auto csr = Csr::build(testing::test_key(1), {{{"CN", "x"}}, ""}).value();
  auto der = csr.to_der();
  der[der.size() - 5] ^= 0x01;  // inside the signature BIT STRING
  auto parsed = Csr::from_der(der);
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(!parsed->signature_valid());
}

BOOST_AUTO_TEST_CASE(a_csr_with_bytes_after_it_is_refused) {
  auto der = Csr::build(testing::test_key(1), {{{"CN", "x"}}, ""}).value().to_der();
  BOOST_TEST(Csr::from_der(der).ok());
  der.push_back(0x00);
  BOOST_TEST(Csr::from_der(der).error().code == "bad_csr");
}

BOOST_AUTO_TEST_CASE(issued_certs_chain_to_the_ca_with_unique_serials) {
  const auto& ca = testing::test_ca();
  BOOST_TEST(ca.certificate().self_signed());
  auto csr = Csr::build(testing::test_key(1), {{{"CN", "device-1"}}, ""}).value();
  std::set<std::string> serials;
  for (int i = 0; i < 20; ++i) {
    auto cert = ca.issue(csr, {}, testing::now());
    BOOST_REQUIRE(cert.ok());
    serials.insert(cert->serial_hex());
    BOOST_TEST(cert->signed_by(ca.certificate()));
    BOOST_TEST(cert->common_name() == "device-1");
    BOOST_TEST(verify_chain(*cert, {ca.certificate()}, {}, testing::now()).ok());
  }
  BOOST_TEST(serials.size() == 20u);
}

BOOST_AUTO_TEST_CASE(validity_is_honoured_and_expired_certs_fail_verification) {
  const auto& ca = testing::test_ca();
  auto csr = Csr::build(testing::test_key(2), {{{"CN", "short"}}, ""}).value();
  IssueOptions opts;
  opts.validity = std::chrono::hours(1);
  opts.backdate = std::chrono::seconds(0);
  auto t0 = testing::now();
  auto cert = ca.issue(csr, opts, t0).value();
  BOOST_TEST(cert.valid_at(t0 + std::chrono::minutes(30)));
  BOOST_TEST(!cert.valid_at(t0 + std::chrono::hours(2)));
  BOOST_TEST(!verify_chain(cert, {ca.certificate()}, {}, t0 + std::chrono::hours(2)).ok());
  // A foreign CA does not verify it.
  auto other = CertificateAuthority::create_root(testing::test_key(3), {{"CN", "other"}}, t0,
                                                 std::chrono::hours(24))
                   .value();
  BOOST_TEST(!verify_chain(cert, {other.certificate()}, {}, t0).ok());
  BOOST_TEST(!cert.signed_by(other.certificate()));
}

BOOST_AUTO_TEST_SUITE_END()
