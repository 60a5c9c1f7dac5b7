#include "server/apple/ota_challenge_book.hpp"

#include <charconv>

#include "common/bytes.hpp"
#include "crypto/digest.hpp"
#include "crypto/random.hpp"
#include "crypto/secret.hpp"

namespace mdmlab::server::apple {
namespace {
constexpr auto kLifetime = std::chrono::hours(24);

// "<issued unix seconds>.<nonce>.<HMAC-SHA256(secret, issued.nonce)>", all hex.
std::string mac(const std::string& secret, const std::string& issued_and_nonce) {
  return hex_encode(crypto::hmac_sha256(secret, "mdmlab-ota-challenge." + issued_and_nonce));
}
}  // namespace

const char* to_string(OtaChallengeBook::Use u) {
  switch (u) {
    case OtaChallengeBook::Use::ok:
      return "ok";
    case OtaChallengeBook::Use::unknown:
      return "wrong or missing CHALLENGE";
    case OtaChallengeBook::Use::expired:
      return "the CHALLENGE has expired: download the profile again";
    case OtaChallengeBook::Use::reused:
      return "the CHALLENGE was used already";
    case OtaChallengeBook::Use::other_device:
      return "the CHALLENGE belongs to another device";
  }
  return "?";
}

OtaChallengeBook::OtaChallengeBook(std::string secret, std::shared_ptr<Clock> clock)
    : secret_(std::move(secret)), clock_(std::move(clock)) {}

std::string OtaChallengeBook::issue() {
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_->now().time_since_epoch()).count();
  auto head = std::to_string(now) + "." + hex_encode(crypto::random_bytes(16));
  return head + "." + mac(secret_, head);
}

OtaChallengeBook::Use OtaChallengeBook::check(const std::string& challenge,
                                              TimePoint& issued) const {
  const auto dot = challenge.rfind('.');
  if (dot == std::string::npos || challenge.size() > 200) return Use::unknown;
  const auto head = challenge.substr(0, dot);
  if (!crypto::constant_time_equals(challenge.substr(dot + 1), mac(secret_, head)))
    return Use::unknown;
  long long seconds = 0;
  const auto first = head.find('.');
  auto [p, ec] = std::from_chars(head.data(), head.data() + first, seconds);
  if (ec != std::errc() || p != head.data() + first) return Use::unknown;
  issued = TimePoint(std::chrono::seconds(seconds));
  const auto now = clock_->now();
  if (now - issued > kLifetime || issued - now > std::chrono::minutes(5)) return Use::expired;
  return Use::ok;
}

void OtaChallengeBook::forget_expired(TimePoint now) {
  for (auto it = used_.begin(); it != used_.end();)
    it = now - it->second.issued > kLifetime ? used_.erase(it) : std::next(it);
}

OtaChallengeBook::Use OtaChallengeBook::begin(const std::string& challenge,
                                              const std::string& udid) {
  TimePoint issued;
  if (auto v = check(challenge, issued); v != Use::ok) return v;
  std::lock_guard lock(mutex_);
  forget_expired(clock_->now());
  if (used_.count(challenge)) return Use::reused;
  used_[challenge] = State{udid, false, issued};
  return Use::ok;
}

OtaChallengeBook::Use OtaChallengeBook::finish(const std::string& challenge,
                                               const std::string& udid) {
  TimePoint issued;
  if (auto v = check(challenge, issued); v != Use::ok) return v;
  std::lock_guard lock(mutex_);
  auto it = used_.find(challenge);
  // A phase 3 whose phase 2 this server never saw (or forgot, after a restart) is refused:
  // the throw-away identity was issued against a challenge it bound.
  if (it == used_.end()) return Use::unknown;
  if (it->second.udid != udid) return Use::other_device;
  if (it->second.finished) return Use::reused;
  it->second.finished = true;
  return Use::ok;
}

}  // namespace mdmlab::server::apple
