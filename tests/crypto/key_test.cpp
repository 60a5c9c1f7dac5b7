#include <boost/test/unit_test.hpp>

#include "crypto/key.hpp"
#include "tests/crypto/fixtures.hpp"

using namespace mdmlab;
using namespace mdmlab::crypto;

BOOST_AUTO_TEST_SUITE(key)

BOOST_AUTO_TEST_CASE(pem_and_der_round_trip_keep_the_same_key) {
  const auto& k = testing::test_key(1);
  auto from_pem = PrivateKey::from_pem(k.to_pem());
  BOOST_REQUIRE(from_pem.ok());
  BOOST_TEST(same_public_key(from_pem->get(), k.get()));
  auto from_der = PrivateKey::from_der(k.to_der());
  BOOST_REQUIRE(from_der.ok());
  BOOST_TEST(same_public_key(from_der->get(), k.get()));
  BOOST_TEST(k.bits() == 2048);
  BOOST_TEST((k.type() == KeyType::rsa));
}

BOOST_AUTO_TEST_CASE(different_keys_differ_and_fingerprints_are_stable) {
  const auto& a = testing::test_key(1);
  const auto& b = testing::test_key(2);
  BOOST_TEST(!same_public_key(a.get(), b.get()));
  BOOST_TEST(public_key_fingerprint(a.get()) == public_key_fingerprint(a.get()));
  BOOST_TEST(public_key_fingerprint(a.get()) != public_key_fingerprint(b.get()));
  BOOST_TEST(public_key_fingerprint(a.get()).size() == 64u);
}

BOOST_AUTO_TEST_CASE(garbage_is_rejected_with_an_error) {
  BOOST_TEST(
      !PrivateKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").ok());
  BOOST_TEST(!PrivateKey::from_der(to_bytes("not a key")).ok());
  auto ec = PrivateKey::generate_ec_p256();
  BOOST_REQUIRE(ec.ok());
  BOOST_TEST((ec->type() == KeyType::ec_p256));
}

BOOST_AUTO_TEST_SUITE_END()
