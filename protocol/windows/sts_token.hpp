// The Windows STS tokens (seed 001): RS256 JWTs signed with the WSTEP identity key. The auth
// page's token carries upn and sub; the end-user-auth (EUA) token the MsiInstallJob hands the
// agent adds device_id and lives one hour. Checking a token refuses what crypto/jwt refuses
// (another algorithm, "none", HMAC with the public key, a bad signature) and then, on the
// caller's clock: not yet valid (nbf), expired (exp), missing upn, missing or other device_id.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "common/time.hpp"
#include "crypto/key.hpp"

namespace mdmlab::windows::sts {

inline constexpr std::chrono::hours kEuaLifetime{1};
inline constexpr std::chrono::seconds kClockSkew{60};

struct StsClaims {
  std::string upn;
  std::string sub;
  std::string device_id;  // EUA tokens only
  TimePoint issued_at{}, not_before{}, expires_at{};
};

// A token for `claims` (iat = nbf = now, exp = now + lifetime), signed with `key` (RSA).
Result<std::string> issue(const std::string& upn, const std::string& device_id,
                          const crypto::PrivateKey& key, TimePoint now,
                          std::chrono::seconds lifetime = kEuaLifetime);

// Codes: bad_jwt (signature, algorithm, shape), sts_expired, sts_not_yet_valid,
// sts_missing_claim, sts_wrong_device.
Result<StsClaims> verify(const std::string& token, const crypto::PrivateKey& key, TimePoint now,
                         const std::optional<std::string>& device_id = std::nullopt);

}  // namespace mdmlab::windows::sts
