#include <boost/test/unit_test.hpp>

#include "protocol/scep/capabilities.hpp"

using mdmlab::scep::Capabilities;

BOOST_AUTO_TEST_SUITE(scep_capabilities)

BOOST_AUTO_TEST_CASE(parses_crlf_and_blank_lines_case_insensitively) {
  auto caps = Capabilities::parse("Renewal\r\nSHA-256\r\n\r\n  aes \nPOSTPKIOperation\n");
  BOOST_TEST(caps.list().size() == 4u);
  BOOST_TEST(caps.has("AES"));
  BOOST_TEST(caps.renewal());
  BOOST_TEST(caps.sha256());
  BOOST_TEST(caps.post_pki_operation());
  BOOST_TEST(!caps.has("DES3"));
  BOOST_TEST(caps.to_text() == "Renewal\nSHA-256\naes\nPOSTPKIOperation");
}

BOOST_AUTO_TEST_CASE(scep_standard_implies_aes_sha256_and_post) {
  auto caps = Capabilities::parse("SCEPStandard");
  BOOST_TEST(caps.aes());
  BOOST_TEST(caps.sha256());
  BOOST_TEST(caps.post_pki_operation());
  BOOST_TEST(!caps.renewal());
  BOOST_TEST(!Capabilities::parse("").aes());
}

BOOST_AUTO_TEST_SUITE_END()
