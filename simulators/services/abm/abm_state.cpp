#include "simulators/services/abm/abm_state.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "crypto/random.hpp"
#include "crypto/secret.hpp"

namespace mdmlab::simulators::abm {
namespace {
constexpr auto kSessionLifetime = std::chrono::minutes(30);
constexpr auto kTimestampSkew = std::chrono::minutes(5);
constexpr auto kCursorLifetime = std::chrono::hours(24 * 7);

AuthOutcome refused(std::string reason) {
  return {401, "", std::move(reason)};
}
}  // namespace

AbmState::AbmState(std::shared_ptr<Clock> clock, ServerToken token, dep::Account account)
    : clock_(std::move(clock)), token_(std::move(token)), account_(std::move(account)) {}

std::string AbmState::now_rfc3339() const {
  return rfc3339_utc(clock_->now());
}

AuthOutcome AbmState::authenticate(const std::string& method, const std::string& base_uri,
                                   const dep::OAuthParams& query,
                                   const std::string& authorization) {
  auto header = dep::parse_oauth_header(authorization);
  if (!header) return refused(header.error().message);
  if (header->get("oauth_signature_method") != "HMAC-SHA1")
    return refused("oauth_signature_method must be HMAC-SHA1");
  if (auto v = header->get("oauth_version"); !v.empty() && v != "1.0")
    return refused("oauth_version must be 1.0");
  // Keys first, then the signature; all compared in constant time.
  if (!crypto::constant_time_equals(header->get("oauth_consumer_key"), token_.consumer_key) ||
      !crypto::constant_time_equals(header->get("oauth_token"), token_.access_token))
    return refused("unknown consumer key or access token");
  const auto base = dep::signature_base_string(method, base_uri, header->params, query);
  const auto expected =
      dep::hmac_sha1_signature(base, token_.consumer_secret, token_.access_secret);
  if (!crypto::constant_time_equals(header->get("oauth_signature"), expected))
    return refused("the signature does not verify");
  const auto now = clock_->now();
  // RFC 5849 3.3: a positive integer of seconds, all digits; compared in whole seconds, so a
  // huge value cannot wrap into the window.
  const auto text = header->get("oauth_timestamp");
  long long stamp = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), stamp);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || stamp <= 0)
    return refused("oauth_timestamp is not a positive integer");
  const long long now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const long long skew = std::chrono::duration_cast<std::chrono::seconds>(kTimestampSkew).count();
  if (stamp < now_s - skew || stamp > now_s + skew)
    return refused("oauth_timestamp is more than 5 minutes off");
  const auto nonce = header->get("oauth_nonce");
  if (nonce.empty()) return refused("oauth_nonce is missing");
  std::lock_guard lock(mutex_);
  // Nonces outside the timestamp window can be forgotten: their requests are stale anyway.
  for (auto it = nonces_.begin(); it != nonces_.end();)
    it = it->second < now - 2 * kTimestampSkew ? nonces_.erase(it) : std::next(it);
  if (!nonces_.emplace(nonce, now).second) return refused("oauth_nonce was used before");
  if (token_.access_token_expiry != TimePoint{} && now > token_.access_token_expiry)
    return {403, "", "T_C_NOT_SIGNED"};
  auto session = "SESSION-" + hex_encode(crypto::random_bytes(24), true);
  sessions_[session] = now + kSessionLifetime;
  ++stats_.sessions;
  return {200, session, ""};
}

bool AbmState::session_valid(const std::string& session) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(session);
  if (it == sessions_.end()) return false;
  if (clock_->now() > it->second) {
    sessions_.erase(it);
    return false;
  }
  return true;
}

void AbmState::expire_sessions() {
  std::lock_guard lock(mutex_);
  sessions_.clear();
}

void AbmState::record(const std::string& serial, const std::string& op_type) {
  events_.push_back({next_seq_++, serial, op_type, now_rfc3339()});
}

void AbmState::add_device(dep::DepDevice d) {
  std::lock_guard lock(mutex_);
  if (d.device_assigned_date.empty()) d.device_assigned_date = now_rfc3339();
  if (d.device_assigned_by.empty()) d.device_assigned_by = "abm-simulator@example.com";
  const bool existed = devices_.count(d.serial_number) > 0;
  gone_.erase(d.serial_number);
  devices_[d.serial_number] = d;
  record(d.serial_number, existed ? "modified" : "added");
}

