// The DEP server token: the OAuth 1.0a credentials an MDM server downloads from Apple Business
// Manager (nanodep's OAuth1Tokens JSON). ABM hands it out as an S/MIME file (smime.p7m): a CMS
// EnvelopedData, base64 under MIME headers, for the MDM server's certificate; inside, a
// text/plain part with the JSON between "-----BEGIN MESSAGE-----" and "-----END MESSAGE-----".
// Pure: decryption is the caller's (crypto::cms_decrypt with the server's key).
#pragma once

#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/time.hpp"

namespace mdmlab::apple::dep {

struct ServerToken {
  std::string consumer_key, consumer_secret, access_token, access_secret;
  TimePoint access_token_expiry{};  // epoch when absent
};

// {"consumer_key": ..., "consumer_secret": ..., "access_token": ..., "access_secret": ...,
// "access_token_expiry": "2027-11-29T19:00:00Z"}.
std::string encode_server_token(const ServerToken& t);
// The JSON, or a decrypted token message holding it between BEGIN/END MESSAGE. All four
// credentials must be non-empty strings; the expiry, when present, RFC 3339.
Result<ServerToken> parse_server_token(std::string_view text);
// The EnvelopedData DER inside an smime.p7m (headers, blank line, base64 lines).
Result<Bytes> smime_enveloped_der(std::string_view smime);
// True when the text looks like an smime.p7m rather than the token JSON.
bool looks_like_smime(std::string_view text);

}  // namespace mdmlab::apple::dep
