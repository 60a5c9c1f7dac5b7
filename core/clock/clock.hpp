// Injectable time. `serve` uses the wall clock; the scenario harness uses a VirtualClock
// that scenarios advance, so token expiry, certificate validity and cursors are testable.
#pragma once

#include <atomic>
#include <chrono>
#include <ctime>
#include <memory>
#include <string>

#include "common/time.hpp"

namespace mdmlab {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// Starts at a given instant and moves only when advanced.
class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(TimePoint start = std::chrono::system_clock::now())
      : ticks_(start.time_since_epoch().count()) {}
  TimePoint now() const override {
    return TimePoint(TimePoint::duration(ticks_.load(std::memory_order_acquire)));
  }
  void advance(std::chrono::nanoseconds d) {
    ticks_.fetch_add(std::chrono::duration_cast<TimePoint::duration>(d).count(),
                     std::memory_order_acq_rel);
  }
  void set(TimePoint t) { ticks_.store(t.time_since_epoch().count(), std::memory_order_release); }

 private:
  std::atomic<TimePoint::rep> ticks_;
};

inline std::shared_ptr<Clock> system_clock() {
  return std::make_shared<SystemClock>();
}

}  // namespace mdmlab
