#include "load/load_timeline.hpp"

#include <algorithm>
#include <cmath>

namespace mdmlab::load {

std::string_view to_string(DeviceState s) {
  switch (s) {
    case DeviceState::pending:
      return "pending";
    case DeviceState::enrolling:
      return "enrolling";
    case DeviceState::enrolled:
      return "enrolled";
    case DeviceState::failed:
      return "failed";
  }
  return "?";
}

std::string_view to_string(Operation op) {
  switch (op) {
    case Operation::enroll:
      return "enroll";
    case Operation::command_exchange:
      return "command_exchange";
    case Operation::enqueue:
      return "enqueue";
    case Operation::poll:
      return "poll";
  }
  return "?";
}

std::string_view to_string(ErrorKind k) {
  switch (k) {
    case ErrorKind::enroll:
      return "enroll";
    case ErrorKind::enqueue:
      return "enqueue";
    case ErrorKind::poll:
      return "poll";
    case ErrorKind::push_poll:
      return "push_poll";
    case ErrorKind::verify:
      return "verify";
  }
  return "?";
}

std::string_view to_string(Phase p) {
  switch (p) {
    case Phase::enroll:
      return "enroll";
    case Phase::steady:
      return "steady";
    case Phase::drain:
      return "drain";
    case Phase::verify:
      return "verify";
  }
  return "?";
}

LatencyStats latency_stats(std::vector<long>& samples) {
  LatencyStats s;
  s.count = samples.size();
  if (samples.empty()) return s;
  auto at = [&](double p) {
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(s.count)));
    rank = std::clamp<std::size_t>(rank, 1, s.count) - 1;
    std::nth_element(samples.begin(), samples.begin() + static_cast<long>(rank), samples.end());
    return static_cast<double>(samples[rank]) / 1000.0;
  };
  s.p50_ms = at(50);
  s.p95_ms = at(95);
  s.p99_ms = at(99);
  s.max_ms = static_cast<double>(*std::max_element(samples.begin(), samples.end())) / 1000.0;
  return s;
}

LoadTimeline::LoadTimeline(int devices, std::chrono::milliseconds interval)
    : interval_(std::max(interval, std::chrono::milliseconds(10))) {
  devices_[static_cast<std::size_t>(DeviceState::pending)] = devices;
  for (std::size_t k = 0; k < kErrorKinds; ++k) errors_[k].kind = static_cast<ErrorKind>(k);
}

LoadTimeline::~LoadTimeline() {
  stop();
}

void LoadTimeline::start() {
  start_ = last_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { run(); });
}

void LoadTimeline::stop() {
  {
    std::lock_guard lock(stop_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    take_sample();  // the end of the run, however far into an interval
  }
}

void LoadTimeline::run() {
  auto next = start_ + interval_;
  std::unique_lock lock(stop_mutex_);
  while (!stop_cv_.wait_until(lock, next, [this] { return stopping_; })) {
    lock.unlock();
    take_sample();
    lock.lock();
    next += interval_;
  }
}

void LoadTimeline::take_sample() {
  const auto now = std::chrono::steady_clock::now();
  TimelineSample s;
  s.t_s = std::chrono::duration<double>(now - start_).count();
  s.interval_s = std::chrono::duration<double>(now - last_).count();
  last_ = now;
  s.phase = static_cast<Phase>(phase_.load());
  for (std::size_t i = 0; i < kDeviceStates; ++i) s.devices[i] = devices_[i].load();
  for (std::size_t i = 0; i < kOperations; ++i) {
    const long done = completed_[i].load();
    s.completed[i] = done - last_completed_[i];
    last_completed_[i] = done;
    auto fresh = latency_[i].since(cursor_[i]);
    s.latency[i] = latency_stats(fresh);
  }
  const long errors = error_total_.load();
  s.errors = errors - last_errors_;
  last_errors_ = errors;
  samples_.push_back(s);
}

void LoadTimeline::error(ErrorKind kind, std::string_view message) {
  add_errors(kind, 1, message);
}

void LoadTimeline::add_errors(ErrorKind kind, long count, std::string_view message) {
  if (count <= 0) return;
  {
    std::lock_guard lock(error_mutex_);
    auto& tally = errors_[static_cast<std::size_t>(kind)];
    tally.count += count;
    if (tally.first.empty()) tally.first = message;
  }
  error_total_ += count;
}

LatencyStats LoadTimeline::overall(Operation op) const {
  auto all = latency(op).all();
  return latency_stats(all);
}

std::vector<ErrorTally> LoadTimeline::errors() const {
  std::lock_guard lock(error_mutex_);
  std::vector<ErrorTally> out;
  for (const auto& t : errors_)
    if (t.count > 0) out.push_back(t);
  return out;
}

}  // namespace mdmlab::load
