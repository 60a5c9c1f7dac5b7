#include "crypto/jwt.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <jwt/jwt.hpp>

namespace mdmlab::crypto {
using nlohmann::json;

namespace {
Error bad(std::string why) {
  return make_error("bad_jwt", std::move(why));
}

std::string public_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

Bytes bn_bytes(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) return {};
  BignumPtr owned(bn);
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, out.data());
  return out;
}

// The three base64url parts of a compact JWS, or an error.
Result<json> segment_json(std::string_view part) {
  auto raw = base64url_decode(part);
  if (!raw) return bad("a JWT part is not base64url");
  auto j = json::parse(to_string(*raw), nullptr, false);
  if (!j.is_object()) return bad("a JWT part is not a JSON object");
  return j;
}

// A member that must be a string: json::value() throws when the member has another type.
std::string string_member(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

Result<std::string> sign_rs256(const json& claims, const PrivateKey& key, const std::string& kid) {
  if (key.empty() || key.type() != KeyType::rsa) return bad("RS256 needs an RSA key");
  try {
    jwt::jwt_object obj{jwt::params::algorithm("RS256"), jwt::params::secret(key.to_pem())};
    obj.header().add_header("kid", kid);
    for (const auto& [name, value] : claims.items()) obj.payload().add_claim(name, value);
    std::error_code ec;
    auto token = obj.signature(ec);
    if (ec) return bad("signing failed: " + ec.message());
    return token;
  } catch (const std::exception& e) {
    return bad(std::string("signing failed: ") + e.what());
  }
}

json rsa_public_jwk(const PrivateKey& key, const std::string& kid) {
  return {{"kty", "RSA"},
          {"use", "sig"},
          {"alg", "RS256"},
          {"kid", kid},
          {"n", base64url_encode(bn_bytes(key.get(), OSSL_PKEY_PARAM_RSA_N))},
          {"e", base64url_encode(bn_bytes(key.get(), OSSL_PKEY_PARAM_RSA_E))}};
}

Result<std::string> public_pem_from_jwk(const json& jwk) {
  if (!jwk.is_object() || string_member(jwk, "kty") != "RSA" || !jwk.contains("n") ||
      !jwk.contains("e") || !jwk["n"].is_string() || !jwk["e"].is_string())
    return bad("not an RSA JWK");
  auto n = base64url_decode(jwk["n"].get<std::string>());
  auto e = base64url_decode(jwk["e"].get<std::string>());
  if (!n || !e || n->empty() || e->empty() || n->size() > 1024 || e->size() > 8)
    return bad("the JWK's n or e is not a base64url number of a sane size");
  BignumPtr bn_n(BN_bin2bn(n->data(), static_cast<int>(n->size()), nullptr));
  BignumPtr bn_e(BN_bin2bn(e->data(), static_cast<int>(e->size()), nullptr));
  using ParamBldPtr = OpenSslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
  using ParamPtr = OpenSslPtr<OSSL_PARAM, OSSL_PARAM_free>;
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1)
    return bad("cannot build the RSA key");
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return bad("cannot build the RSA key");
  EvpPkeyPtr key(raw);
  if (EVP_PKEY_get_bits(key.get()) < 2048) return bad("the JWK's RSA key is under 2048 bits");
  return public_pem(key.get());
}

Result<VerifiedJwt> verify_rs256(std::string_view token, const json& jwks) {
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return bad("not a compact JWS (three parts)");
  auto header = segment_json(token.substr(0, first));
  if (!header) return header.error();
  if (string_member(*header, "alg") != "RS256") return bad("the JWT is not RS256");
  if (!jwks.is_object() || !jwks.contains("keys") || !jwks["keys"].is_array())
    return bad("no JWKS keys");
  const json* jwk = nullptr;
  const auto kid = string_member(*header, "kid");
  for (const auto& k : jwks["keys"])
    if (k.is_object() && (kid.empty() ? jwks["keys"].size() == 1 : string_member(k, "kid") == kid))
      jwk = &k;
  if (!jwk) return bad("no JWKS key for the token's kid");
  // The claims are strict base64url JSON objects before cpp-jwt sees them: its own decoder is
  // lenient, and it throws (from nlohmann) on a payload that decodes to something else.
  auto claims = segment_json(token.substr(first + 1, second - first - 1));
  if (!claims) return claims.error();
  auto pem = public_pem_from_jwk(*jwk);
  if (!pem) return pem.error();
  std::error_code ec;
  try {
    auto decoded = jwt::decode(jwt::string_view(token.data(), token.size()),
                               jwt::params::algorithms({"RS256"}), ec, jwt::params::secret(*pem),
                               jwt::params::verify(true), jwt::params::leeway(31536000));
  } catch (const std::exception& e) {
    return bad(std::string("the JWT does not decode: ") + e.what());
  }
  if (ec) return bad("the JWT does not verify: " + ec.message());
  return VerifiedJwt{std::move(*header), std::move(*claims)};
}

}  // namespace mdmlab::crypto
