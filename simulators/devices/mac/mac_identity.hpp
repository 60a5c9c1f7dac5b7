// Who a simulated Mac is, and the knobs a scenario turns to make it misbehave.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "core/net/transcript.hpp"
#include "simulators/conformance/conformance_log.hpp"

namespace mdmlab::simulators::mac {
using simulators::ConformanceLog;

struct MacIdentity {
  std::string udid;
  std::string serial_number;
  std::string model = "Mac14,2";
  std::string model_name = "MacBook Air";
  std::string os_version = "14.5";
  std::string build_version = "23F79";
  std::string device_name = "mdmlab Mac";
  // What profile variables read (profile_variables.hpp): the hardware UUID (an Intel Mac's is
  // its UDID; empty: the UDID) and the en0 MAC address.
  std::string hardware_uuid;
  std::string mac_address = "F0:18:98:00:00:01";
  // A logged-in user: when set, the user channel ("UDID:UserID") enrolls after the device
  // channel (UserAuthenticate, then its own TokenUpdate), as macOS's user mdmclient does.
  std::string user_id, user_short_name, user_long_name;
};

struct MacKnobs {
  int not_now_polls = 0;              // answer NotNow to this many command offers first
  std::set<std::string> error_for;    // RequestTypes answered with Error (+ ErrorChain)
  std::chrono::milliseconds slow{0};  // think time before each answer
  // APNs: the simulator's device-side URL (empty: this Mac never hears pushes), and whether
  // the Mac holds its APNs connection once enrolled (false: offline, pushes wait at APNs).
  std::string apns_url;
  bool apns_online = true;
  // Called after every exchange on the command loop (Idle or a result) with its latency, for
  // load runs; must be thread-safe.
  std::function<void(std::chrono::microseconds)> on_command_exchange;
  // Every HTTP exchange of this Mac (SCEP, profile, check-in, command loop, APNs) goes here.
  std::shared_ptr<net::Transcript> transcript;
  // Where the Mac reports what it checked of the conformance rules and what broke them.
  std::shared_ptr<ConformanceLog> conformance;
  // A random SCEP transactionID per enrollment instead of one derived from the key: a key
  // reused across runs (--reuse-keys) then gets a new certificate each time instead of the
  // one the server issued for it before.
  bool fresh_transaction_id = false;
};

}  // namespace mdmlab::simulators::mac
