// Sign-ins in flight at an identity provider, by the OAuth `state` the server gave them: each is
// taken once, expires on the server's clock, and expired ones are dropped as new ones come.
// `Pending` is what the page that started the sign-in needs back at the callback; it has an
// `expires` time point.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock/clock.hpp"

namespace mdmlab::server::idp {

template <typename Pending>
class SignInSessions {
 public:
  explicit SignInSessions(std::shared_ptr<Clock> clock, std::size_t limit = 10000)
      : clock_(std::move(clock)), limit_(limit) {}

  // False when `limit` sign-ins are already in flight.
  bool put(const std::string& state, Pending p) {
    std::lock_guard lock(mutex_);
    const auto now = clock_->now();
    std::erase_if(pending_, [&](const auto& kv) { return kv.second.expires <= now; });
    if (pending_.size() >= limit_) return false;
    pending_[state] = std::move(p);
    return true;
  }

  std::optional<Pending> take(const std::string& state) {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(state);
    if (it == pending_.end()) return std::nullopt;
    auto p = std::move(it->second);
    pending_.erase(it);
    if (p.expires <= clock_->now()) return std::nullopt;
    return p;
  }

 private:
  std::shared_ptr<Clock> clock_;
  std::size_t limit_;
  std::mutex mutex_;
  std::map<std::string, Pending> pending_;
};

}  // namespace mdmlab::server::idp
