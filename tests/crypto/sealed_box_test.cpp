// Sealed secrets: what seals opens only under the same key and associated data, alterations are
// refused, and pyca/cryptography's AESGCM (a library we did not write) opens what we seal.
#include <algorithm>
#include <boost/test/unit_test.hpp>

#include "crypto/sealed_box.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using namespace mdmlab::crypto;

BOOST_AUTO_TEST_SUITE(sealed_box)

BOOST_AUTO_TEST_CASE(seals_open_with_the_same_key_and_associated_data_only) {
  auto key = SealingKey::generate();
  const Bytes secret = to_bytes("bootstrap token bytes");
  auto sealed = seal(key, secret, "UDID-1").value();
  BOOST_TEST(sealed.size() == 1 + 12 + secret.size() + 16);
  BOOST_TEST(
      (std::search(sealed.begin(), sealed.end(), secret.begin(), secret.end()) == sealed.end()));
  BOOST_TEST((open_sealed(key, sealed, "UDID-1").value() == secret));
  BOOST_TEST(!open_sealed(key, sealed, "UDID-2").ok());
  BOOST_TEST(!open_sealed(SealingKey::generate(), sealed, "UDID-1").ok());
  // Two seals of one secret differ (fresh nonce).
  BOOST_TEST((seal(key, secret, "UDID-1").value() != sealed));
  BOOST_TEST((open_sealed(key, seal(key, {}, "x").value(), "x").value().empty()));
}

BOOST_AUTO_TEST_CASE(altered_or_malformed_values_are_refused) {
  auto key = SealingKey::generate();
  auto sealed = seal(key, to_bytes("secret"), "a").value();
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    auto altered = sealed;
    altered[i] ^= 0x20;
    BOOST_TEST(!open_sealed(key, altered, "a").ok(), "byte " << i);
  }
  BOOST_TEST(!open_sealed(key, Bytes(sealed.begin(), sealed.end() - 1), "a").ok());
  BOOST_TEST(!open_sealed(key, {}, "a").ok());
  BOOST_TEST(!open_sealed(key, to_bytes("plain legacy token"), "a").ok());
  BOOST_TEST(!SealingKey::from_bytes(Bytes(31, 1)).ok());
  BOOST_TEST(SealingKey::from_bytes(Bytes(32, 1)).ok());
}

BOOST_AUTO_TEST_CASE(pyca_cryptography_opens_what_we_seal) {
  auto key = SealingKey::generate();
  auto sealed = seal(key, to_bytes("escrowed"), "UDID-9").value();
  const std::string script =
      "import sys; from cryptography.hazmat.primitives.ciphers.aead import AESGCM; "
      "k = bytes.fromhex(sys.argv[1]); s = bytes.fromhex(sys.argv[2]); "
      "assert s[0] == 1; "
      "print(AESGCM(k).decrypt(s[1:13], s[13:], b'UDID-9').decode())";
  auto r = testing::run_command("/usr/bin/python3 -c \"" + script + "\" " +
                                hex_encode(key.bytes()) + " " + hex_encode(sealed));
  BOOST_TEST(r.exit_code == 0, r.output);
  BOOST_TEST(r.output == "escrowed\n");
}

BOOST_AUTO_TEST_SUITE_END()
