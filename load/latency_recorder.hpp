// Latency samples from many threads, and their percentiles (nearest-rank). A load run of a
// minute keeps at most a few hundred thousand samples, so keeping them all is cheap and exact.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <vector>

namespace mdmlab::load {

class LatencyRecorder {
 public:
  void record(std::chrono::microseconds d) {
    std::lock_guard lock(mutex_);
    samples_.push_back(d.count());
  }
  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return samples_.size();
  }
  // The samples (microseconds) recorded since `cursor`, which moves past them: a sampler
  // reads each interval's samples without a second copy kept per request.
  std::vector<long> since(std::size_t& cursor) const {
    std::lock_guard lock(mutex_);
    const auto from = std::min(cursor, samples_.size());
    cursor = samples_.size();
    return {samples_.begin() + static_cast<long>(from), samples_.end()};
  }
  // Every sample (microseconds), in the order recorded.
  std::vector<long> all() const {
    std::lock_guard lock(mutex_);
    return samples_;
  }
  // p in [0, 100]; milliseconds; 0 without samples.
  double percentile_ms(double p) const {
    std::vector<long> copy;
    {
      std::lock_guard lock(mutex_);
      copy = samples_;
    }
    if (copy.empty()) return 0;
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(copy.size())));
    rank = std::clamp<std::size_t>(rank, 1, copy.size()) - 1;
    std::nth_element(copy.begin(), copy.begin() + static_cast<long>(rank), copy.end());
    return static_cast<double>(copy[rank]) / 1000.0;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<long> samples_;
};

}  // namespace mdmlab::load
