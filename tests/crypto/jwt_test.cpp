// RS256 tokens: what we sign verifies with our JWK; another key, another algorithm ("none",
// HS256 with the public key as secret), a changed claim and a JWK of a small key are refused.
#include <boost/test/unit_test.hpp>

#include "crypto/jwt.hpp"
#include "tests/crypto/fixtures.hpp"

using namespace mdmlab;
using namespace mdmlab::crypto;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(jwt_rs256)

BOOST_AUTO_TEST_CASE(signed_tokens_verify_with_their_jwk_only) {
  const auto& key = testing::test_key(1);
  const auto& other = testing::test_key(2);
  json claims{{"sub", "u1"}, {"aud", "client"}, {"exp", 4102444800}};
  auto token = sign_rs256(claims, key, "k1").value();
  json jwks{{"keys", {rsa_public_jwk(other, "k2"), rsa_public_jwk(key, "k1")}}};
  auto v = verify_rs256(token, jwks).value();
  BOOST_TEST(v.header["kid"] == "k1");
  BOOST_TEST(v.claims["sub"] == "u1");
  // The other key under our kid: the signature fails.
  BOOST_TEST(!verify_rs256(token, json{{"keys", {rsa_public_jwk(other, "k1")}}}).ok());
  BOOST_TEST(!verify_rs256(token, json{{"keys", {rsa_public_jwk(key, "k9")}}}).ok());
  // A changed payload keeps the signature of the old one.
  auto dot1 = token.find('.'), dot2 = token.find('.', dot1 + 1);
  auto forged_payload =
      base64url_encode(to_bytes(json{{"sub", "admin"}, {"aud", "client"}}.dump()));
  BOOST_TEST(
      !verify_rs256(token.substr(0, dot1 + 1) + forged_payload + token.substr(dot2), jwks).ok());
  // alg none, and HS256: refused whatever the signature.
  auto none_header = base64url_encode(to_bytes(R"({"alg":"none","kid":"k1"})"));
  BOOST_TEST(!verify_rs256(none_header + token.substr(dot1, dot2 - dot1) + ".", jwks).ok());
  auto hs_header = base64url_encode(to_bytes(R"({"alg":"HS256","kid":"k1"})"));
  BOOST_TEST(!verify_rs256(hs_header + token.substr(dot1), jwks).ok());
  BOOST_TEST(!verify_rs256("a.b", jwks).ok());
  BOOST_TEST(!verify_rs256(token + ".x", jwks).ok());
  // Members of the wrong JSON type are refused, not thrown on (fuzz-smoke found alg: 0).
  auto number_alg = base64url_encode(to_bytes(R"({"alg":0,"kid":"k1"})"));
  BOOST_TEST(!verify_rs256(number_alg + token.substr(dot1), jwks).ok());
  auto number_kid = base64url_encode(to_bytes(R"({"alg":"RS256","kid":7})"));
  BOOST_TEST(!verify_rs256(number_kid + token.substr(dot1), jwks).ok());
  BOOST_TEST(!public_pem_from_jwk(json{{"kty", 1}, {"n", "AQAB"}, {"e", "AQAB"}}).ok());
}

BOOST_AUTO_TEST_CASE(jwks_keys_must_be_sane_rsa_keys) {
  BOOST_TEST(!public_pem_from_jwk(json{{"kty", "EC"}}).ok());
  BOOST_TEST(!public_pem_from_jwk(json{{"kty", "RSA"}, {"n", "AQAB"}, {"e", "AQAB"}}).ok());
  BOOST_TEST(!public_pem_from_jwk(json{{"kty", "RSA"}, {"n", "a+b/"}, {"e", "AQAB"}}).ok());
  auto pem = public_pem_from_jwk(rsa_public_jwk(testing::test_key(1), "k")).value();
  BOOST_TEST(pem.find("BEGIN PUBLIC KEY") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
