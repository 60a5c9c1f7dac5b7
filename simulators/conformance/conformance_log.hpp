// What the simulated parties found of the conformance rules (protocol/conformance/rules.hpp):
// how often each rule was checked, and every violation with the party that saw it, what it
// saw, and when (on the scenario transcript's clock, to find the offending message). Shared by
// every device of a scenario; thread-safe.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mdmlab::simulators {

struct Violation {
  std::string rule;    // a rule id
  std::string party;   // the device that saw it, e.g. "mac1"
  std::string detail;  // what it saw
  double at_ms = 0;    // when, on the log's clock
};

class ConformanceLog {
 public:
  // `now_ms`: the clock violations are stamped with (the scenario transcript's).
  explicit ConformanceLog(std::function<double()> now_ms = {}) : now_ms_(std::move(now_ms)) {}
  void checked(const std::string& rule);
  void violated(const std::string& rule, std::string party, std::string detail);
  std::map<std::string, long> checks() const;
  std::vector<Violation> violations() const;

 private:
  std::function<double()> now_ms_;
  mutable std::mutex mutex_;
  std::map<std::string, long> checks_;
  std::vector<Violation> violations_;
};

}  // namespace mdmlab::simulators