bool AbmState::modify_device(const std::string& serial, const nlohmann::json& changes) {
  std::lock_guard lock(mutex_);
  auto it = devices_.find(serial);
  if (it == devices_.end()) return false;
  auto& d = it->second;
  const std::pair<const char*, std::string*> fields[] = {
      {"model", &d.model}, {"description", &d.description},
      {"color", &d.color}, {"asset_tag", &d.asset_tag},
      {"os", &d.os},       {"device_family", &d.device_family}};
  for (const auto& [key, field] : fields)
    if (changes.contains(key) && changes[key].is_string()) *field = changes[key].get<std::string>();
  record(serial, "modified");
  return true;
}

bool AbmState::remove_device(const std::string& serial) {
  std::lock_guard lock(mutex_);
  auto it = devices_.find(serial);
  if (it == devices_.end()) return false;
  gone_[serial] = it->second;
  devices_.erase(it);
  record(serial, "deleted");
  return true;
}

std::vector<dep::DepDevice> AbmState::devices() const {
  std::lock_guard lock(mutex_);
  std::vector<dep::DepDevice> out;
  for (const auto& [serial, d] : devices_) out.push_back(d);
  return out;
}

std::optional<dep::DepDevice> AbmState::device(const std::string& serial) const {
  std::lock_guard lock(mutex_);
  auto it = devices_.find(serial);
  if (it == devices_.end()) return std::nullopt;
  return it->second;
}

std::string AbmState::new_cursor(Cursor c) {
  c.issued = clock_->now();
  auto id = "CURSOR-" + hex_encode(crypto::random_bytes(16), true);
  cursors_[id] = c;
  return id;
}

Result<AbmState::Cursor> AbmState::cursor(const std::optional<std::string>& id, bool fetch) {
  if (!id) {
    if (!fetch) return make_error(dep::kInvalidCursor, "sync needs a cursor");
    return Cursor{true, 0, next_seq_ - 1, clock_->now(), false};
  }
  auto it = cursors_.find(*id);
  if (it == cursors_.end()) {
    ++stats_.invalid_cursors;
    return make_error(dep::kInvalidCursor, "unknown cursor");
  }
  if (clock_->now() - it->second.issued > kCursorLifetime) {
    ++stats_.expired_cursors;
    return make_error(dep::kExpiredCursor, "the cursor is older than 7 days");
  }
  if (fetch && (!it->second.fetch || it->second.exhausted))
    return make_error(dep::kExhaustedCursor, "the fetch has returned every device");
  return it->second;
}

Result<dep::FetchResponse> AbmState::fetch(const dep::FetchRequest& r) {
  std::lock_guard lock(mutex_);
  auto c = cursor(r.cursor, true);
  if (!c) return c.error();
  dep::FetchResponse out;
  auto it = devices_.begin();
  std::advance(it, static_cast<long>(std::min(c->offset, devices_.size())));
  for (; it != devices_.end() && out.devices.size() < static_cast<std::size_t>(r.limit); ++it)
    out.devices.push_back(it->second);
  Cursor next = *c;
  next.offset = c->offset + out.devices.size();
  out.more_to_follow = next.offset < devices_.size();
  next.exhausted = !out.more_to_follow;
  out.cursor = new_cursor(next);
  out.fetched_until = now_rfc3339();
  ++stats_.fetch_pages;
  return out;
}

Result<dep::FetchResponse> AbmState::sync(const dep::FetchRequest& r) {
  std::lock_guard lock(mutex_);
  auto c = cursor(r.cursor, false);
  if (!c) return c.error();
  dep::FetchResponse out;
  std::uint64_t seen = c->seq;
  for (const auto& e : events_) {
    if (e.seq <= c->seq) continue;
    if (out.devices.size() >= static_cast<std::size_t>(r.limit)) {
      out.more_to_follow = true;
      break;
    }
    // As it is now (or was when it left the organisation).
    auto now_in = devices_.find(e.serial);
    auto left = gone_.find(e.serial);
    dep::DepDevice d = now_in != devices_.end() ? now_in->second
                       : left != gone_.end()    ? left->second
                                                : dep::DepDevice{};
    d.serial_number = e.serial;
    d.op_type = e.op_type;
    d.op_date = e.op_date;
    out.devices.push_back(d);
    seen = e.seq;
  }
  out.cursor = new_cursor(Cursor{false, 0, seen, {}, false});
  out.fetched_until = now_rfc3339();
  ++stats_.sync_pages;
  return out;
}

void AbmState::assign_locked(dep::DepDevice& d, const std::string& profile_uuid) {
  d.profile_uuid = profile_uuid;
  d.profile_status = "assigned";
  d.profile_assign_time = now_rfc3339();
  d.profile_push_time.clear();
  ++assignment_counts_[d.serial_number];
  record(d.serial_number, "modified");
}

