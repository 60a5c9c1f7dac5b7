#include "simulators/conformance/conformance_log.hpp"

namespace mdmlab::simulators {

void ConformanceLog::checked(const std::string& rule) {
  std::lock_guard lock(mutex_);
  checks_[rule]++;
}

void ConformanceLog::violated(const std::string& rule, std::string party, std::string detail) {
  const double at = now_ms_ ? now_ms_() : 0;
  std::lock_guard lock(mutex_);
  checks_[rule]++;
  // One device repeating one broken rule says nothing new after the first few.
  int same = 0;
  for (const auto& v : violations_) same += v.rule == rule && v.party == party;
  if (same < 5) violations_.push_back({rule, std::move(party), std::move(detail), at});
}

std::map<std::string, long> ConformanceLog::checks() const {
  std::lock_guard lock(mutex_);
  return checks_;
}

std::vector<Violation> ConformanceLog::violations() const {
  std::lock_guard lock(mutex_);
  return violations_;
}

}  // namespace mdmlab::simulators
