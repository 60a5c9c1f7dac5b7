// OAuth 1.0a (RFC 5849) as Apple's DEP API uses it for GET /session: an Authorization header
// `OAuth realm="ADM", oauth_consumer_key=..., oauth_token=..., oauth_signature_method=
// "HMAC-SHA1", oauth_timestamp=..., oauth_nonce=..., oauth_version="1.0", oauth_signature=...`
// signed with the server token's consumer secret and access secret. Parsing, the signature
// base string (section 3.4.1) and HMAC-SHA1 signatures (section 3.4.2), with liboauth's percent
// encoding and HMAC. Pure: who may sign, nonces and clocks are the verifier's business.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace mdmlab::apple::dep {

using OAuthParams = std::vector<std::pair<std::string, std::string>>;

struct OAuthHeader {
  std::string realm;
  OAuthParams params;  // every oauth_* parameter, decoded, in header order
  // The first value of `name` ("" when absent).
  std::string get(std::string_view name) const;
};

// Parses `OAuth k="v", ...` (values percent-encoded, quoted). Refuses another scheme, a
// parameter given twice, and oauth_* parameters the protocol does not define.
Result<OAuthHeader> parse_oauth_header(std::string_view value);

// The signature base string: METHOD & enc(base URI) & enc(sorted, encoded parameters), the
// parameters being the header's oauth_* (not oauth_signature) and the query's.
std::string signature_base_string(std::string_view method, std::string_view base_uri,
                                  const OAuthParams& oauth, const OAuthParams& query);
// base64(HMAC-SHA1(enc(consumer_secret) & enc(token_secret), base)).
std::string hmac_sha1_signature(std::string_view base, std::string_view consumer_secret,
                                std::string_view token_secret);
// An Authorization header value for a client (tests and the server's DEP client): `params`
// must hold every oauth_* but oauth_signature, which is computed and added.
std::string authorization_header(std::string_view method, std::string_view base_uri,
                                 OAuthParams params, std::string_view consumer_secret,
                                 std::string_view token_secret);
// RFC 3986 percent-encoding as OAuth requires it (unreserved characters kept).
std::string percent_encode(std::string_view text);

}  // namespace mdmlab::apple::dep
