// OAuth 2.0 forms as Entra reads them: '+' and percent escapes, parameters at most once,
// UTF-8 only; token requests by grant type, client credentials in the body or a Basic header
// (never both), and PKCE S256 against RFC 7636's own example.
#include <boost/test/unit_test.hpp>

#include "protocol/entra/oauth_form.hpp"

using namespace mdmlab::entra;

BOOST_AUTO_TEST_SUITE(oauth_form)

BOOST_AUTO_TEST_CASE(forms_decode_and_refuse_what_rfc_6749_forbids) {
  auto f = parse_form("a=1+2&b=%2Fx%3D&empty=&flag").value();
  BOOST_TEST(f["a"] == "1 2");
  BOOST_TEST(f["b"] == "/x=");
  BOOST_TEST(f["empty"] == "");
  BOOST_TEST(f.count("flag") == 1u);
  for (const char* bad : {"a=1&a=2", "a=%2", "a=%zz", "=x", "a=%FF", "a=%C0%AF"})
    BOOST_TEST(!parse_form(bad).ok(), bad);
  auto round =
      parse_form(encode_form({{"redirect_uri", "https://h/cb?x=1 2"}, {"s", "ü"}})).value();
  BOOST_TEST(round["redirect_uri"] == "https://h/cb?x=1 2");
  BOOST_TEST(round["s"] == "ü");
}

BOOST_AUTO_TEST_CASE(token_requests_by_grant_type) {
  auto cc = parse_token_request(
                "grant_type=client_credentials&client_id=c&client_secret=s&"
                "scope=https%3A%2F%2Fgraph.microsoft.com%2F.default")
                .value();
  BOOST_TEST(cc.scope == "https://graph.microsoft.com/.default");
  // client_secret_basic: "c:s" base64.
  auto basic =
      parse_token_request("grant_type=refresh_token&refresh_token=r", "Basic YzpzM2NyZXQ=").value();
  BOOST_TEST(basic.client_id == "c");
  BOOST_TEST(basic.client_secret == "s3cret");
  BOOST_TEST(!parse_token_request("grant_type=refresh_token&refresh_token=r&client_secret=x",
                                  "Basic YzpzM2NyZXQ=")
                  .ok());
  BOOST_TEST(!parse_token_request("grant_type=authorization_code&client_id=c&code=x").ok());
  auto unsupported = parse_token_request("grant_type=password&client_id=c");
  BOOST_TEST(unsupported.error().code == "unsupported_grant_type");
  BOOST_TEST(!parse_token_request("client_id=c").ok());
}

BOOST_AUTO_TEST_CASE(pkce_s256_matches_rfc_7636_appendix_b) {
  const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  BOOST_TEST(pkce_s256(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  BOOST_TEST(pkce_matches(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256"));
  BOOST_TEST(!pkce_matches(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN", "S256"));
  BOOST_TEST(!pkce_verifier_ok("short"));
  BOOST_TEST(!pkce_verifier_ok(std::string(43, '+')));
  BOOST_TEST(!pkce_matches(verifier, verifier, "S512"));
}

BOOST_AUTO_TEST_SUITE_END()
