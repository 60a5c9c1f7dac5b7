// OAuth 2.0 requests as an Entra ID (Microsoft identity platform v2.0) token and authorize
// endpoint read them: application/x-www-form-urlencoded bodies and queries (RFC 6749 §3.1:
// a parameter at most once; '+' is a space), the token request by grant type, PKCE (RFC 7636)
// and the JSON error body Entra answers ({"error", "error_description": "AADSTS...", ...}).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace mdmlab::entra {

using FormParams = std::map<std::string, std::string>;
// Parses a form body or query string. Errors ("invalid_request"): a bad percent escape, a
// parameter twice, a name or value that is not UTF-8, an empty name.
Result<FormParams> parse_form(std::string_view text);
std::string encode_form(const FormParams& params);

struct TokenRequest {
  std::string grant_type;  // authorization_code, refresh_token, client_credentials
  std::string client_id, client_secret;
  std::string code, redirect_uri, code_verifier;  // authorization_code
  std::string refresh_token;                      // refresh_token
  std::string scope;
  bool wants_client_info = false;  // MSAL's client_info=1
};
// The token request from its form (client_secret_post) and, when present, an Authorization:
// Basic header's client id and secret (client_secret_basic; RFC 6749 §2.3.1: not both).
// Errors carry OAuth's codes: invalid_request, unsupported_grant_type.
Result<TokenRequest> parse_token_request(std::string_view body,
                                         std::string_view authorization_header = {});

// RFC 7636: a verifier is 43-128 of [A-Za-z0-9-._~]; S256 compares BASE64URL(SHA256(verifier)).
bool pkce_verifier_ok(std::string_view verifier);
bool pkce_matches(std::string_view verifier, std::string_view challenge, std::string_view method);
std::string pkce_s256(std::string_view verifier);

// Entra's error body: error, error_description ("AADSTS<code>: <text>"), error_codes, and
// timestamp / trace_id / correlation_id.
nlohmann::json oauth_error(const std::string& error, int aadsts, const std::string& description,
                           const std::string& timestamp);

}  // namespace mdmlab::entra
