#include "simulators/services/apns/apns_state.hpp"

#include <boost/asio/post.hpp>

#include "crypto/random.hpp"

namespace mdmlab::simulators::apns {
namespace asio = boost::asio;

namespace {
constexpr std::size_t kLogLimit = 200000;

std::int64_t unix_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
}  // namespace

void ApnsState::register_token(const std::string& token_hex, const std::string& topic) {
  std::lock_guard lock(mutex_);
  auto& d = devices_[token_hex];
  d.topic = topic;
  d.unregistered_at.reset();
}

void ApnsState::connect(const std::string& token_hex) {
  std::lock_guard lock(mutex_);
  if (auto it = devices_.find(token_hex); it != devices_.end()) it->second.online = true;
}

void ApnsState::disconnect(const std::string& token_hex) {
  std::lock_guard lock(mutex_);
  if (auto it = devices_.find(token_hex); it != devices_.end()) {
    it->second.online = false;
    wake(it->second);  // a waiting long-poll returns now
  }
}

void ApnsState::unregister(const std::string& token_hex) {
  std::lock_guard lock(mutex_);
  auto& d = devices_[token_hex];
  d.unregistered_at = clock_->now();
  d.online = false;
}

Delivery& ApnsState::record(Delivery d) {
  d.seq = next_seq_++;
  log_.push_back(std::move(d));
  if (log_.size() > kLogLimit) log_.pop_front();
  return log_.back();
}

Delivery* ApnsState::find(std::uint64_t seq) {
  if (log_.empty() || seq < log_.front().seq) return nullptr;
  auto i = seq - log_.front().seq;
  return i < log_.size() ? &log_[i] : nullptr;
}

void ApnsState::wake(Device& d) {
  for (auto& t : d.waiters) asio::post(t->get_executor(), [t] { t->cancel(); });
  d.waiters.clear();
}

void ApnsState::expire(Device& d, TimePoint now) {
  const auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  for (auto it = d.pending.begin(); it != d.pending.end();) {
    auto exp = d.expiration[*it];
    if (exp && *exp != 0 && *exp < now_s) {
      if (auto* del = find(*it)) del->state = "expired";
      counts_.expired++;
      d.expiration.erase(*it);
      it = d.pending.erase(it);
    } else {
      ++it;
    }
  }
}

Verdict ApnsState::accept(const Result<apple::ApnsPush>& push,
                          const apple::ApnsRejection& rejection, const std::string& token_hint) {
  std::lock_guard lock(mutex_);
  const auto now = clock_->now();
  Verdict v;
  Delivery del;
  del.received_at = now;
  del.received_wall = std::chrono::system_clock::now();
  if (push) {
    del.token_hex = push->token_hex;
    del.topic = push->topic;
    del.payload = push->payload;
    del.apns_id = push->apns_id;
  } else {
    del.token_hex = token_hint;
  }
  if (del.apns_id.empty()) del.apns_id = crypto::random_uuid();
  v.apns_id = del.apns_id;
  auto reject = [&](int status, std::string reason) {
    v.status = del.status = status;
    v.reason = del.reason = std::move(reason);
    del.state = "rejected";
    counts_.rejected++;
    record(std::move(del));
    return v;
  };
  if (!push) return reject(rejection.status, rejection.reason);

  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->token_hex.empty() && it->token_hex != push->token_hex) continue;
    if (it->remaining == 0) continue;
    if (it->remaining > 0) it->remaining--;
    v.delay = it->delay;
    if (it->status != 200) {
      if (it->status == 410) v.timestamp_ms = unix_ms(now);
      return reject(it->status, it->reason);
    }
    break;
  }

  auto dit = devices_.find(push->token_hex);
  if (dit == devices_.end()) return reject(400, "BadDeviceToken");
  Device& d = dit->second;
  if (d.unregistered_at) {
    v.timestamp_ms = unix_ms(*d.unregistered_at);
    return reject(410, "Unregistered");
  }
  if (!d.topic.empty() && d.topic != push->topic) return reject(400, "DeviceTokenNotForTopic");

  counts_.accepted++;
  if (d.online) {
    del.state = "queued";
    auto& r = record(std::move(del));
    d.pending.push_back(r.seq);
    d.expiration[r.seq] = push->expiration;
    wake(d);
    return v;
  }
  if (push->expiration && *push->expiration == 0) {  // "deliver now or never"
    del.state = "expired";
    counts_.expired++;
    record(std::move(del));
    return v;
  }
  // Offline: only the newest notification is kept.
  for (auto seq : d.pending) {
    if (auto* old = find(seq)) old->state = "coalesced";
    counts_.coalesced++;
    d.expiration.erase(seq);
  }
  d.pending.clear();
  del.state = "stored";
  auto& r = record(std::move(del));
  d.pending.push_back(r.seq);
  d.expiration[r.seq] = push->expiration;
  return v;
}

std::vector<Notification> ApnsState::take(const std::string& token_hex) {
  std::lock_guard lock(mutex_);
  std::vector<Notification> out;
  auto it = devices_.find(token_hex);
  if (it == devices_.end()) return out;
  const auto now = clock_->now();
  expire(it->second, now);
  for (auto seq : it->second.pending) {
    if (auto* del = find(seq)) {
      del->state = "delivered";
      del->delivered_at = now;
      out.push_back({del->apns_id, del->payload});
    }
    counts_.delivered++;
    it->second.expiration.erase(seq);
  }
  it->second.pending.clear();
  return out;
}

void ApnsState::add_waiter(const std::string& token_hex,
                           std::shared_ptr<asio::steady_timer> timer) {
  std::lock_guard lock(mutex_);
  devices_[token_hex].waiters.push_back(std::move(timer));
}

void ApnsState::remove_waiter(const std::string& token_hex,
                              const std::shared_ptr<asio::steady_timer>& timer) {
  std::lock_guard lock(mutex_);
  auto it = devices_.find(token_hex);
  if (it == devices_.end()) return;
  std::erase(it->second.waiters, timer);
}

void ApnsState::add_fault(Fault f) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(f));
}

void ApnsState::clear_faults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

std::vector<Fault> ApnsState::faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

std::vector<ApnsState::TokenInfo> ApnsState::tokens() const {
  std::lock_guard lock(mutex_);
  std::vector<TokenInfo> out;
  for (const auto& [hex, d] : devices_)
    out.push_back({hex, d.topic, d.online, d.unregistered_at.has_value(), d.pending.size()});
  return out;
}

std::vector<Delivery> ApnsState::deliveries(const std::string& token_hex) const {
  std::lock_guard lock(mutex_);
  std::vector<Delivery> out;
  for (const auto& d : log_)
    if (token_hex.empty() || d.token_hex == token_hex) out.push_back(d);
  return out;
}

bool ApnsState::is_online(const std::string& token_hex) const {
  std::lock_guard lock(mutex_);
  auto it = devices_.find(token_hex);
  return it != devices_.end() && it->second.online;
}

bool ApnsState::is_registered(const std::string& token_hex) const {
  std::lock_guard lock(mutex_);
  auto it = devices_.find(token_hex);
  return it != devices_.end() && !it->second.topic.empty();
}

ApnsState::Counts ApnsState::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

}  // namespace mdmlab::simulators::apns
