#include "protocol/windows/sts_token.hpp"

#include "crypto/jwt.hpp"

#include <algorithm>

namespace mdmlab::windows::sts {
namespace {
constexpr const char* kKid = "wstep";

long long seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string text(const nlohmann::json& claims, const char* name) {
  return claims.contains(name) && claims[name].is_string() ? claims[name].get<std::string>() : "";
}

std::optional<TimePoint> time_claim(const nlohmann::json& claims, const char* name) {
  if (!claims.contains(name) || !claims[name].is_number_integer()) return std::nullopt;
  return TimePoint(std::chrono::seconds(claims[name].get<long long>()));
}
}  // namespace

Result<std::string> issue(const std::string& upn, const std::string& device_id,
                          const crypto::PrivateKey& key, TimePoint now,
                          std::chrono::seconds lifetime) {
  nlohmann::json claims{{"upn", upn},
                        {"sub", upn},
                        {"iat", seconds(now)},
                        {"nbf", seconds(now)},
                        {"exp", seconds(now + lifetime)}};
  if (!device_id.empty()) claims["device_id"] = device_id;
  return crypto::sign_rs256(claims, key, kKid);
}

Result<StsClaims> verify(const std::string& token, const crypto::PrivateKey& key, TimePoint now,
                         const std::optional<std::string>& device_id) {
  const nlohmann::json jwks{{"keys", nlohmann::json::array({crypto::rsa_public_jwk(key, kKid)})}};
  auto verified = crypto::verify_rs256(token, jwks);
  if (!verified) return verified.error();
  const auto& c = verified->claims;
  StsClaims out;
  out.upn = text(c, "upn");
  out.sub = text(c, "sub");
  out.device_id = text(c, "device_id");
  auto iat = time_claim(c, "iat");
  auto nbf = time_claim(c, "nbf");
  auto exp = time_claim(c, "exp");
  if (out.upn.empty()) return make_error("sts_missing_claim", "the token has no upn");
  if (!exp || !iat) return make_error("sts_missing_claim", "the token has no exp or iat");
  out.issued_at = *iat;
  out.not_before = nbf ? *nbf : *iat;
  out.expires_at = *exp;
  if (now + kClockSkew < out.not_before)
    return make_error("sts_not_yet_valid", "the token is not valid yet");
  if (now >= out.expires_at + kClockSkew) return make_error("sts_expired", "the token expired");
  if (device_id) {
    if (out.device_id.empty()) return make_error("sts_missing_claim", "the token has no device_id");
    if (out.device_id != *device_id)
      return make_error("sts_wrong_device", "the token was issued for another device");
  }
  return out;
}

}  // namespace mdmlab::windows::sts
