// RS256 JSON Web Tokens (RFC 7515/7519) through cpp-jwt, and RSA public keys as JSON Web Keys
// (RFC 7517) for a JWKS document. Signature checks only here: a caller checks the claims (iss,
// aud, exp, nonce) against its own clock and expectations. Only RS256 is accepted: "none",
// HMAC (the public key used as a secret) and everything else are refused.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "crypto/key.hpp"

namespace mdmlab::crypto {

// A compact JWS: header {"alg": "RS256", "typ": "JWT", "kid": kid}, the claims as given.
Result<std::string> sign_rs256(const nlohmann::json& claims, const PrivateKey& key,
                               const std::string& kid);
// The RSA key's public half as a JWK: {"kty": "RSA", "use": "sig", "alg": "RS256", "kid", "n",
// "e"} (base64url, no padding).
nlohmann::json rsa_public_jwk(const PrivateKey& key, const std::string& kid);
// An RSA public key (PEM SubjectPublicKeyInfo) from a JWK's n and e.
Result<std::string> public_pem_from_jwk(const nlohmann::json& jwk);

struct VerifiedJwt {
  nlohmann::json header, claims;
};
// Checks an RS256 token's signature with the key of `jwks` ({"keys": [...]}) its header's kid
// names (or the only key, when it names none). Errors (code "bad_jwt"): not a JWS, another
// algorithm, no such key, a bad signature.
Result<VerifiedJwt> verify_rs256(std::string_view token, const nlohmann::json& jwks);

}  // namespace mdmlab::crypto
