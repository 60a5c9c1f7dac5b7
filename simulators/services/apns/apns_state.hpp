// What the APNs simulator knows: which device holds which token (and for which topic),
// whether it is connected, the notification waiting for an offline device (APNs keeps only the
// last one per device until apns-expiration: coalescing), injected faults, and a log of every
// push with what became of it. Thread-safe; the network sides are in apns_simulator.cpp.
#pragma once

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock/clock.hpp"
#include "protocol/apple/apns.hpp"

namespace mdmlab::simulators::apns {

struct Fault {
  std::string token_hex;  // empty: every token
  int status = 500;
  std::string reason = "InternalServerError";
  int remaining = -1;                  // answers left; -1: until cleared
  std::chrono::milliseconds delay{0};  // answer late (the status still applies; 200 = just slow)
};

// One push as the simulator handled it.
struct Delivery {
  std::uint64_t seq = 0;
  std::string apns_id, token_hex, topic, payload;
  int status = 200;
  std::string reason;
  // delivered: handed to the device; stored: waiting for an offline device; coalesced:
  // replaced by a newer push while waiting; expired: apns-expiration passed before delivery;
  // rejected: answered with an error.
  std::string state;
  TimePoint received_at{}, delivered_at{};
  // The wall-clock moment, whatever the (possibly virtual) clock says: reports order pushes
  // among the other messages by it.
  std::chrono::system_clock::time_point received_wall{};
};

struct Notification {
  std::string apns_id, payload;
};

// What the push endpoint should answer.
struct Verdict {
  int status = 200;
  std::string reason;
  std::optional<std::int64_t> timestamp_ms;  // 410
  std::chrono::milliseconds delay{0};
  std::string apns_id;
};

class ApnsState {
 public:
  explicit ApnsState(std::shared_ptr<Clock> clock) : clock_(std::move(clock)) {}

  // A device registers its token for a topic (APNs issued it). Registered tokens are valid
  // whether or not the device is connected.
  void register_token(const std::string& token_hex, const std::string& topic);
  // The device holds its APNs connection open: notifications reach it from now on.
  void connect(const std::string& token_hex);
  void disconnect(const std::string& token_hex);
  // Unregisters a token (the app or the MDM profile is gone): pushes get 410 from now on.
  void unregister(const std::string& token_hex);

  // A validated push from the provider. `rejection` is set when parsing already failed; then
  // `token_hint` (from the path, if any) files the rejection under its token in the log.
  Verdict accept(const Result<apple::ApnsPush>& push, const apple::ApnsRejection& rejection,
                 const std::string& token_hint = {});

  // Device side: notifications waiting for this token (taken), and a timer to wait on: it is
  // cancelled when a notification arrives. The timer lives on the caller's executor.
  std::vector<Notification> take(const std::string& token_hex);
  void add_waiter(const std::string& token_hex, std::shared_ptr<boost::asio::steady_timer> timer);
  void remove_waiter(const std::string& token_hex,
                     const std::shared_ptr<boost::asio::steady_timer>& timer);

  void add_fault(Fault f);
  void clear_faults();
  std::vector<Fault> faults() const;
  std::vector<Delivery> deliveries(const std::string& token_hex = {}) const;
  bool is_online(const std::string& token_hex) const;
  bool is_registered(const std::string& token_hex) const;

  // Every token the simulator knows (registered, unregistered or only waited on).
  struct TokenInfo {
    std::string token_hex, topic;
    bool online = false, unregistered = false;
    std::size_t pending = 0;  // notifications waiting to be taken
  };
  std::vector<TokenInfo> tokens() const;

  struct Counts {
    std::uint64_t accepted = 0, rejected = 0, delivered = 0, coalesced = 0, expired = 0;
  };
  Counts counts() const;

 private:
  struct Device {
    std::string topic;
    bool online = false;
    std::optional<TimePoint> unregistered_at;
    std::deque<std::uint64_t> pending;  // delivery seqs waiting to be taken
    std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters;
    std::map<std::uint64_t, std::optional<std::int64_t>> expiration;  // seq -> apns-expiration
  };
  Delivery& record(Delivery d);
  Delivery* find(std::uint64_t seq);
  void expire(Device& d, TimePoint now);
  void wake(Device& d);

  std::shared_ptr<Clock> clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Device> devices_;
  std::vector<Fault> faults_;
  std::deque<Delivery> log_;  // bounded
  std::uint64_t next_seq_ = 1;
  Counts counts_;
};

}  // namespace mdmlab::simulators::apns
