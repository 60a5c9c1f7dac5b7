// What a load run looked like over time: every `interval`, a sampler thread reads the run's
// counters (devices per state, operations completed, errors, the latency samples recorded
// since the last tick) and keeps one Sample. Feeding it is cheap: device states and counts are
// atomics, a latency goes into the LatencyRecorder that keeps every sample anyway (the sampler
// reads the new ones through a cursor), and only an error takes a lock (for its first message).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "load/latency_recorder.hpp"

namespace mdmlab::load {

// What a simulated device is doing, as the load driver sees it.
enum class DeviceState { pending, enrolling, enrolled, failed };
inline constexpr std::size_t kDeviceStates = 4;
std::string_view to_string(DeviceState s);

// The operations timed: a device's whole enrollment (profile, SCEP, check-ins, APNs), one
// command-loop exchange as the device saw it, one enqueue call to the admin API, one explicit
// poll (only without APNs, when the driver makes the devices poll).
enum class Operation { enroll, command_exchange, enqueue, poll };
inline constexpr std::size_t kOperations = 4;
std::string_view to_string(Operation op);

// Why something failed: an enrollment, an enqueue, a driver-made poll, a push-driven poll, or
// the final read of a command's results from the admin API.
enum class ErrorKind { enroll, enqueue, poll, push_poll, verify };
inline constexpr std::size_t kErrorKinds = 5;
std::string_view to_string(ErrorKind k);

// The run's phases, in order.
enum class Phase { enroll, steady, drain, verify };
std::string_view to_string(Phase p);

struct LatencyStats {
  std::size_t count = 0;
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
};
// Nearest-rank percentiles of `samples_us` (reordered in place); zeros when empty.
LatencyStats latency_stats(std::vector<long>& samples_us);

struct TimelineSample {
  double t_s = 0;  // end of the interval, seconds since the timeline started
  double interval_s = 0;
  Phase phase = Phase::enroll;
  std::array<int, kDeviceStates> devices{};         // at t_s
  std::array<long, kOperations> completed{};        // during the interval
  std::array<LatencyStats, kOperations> latency{};  // of the interval's samples
  long errors = 0;                                  // during the interval
};

struct ErrorTally {
  ErrorKind kind = ErrorKind::enroll;
  long count = 0;
  std::string first;  // the first message of this kind
};

class LoadTimeline {
 public:
  // Every device starts `pending`.
  LoadTimeline(int devices, std::chrono::milliseconds interval);
  ~LoadTimeline();
  LoadTimeline(const LoadTimeline&) = delete;
  LoadTimeline& operator=(const LoadTimeline&) = delete;

  // Starts the sampler (t = 0 now). stop() takes a last sample and ends it; idempotent.
  void start();
  void stop();

  void move(DeviceState from, DeviceState to) {
    --devices_[static_cast<std::size_t>(from)];
    ++devices_[static_cast<std::size_t>(to)];
  }
  void set_phase(Phase p) { phase_ = static_cast<int>(p); }
  // A completed operation and how long it took.
  void record(Operation op, std::chrono::microseconds took) {
    const auto i = static_cast<std::size_t>(op);
    latency_[i].record(took);
    ++completed_[i];
  }
  void error(ErrorKind kind, std::string_view message);
  // Errors counted elsewhere and known only at the end (push-driven polls that failed).
  void add_errors(ErrorKind kind, long count, std::string_view message);

  const LatencyRecorder& latency(Operation op) const {
    return latency_[static_cast<std::size_t>(op)];
  }
  LatencyStats overall(Operation op) const;
  std::chrono::milliseconds interval() const { return interval_; }
  // Valid after stop().
  const std::vector<TimelineSample>& samples() const { return samples_; }
  std::vector<ErrorTally> errors() const;  // kinds with at least one error, in enum order

 private:
  void run();
  void take_sample();

  const std::chrono::milliseconds interval_;
  std::array<std::atomic<int>, kDeviceStates> devices_{};
  std::array<std::atomic<long>, kOperations> completed_{};
  std::array<LatencyRecorder, kOperations> latency_;
  std::atomic<int> phase_{0};
  mutable std::mutex error_mutex_;
  std::array<ErrorTally, kErrorKinds> errors_{};
  std::atomic<long> error_total_{0};

  // The sampler's own state (only its thread, or stop() after joining, touches it).
  std::chrono::steady_clock::time_point start_, last_;
  std::array<long, kOperations> last_completed_{};
  std::array<std::size_t, kOperations> cursor_{};
  long last_errors_ = 0;
  std::vector<TimelineSample> samples_;

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace mdmlab::load
