// `mdmlab load`: a fleet of simulated Macs enrolls (SCEP + mTLS each, keys from the pool),
// then for --duration the server enqueues a DeviceInformation to every Mac at each interval;
// the push wakes each Mac (or, without APNs, the Macs poll on the interval) and it answers.
// Progress every second; at the end, counts verified on the server and the p50/p99 latency of
// command-loop exchanges as the devices saw them. A LoadTimeline samples the run every
// `sample_interval` (devices by state, operations and errors per interval, latency per
// interval) for load.json and load.html.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "load/load_timeline.hpp"
#include "scenarios/engine/environment.hpp"

namespace mdmlab::load {

struct LoadOptions {
  int devices = 100;
  std::chrono::milliseconds duration{std::chrono::seconds(60)};
  std::chrono::milliseconds command_interval{std::chrono::seconds(5)};
  int concurrency = 32;  // enrollments in flight
  std::uint64_t seed = 1;
  std::optional<scenarios::TargetConfig> target;  // absent: the embedded reference server
  // Against a target, keys are leased (never used twice against it) unless reuse_keys: then
  // keys 0..N-1 are used again, each enrollment with a fresh SCEP transactionID.
  bool reuse_keys = false;
  // The enrollment profile's bytes (XML or CMS-signed) every Mac installs instead of the
  // server's, e.g. one whose SCEP payload points at another SCEP server; empty: the server's.
  std::string profile;
  // How often the timeline is sampled (from the start of enrollment).
  std::chrono::milliseconds sample_interval{std::chrono::seconds(1)};
  std::function<void(const std::string&)> progress;
  // Set (e.g. by SIGINT/SIGTERM): stop enrolling and sending, then report what was measured.
  const std::atomic<bool>* stop = nullptr;
};

struct LoadReport {
  int devices = 0, enrolled = 0, enroll_failed = 0;
  double keygen_seconds = 0, enroll_seconds = 0, steady_seconds = 0;
  long commands_enqueued = 0;  // one per device per round
  long commands_acked = 0;     // Acknowledged, as the server's admin API reports it
  long device_answers = 0;     // results the devices sent
  long pushes_received = 0;
  long errors = 0;        // failed enqueues and polls
  long scep_retries = 0;  // SCEP requests sent again after a failure on the way (Retries)
  std::size_t latency_samples = 0;
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;  // command-loop exchanges
  // Every operation's latency over the whole run (indexed by Operation).
  std::array<LatencyStats, kOperations> latency{};
  // Errors by kind, enrollment failures included (kinds with none left out).
  std::vector<ErrorTally> errors_by_kind;
  // The run over time, from the start of enrollment to the end of the check on the server.
  double sample_interval_s = 0;
  std::vector<TimelineSample> timeline;
  std::string first_error;
  bool interrupted = false;  // `stop` was set before the run finished
  bool ok() const {
    return enrolled == devices && errors == 0 && commands_acked == commands_enqueued;
  }
};

Result<LoadReport> run_fleet_load(const LoadOptions& options);

}  // namespace mdmlab::load