std::string AbmState::define_profile(dep::DepProfile p,
                                     std::map<std::string, std::string>& results) {
  auto uuid = hex_encode(crypto::random_bytes(16), true);
  std::lock_guard lock(mutex_);
  for (const auto& serial : p.devices) {
    auto it = devices_.find(serial);
    if (it == devices_.end()) {
      results[serial] = "NOT_ACCESSIBLE";
      continue;
    }
    assign_locked(it->second, uuid);
    results[serial] = "SUCCESS";
  }
  profiles_[uuid] = std::move(p);
  return uuid;
}

std::optional<dep::DepProfile> AbmState::profile(const std::string& uuid) const {
  std::lock_guard lock(mutex_);
  auto it = profiles_.find(uuid);
  if (it == profiles_.end()) return std::nullopt;
  return it->second;
}

std::map<std::string, std::string> AbmState::assign(const std::string& profile_uuid,
                                                    const std::vector<std::string>& serials) {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::string> results;
  const bool known = profiles_.count(profile_uuid) > 0;
  for (const auto& serial : serials) {
    auto it = devices_.find(serial);
    if (it == devices_.end()) {
      results[serial] = "NOT_ACCESSIBLE";
    } else if (!known) {
      results[serial] = "FAILED";
    } else {
      assign_locked(it->second, profile_uuid);
      results[serial] = "SUCCESS";
    }
  }
  return results;
}

std::map<std::string, std::string> AbmState::unassign(const std::vector<std::string>& serials) {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::string> results;
  for (const auto& serial : serials) {
    auto it = devices_.find(serial);
    if (it == devices_.end()) {
      results[serial] = "NOT_ACCESSIBLE";
      continue;
    }
    it->second.profile_uuid.clear();
    it->second.profile_status = "removed";
    record(serial, "modified");
    results[serial] = "SUCCESS";
  }
  return results;
}

std::map<std::string, std::string> AbmState::disown(const std::vector<std::string>& serials) {
  std::map<std::string, std::string> results;
  for (const auto& serial : serials)
    results[serial] = remove_device(serial) ? "SUCCESS" : "NOT_ACCESSIBLE";
  return results;
}

std::optional<dep::DepProfile> AbmState::profile_for_boot(const std::string& serial) {
  std::lock_guard lock(mutex_);
  auto it = devices_.find(serial);
  if (it == devices_.end() || it->second.profile_uuid.empty()) return std::nullopt;
  auto p = profiles_.find(it->second.profile_uuid);
  if (p == profiles_.end()) return std::nullopt;
  it->second.profile_status = "pushed";
  it->second.profile_push_time = now_rfc3339();
  record(serial, "modified");
  return p->second;
}

void AbmState::add_fault(DepFault f) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(f));
}

void AbmState::clear_faults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

std::optional<DepFault> AbmState::take_fault(const std::string& path) {
  std::lock_guard lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->path.empty() && it->path != path) continue;
    DepFault f = *it;
    if (--it->count <= 0) faults_.erase(it);
    return f;
  }
  return std::nullopt;
}

std::optional<int> AbmState::throttled_for(const std::string& path) {
  std::lock_guard lock(mutex_);
  const auto now = clock_->now();
  for (const auto& key : {std::string(), path}) {
    auto it = throttled_until_.find(key);
    if (it == throttled_until_.end()) continue;
    if (now >= it->second) {
      throttled_until_.erase(it);
      continue;
    }
    ++stats_.early_retries;
    auto left = std::chrono::ceil<std::chrono::seconds>(it->second - now).count();
    return static_cast<int>(std::max<long long>(1, left));
  }
  return std::nullopt;
}

void AbmState::throttle(const std::string& path, int seconds) {
  std::lock_guard lock(mutex_);
  ++stats_.throttled;
  auto& until = throttled_until_[path];
  until = std::max(until, clock_->now() + std::chrono::seconds(seconds));
}

void AbmState::expire_cursors() {
  std::lock_guard lock(mutex_);
  for (auto& [id, c] : cursors_) c.issued = clock_->now() - kCursorLifetime - std::chrono::hours(1);
}

ApiStats AbmState::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::map<std::string, int> AbmState::assignment_counts() const {
  std::lock_guard lock(mutex_);
  return assignment_counts_;
}

void AbmState::record_call(Call c) {
  std::lock_guard lock(mutex_);
  ++stats_.calls;
  calls_.push_back(std::move(c));
  if (calls_.size() > 1000) calls_.pop_front();
}

std::vector<AbmState::Call> AbmState::calls() const {
  std::lock_guard lock(mutex_);
  return {calls_.begin(), calls_.end()};
}

}  // namespace mdmlab::simulators::abm
