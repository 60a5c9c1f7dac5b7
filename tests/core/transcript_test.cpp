#include <boost/test/unit_test.hpp>

#include "core/net/transcript.hpp"

using namespace mdmlab;

BOOST_AUTO_TEST_SUITE(transcript)

// A secret that is a substring of the replacement text used to loop forever.
BOOST_AUTO_TEST_CASE(redaction_ends_for_a_secret_inside_the_replacement_text) {
  net::Transcript t;
  t.add_secret("red");
  t.add_secret("a");
  net::HttpRequest req;
  req.method = "GET";
  req.target = "/red/a/red";
  t.request("mac1", "http://127.0.0.1:1", req);
  auto lines = t.lines();
  BOOST_REQUIRE(lines.size() == 1u);
  BOOST_TEST(lines[0].find("/red/") == std::string::npos, lines[0]);
  BOOST_TEST(lines[0].find("[redacted]") != std::string::npos, lines[0]);
}

BOOST_AUTO_TEST_CASE(json_secrets_are_redacted_by_field_wherever_they_sit) {
  auto s = net::summarize_body(
      "application/json",
      R"({"udids": ["A"], "type": "DeviceLock", "params": {"pin": "123456", "Message": "hi"},)"
      R"( "nested": [{"Passcode": "9999"}], "scep_challenge": "s3cret", "note": "keep"})");
  BOOST_TEST(s.find("123456") == std::string::npos, s);
  BOOST_TEST(s.find("9999") == std::string::npos, s);
  BOOST_TEST(s.find("s3cret") == std::string::npos, s);
  BOOST_TEST(s.find("DeviceLock") != std::string::npos, s);
  BOOST_TEST(s.find("keep") != std::string::npos, s);
  // Text that only looks like JSON is not echoed: a secret in it could not be found by field.
  auto broken = net::summarize_body("application/json", R"({"pin": "123456")");
  BOOST_TEST(broken.find("123456") == std::string::npos, broken);
}

BOOST_AUTO_TEST_SUITE_END()
