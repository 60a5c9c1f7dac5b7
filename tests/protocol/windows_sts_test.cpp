// The Windows STS / EUA tokens (seed 001): what we issue verifies (and PyJWT, a library we did
// not write, verifies it with the public key and reads upn and device_id); an hour and a
// minute later it has expired; a changed claim, another key, "none", HS256, another device_id
// and a missing device_id are refused with their own codes.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "crypto/jwt.hpp"
#include "protocol/windows/sts_token.hpp"
#include "tests/crypto/fixtures.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
namespace sts = mdmlab::windows::sts;

BOOST_AUTO_TEST_SUITE(windows_sts)

BOOST_AUTO_TEST_CASE(an_eua_token_is_good_for_its_device_for_one_hour) {
  const auto& key = testing::test_key(1);
  const auto now = TimePoint(std::chrono::seconds(1'800'000'000));
  auto token = sts::issue("ada@contoso.example", "DEVICE-1", key, now).value();
  auto c = sts::verify(token, key, now + std::chrono::minutes(59), std::string("DEVICE-1"));
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->upn == "ada@contoso.example");
  BOOST_TEST(c->device_id == "DEVICE-1");
  BOOST_TEST((c->expires_at - c->issued_at == std::chrono::hours(1)));

  auto code = [&](const std::string& t, TimePoint at, std::optional<std::string> device) {
    auto r = sts::verify(t, key, at, device);
    return r.ok() ? std::string("ok") : r.error().code;
  };
  BOOST_TEST(code(token, now + std::chrono::minutes(61) + std::chrono::seconds(1), "DEVICE-1") ==
             "sts_expired");
  BOOST_TEST(code(token, now - std::chrono::minutes(5), "DEVICE-1") == "sts_not_yet_valid");
  BOOST_TEST(code(token, now, std::string("DEVICE-2")) == "sts_wrong_device");
  auto no_device = sts::issue("ada@contoso.example", "", key, now).value();
  BOOST_TEST(code(no_device, now, std::string("DEVICE-1")) == "sts_missing_claim");
  BOOST_TEST(code(no_device, now, std::nullopt) == "ok");
  BOOST_TEST(code(sts::issue("ada@contoso.example", "DEVICE-1", testing::test_key(2), now).value(),
                  now, "DEVICE-1") == "bad_jwt");
  const auto dot1 = token.find('.'), dot2 = token.find('.', dot1 + 1);
  auto forged = base64url_encode(to_bytes(nlohmann::json{
      {"upn", "admin@contoso.example"},
      {"device_id", "DEVICE-1"},
      {"iat", 1'800'000'000},
      {"exp", 1'900'000'000}}.dump()));
  BOOST_TEST(code(token.substr(0, dot1 + 1) + forged + token.substr(dot2), now, "DEVICE-1") ==
             "bad_jwt");
  auto none = base64url_encode(to_bytes(R"({"alg":"none","typ":"JWT"})"));
  BOOST_TEST(code(none + token.substr(dot1, dot2 - dot1) + ".", now, "DEVICE-1") == "bad_jwt");
  auto hs = base64url_encode(to_bytes(R"({"alg":"HS256","typ":"JWT","kid":"wstep"})"));
  BOOST_TEST(code(hs + token.substr(dot1), now, "DEVICE-1") == "bad_jwt");
  BOOST_TEST(code("not.a.jwt", now, "DEVICE-1") == "bad_jwt");
}

BOOST_AUTO_TEST_CASE(pyjwt_verifies_what_we_issue) {
  const auto& key = testing::test_key(1);
  auto token = sts::issue("ada@contoso.example", "DEVICE-1", key, testing::now()).value();
  auto pem = crypto::public_pem_from_jwk(crypto::rsa_public_jwk(key, "wstep")).value();
  auto dir = testing::make_temp_dir("mdmlab-sts-");
  testing::write_file(dir + "/pub.pem", pem);
  testing::write_file(dir + "/token", token);
  auto r = testing::run_command(
      "/usr/bin/python3 -c \"import jwt; c = jwt.decode(open('" + dir + "/token').read(), open('" +
      dir +
      "/pub.pem').read(), algorithms=['RS256']); print(c['upn'], c['device_id'], "
      "c['exp'] - c['iat'])\"");
  BOOST_TEST(r.exit_code == 0, r.output);
  BOOST_TEST(r.output.find("ada@contoso.example DEVICE-1 3600") != std::string::npos, r.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
