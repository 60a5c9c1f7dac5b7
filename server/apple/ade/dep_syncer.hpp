// The ADE side of the reference server (nanodep's depsyncer + assigner, in one loop on the
// server's clock): defines the server's ADE profile with ABM (again whenever its definition
// changes), fetches every device assigned to this MDM server, then follows /devices/sync from
// the stored cursor; new devices (a fetch, op_type added, or modified with no profile left)
// get the profile; deleted ones are marked deleted. Cursor errors start over with a full
// fetch; a 429 waits as long as Retry-After asks; other failures wait a minute and are kept
// for the admin API. Passes never overlap: the loop and sync_now() share one gate.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "server/apple/ade/dep_client.hpp"
#include "server/store/dep_store.hpp"

namespace mdmlab::server::apple::ade {

struct DepSyncerConfig {
  dep::DepProfile profile;              // url etc. filled in by the server
  std::chrono::seconds interval{300};   // between passes, on the server's clock
  std::chrono::milliseconds poll{200};  // how often the loop looks at that clock (real time)
  int limit = 1000;                     // devices per page
  bool auto_assign = true;              // assign the profile to new devices
};

struct DepSyncStatus {
  std::string phase = "fetch";  // what the next page will be: fetch or sync
  std::string profile_uuid;
  std::string cursor_state;  // "none" before any cursor, else "stored"
  TimePoint last_run_at{}, last_success_at{}, next_run_at{};
  std::string last_error;  // "" when the last pass succeeded
  std::int64_t passes = 0, devices_seen = 0, assigned = 0;
};

class DepSyncer {
 public:
  DepSyncer(boost::asio::any_io_executor executor, DepClient& client, store::DepStore& store,
            std::shared_ptr<Clock> clock, DepSyncerConfig config, metrics::Registry* registry);
  ~DepSyncer();

  // Starts the loop (the first pass runs at once).
  void start();
  void stop();
  // One pass now (after the one in progress, if any); the status after it. Inside a
  // Retry-After ABM gave, no pass runs: the status says throttled until when.
  boost::asio::awaitable<DepSyncStatus> sync_now();
  // Removes the ADE profile from these devices at ABM (DELETE /profile/devices); per serial.
  boost::asio::awaitable<Result<std::map<std::string, std::string>>> remove(
      std::vector<std::string> serials);
  DepSyncStatus status() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace mdmlab::server::apple::ade
