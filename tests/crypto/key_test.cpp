#include <boost/test/unit_test.hpp>

#include <cctype>
#include <filesystem>
#include "crypto/key.hpp"

#include "tests/crypto/fixtures.hpp"
#include "tests/support/process.hpp"

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
  // Stable: the same key read back from its PEM (a different EVP_PKEY) has the same print.
  auto reread = PrivateKey::from_pem(a.to_pem()).value();
  BOOST_TEST(public_key_fingerprint(reread.get()) == public_key_fingerprint(a.get()));
  BOOST_TEST(public_key_fingerprint(a.get()) != public_key_fingerprint(b.get()));
  BOOST_TEST(public_key_fingerprint(a.get()).size() == 64u);
}

// The fingerprint is what OpenSSL's own CLI computes: SHA-256 over the SubjectPublicKeyInfo.
BOOST_AUTO_TEST_CASE(fingerprint_matches_the_openssl_cli) {
  const auto& a = testing::test_key(1);
  auto dir = testing::make_temp_dir("mdmlab-fp-");
  testing::write_file(dir + "/k.pem", a.to_pem());
  auto r = testing::run_command("openssl pkey -in " + dir + "/k.pem -pubout -outform DER | " +
                                "openssl dgst -sha256 -r");
  BOOST_REQUIRE(r.exit_code == 0);
  auto cli = r.output.substr(0, 64);
  auto ours = public_key_fingerprint(a.get());
  for (auto& c : ours) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  BOOST_TEST(ours == cli);
  std::filesystem::remove_all(dir);
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
