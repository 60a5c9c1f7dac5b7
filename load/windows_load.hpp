// `mdmlab load --platform windows`: a fleet of simulated Windows PCs in one process. Each runs
// MS-MDE2 enrollment (discovery, policy, WSTEP, OnPremise with the server's enrollment secret;
// keys from the pool), then the server queues a Get of ./DevInfo/DevId and a Replace of a
// policy for every PC through the admin API, and each PC runs one OMA DM session over mTLS that
// answers both. The answers are checked on the server (a command's status is the device's
// code). Progress on the way; at the end, counts and the p50/p99 of enrollments and sessions.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "scenarios/engine/environment.hpp"

namespace mdmlab::load {

struct WindowsLoadOptions {
  int devices = 100;
  int concurrency = 32;  // enrollments and sessions in flight
  std::uint64_t seed = 1;
  std::optional<scenarios::TargetConfig> target;  // absent: the embedded reference server
  std::function<void(const std::string&)> progress;
  const std::atomic<bool>* stop = nullptr;  // set: stop starting PCs, report what was measured
};

struct WindowsLoadReport {
  int devices = 0, enrolled = 0, enroll_failed = 0, synced = 0, sync_failed = 0;
  double keygen_seconds = 0, enroll_seconds = 0, session_seconds = 0;
  long commands_enqueued = 0;
  long commands_answered = 0;  // a status stored on the server
  long commands_ok = 0;        // ... and that status was 200
  double enroll_p50_ms = 0, enroll_p99_ms = 0, session_p50_ms = 0, session_p99_ms = 0;
  std::string first_error;
  bool interrupted = false;
  bool ok() const {
    return enrolled == devices && synced == devices && commands_ok == commands_enqueued;
  }
};

Result<WindowsLoadReport> run_windows_load(const WindowsLoadOptions& options);

}  // namespace mdmlab::load
