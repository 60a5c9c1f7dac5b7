// What the ABM simulator knows: one organisation's devices (with the history of what happened
// to them, for /devices/sync), ADE profiles and assignments, the server token it issued, the
// auth sessions, the nonces it has seen and the cursors it handed out. Times come from a Clock
// (a virtual one moves cursors to EXPIRED_CURSOR in a test). Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock/clock.hpp"
#include "protocol/apple/dep/dep_messages.hpp"
#include "protocol/apple/dep/oauth1.hpp"
#include "protocol/apple/dep/server_token.hpp"

namespace mdmlab::simulators::abm {

namespace dep = mdmlab::apple::dep;

// The server token an MDM server downloads from ABM (nanodep's OAuth1Tokens JSON).
using ServerToken = dep::ServerToken;

// A fault the next matching DEP calls get.
struct DepFault {
  std::string path;  // "" for any
  int status = 500;
  std::string body;
  int retry_after = 0;  // seconds, for 429
  int count = 1;
  std::chrono::milliseconds delay{0};
};

// What the DEP API saw, for the control API (GET /control/v1/stats) and the scenarios'
// abm.api subject: how the MDM server used the API, and where it broke Apple's rules.
struct ApiStats {
  std::int64_t calls = 0;            // DEP calls answered, /session included
  std::int64_t sessions = 0;         // auth sessions issued
  std::int64_t fetch_pages = 0;      // /server/devices pages answered
  std::int64_t sync_pages = 0;       // /devices/sync pages answered
  std::int64_t throttled = 0;        // 429 answers that named a Retry-After
  std::int64_t early_retries = 0;    // calls made before a Retry-After had passed
  std::int64_t expired_cursors = 0;  // EXPIRED_CURSOR answers
  std::int64_t invalid_cursors = 0;  // INVALID_CURSOR answers
};

struct AuthOutcome {
  int status = 200;
  std::string session_token;  // on success
  std::string reason;         // why not
};

class AbmState {
 public:
  AbmState(std::shared_ptr<Clock> clock, ServerToken token, dep::Account account);

  const ServerToken& token() const { return token_; }
  const dep::Account& account() const { return account_; }

  // GET /session: the request's method, base URI and query, its Authorization header.
  AuthOutcome authenticate(const std::string& method, const std::string& base_uri,
                           const dep::OAuthParams& query, const std::string& authorization);
  // X-ADM-Auth-Session: valid and not expired.
  bool session_valid(const std::string& session);
  // Ends every session (the next call gets 401 and the client authenticates again).
  void expire_sessions();

  // The organisation (control API).
  void add_device(dep::DepDevice d);
  bool modify_device(const std::string& serial, const nlohmann::json& changes);
  bool remove_device(const std::string& serial);
  std::vector<dep::DepDevice> devices() const;
  std::optional<dep::DepDevice> device(const std::string& serial) const;

  // POST /server/devices and /devices/sync: a page, or the 400 body (EXHAUSTED_CURSOR, ...).
  Result<dep::FetchResponse> fetch(const dep::FetchRequest& r);
  Result<dep::FetchResponse> sync(const dep::FetchRequest& r);

  // Profiles and assignments.
  std::string define_profile(dep::DepProfile p, std::map<std::string, std::string>& results);
  std::optional<dep::DepProfile> profile(const std::string& uuid) const;
  std::map<std::string, std::string> assign(const std::string& profile_uuid,
                                            const std::vector<std::string>& serials);
  std::map<std::string, std::string> unassign(const std::vector<std::string>& serials);
  std::map<std::string, std::string> disown(const std::vector<std::string>& serials);
  // What a device asks when it boots (the assigned profile), marking it pushed.
  std::optional<dep::DepProfile> profile_for_boot(const std::string& serial);

  // Faults.
  void add_fault(DepFault f);
  void clear_faults();
  std::optional<DepFault> take_fault(const std::string& path);
  // Retry-After: after a 429 that named one, calls to the fault's path (every path for a
  // fault without one) are answered 429 again until it has passed, and counted as early.
  // Answers the seconds still to wait, or nothing when the call may go ahead.
  std::optional<int> throttled_for(const std::string& path);
  void throttle(const std::string& path, int seconds);
  // Every cursor handed out so far answers EXPIRED_CURSOR from now on (as after 7 days).
  void expire_cursors();
  ApiStats stats() const;
  // How many times each device got a profile assigned (duplicate assignments show here).
  std::map<std::string, int> assignment_counts() const;

  std::string now_rfc3339() const;

  // The DEP calls answered (the last 1000), for reports: what the MDM server asked and got.
  struct Call {
    std::chrono::system_clock::time_point wall;  // real time, as transcripts keep it
    std::string method, path, detail;            // detail: the code or summary answered
    int status = 0;
  };
  void record_call(Call c);
  std::vector<Call> calls() const;

 private:
  struct Event {
    std::uint64_t seq;
    std::string serial, op_type, op_date;
  };
  struct Cursor {
    bool fetch = true;       // a /server/devices cursor (else a sync cursor)
    std::size_t offset = 0;  // fetch: devices already returned (sorted by serial)
    std::uint64_t seq = 0;   // events seen
    TimePoint issued;
    bool exhausted = false;
  };
  std::string new_cursor(Cursor c);
  Result<Cursor> cursor(const std::optional<std::string>& id, bool fetch);
  void record(const std::string& serial, const std::string& op_type);
  void assign_locked(dep::DepDevice& d, const std::string& profile_uuid);

  std::shared_ptr<Clock> clock_;
  ServerToken token_;
  dep::Account account_;
  mutable std::mutex mutex_;
  std::map<std::string, dep::DepDevice> devices_;  // by serial
  std::map<std::string, dep::DepDevice> gone_;     // deleted, as sync reports them
  std::vector<Event> events_;
  std::uint64_t next_seq_ = 1;
  std::map<std::string, Cursor> cursors_;
  std::map<std::string, TimePoint> sessions_;  // token -> expiry
  std::map<std::string, TimePoint> nonces_;    // nonce -> when seen
  std::map<std::string, dep::DepProfile> profiles_;
  std::deque<DepFault> faults_;
  std::deque<Call> calls_;
  std::map<std::string, TimePoint> throttled_until_;  // path ("" for every path) -> until
  std::map<std::string, int> assignment_counts_;
  ApiStats stats_;
};

}  // namespace mdmlab::simulators::abm
