// Runs a suite against the embedded reference server (each scenario gets a fresh server and
// APNs simulator, temporary data dir) or against a target, with its own simulated devices,
// all talking over loopback sockets.
// Device identities, keys and secrets derive from the seed, so runs are repeatable.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/net/transcript.hpp"
#include "scenarios/engine/environment.hpp"
#include "scenarios/engine/scenario.hpp"

namespace mdmlab::scenarios {

enum class Outcome { passed, failed, skipped };
std::string_view to_string(Outcome o);

// One step as it ran: when (on the transcript's clock) and how long, and what it said.
struct StepRecord {
  std::string text;     // the step as written
  std::string outcome;  // "passed", "failed" or "not_run"
  std::string note;     // what it did or why it failed
  double start_ms = 0, ms = 0;
};

struct ScenarioResult {
  std::string name;
  std::vector<std::string> tags;
  Outcome outcome = Outcome::passed;
  double seconds = 0;
  int failed_step = -1;          // index into steps
  std::string message;           // what was expected and last seen
  std::vector<std::string> log;  // what each step did (secrets never logged)
  std::vector<StepRecord> steps;
  // Every message between the parties (secrets redacted), for the sequence diagram.
  std::vector<net::TranscriptEntry> messages;
  // Conformance rules the devices checked (rule id -> times) and what broke them.
  std::map<std::string, long> rules_checked;
  struct RuleViolation {
    std::string rule, says, source, party, detail;
    std::uint64_t message_seq = 0;  // the last message the party received before it saw it
  };
  std::vector<RuleViolation> violations;
};

struct SuiteResult {
  std::string name;
  std::uint64_t seed = 0;
  double seconds = 0;
  std::vector<ScenarioResult> scenarios;
  int count(Outcome o) const;
  bool passed() const { return count(Outcome::failed) == 0; }
};

struct RunOptions {
  std::uint64_t seed = 1;
  std::chrono::milliseconds default_within{5000};
  std::function<void(const std::string&)> progress;  // one line per scenario / step
  std::optional<TargetConfig> target;                // absent: the embedded reference server
};

SuiteResult run_suite(const Suite& suite, const RunOptions& options);

}  // namespace mdmlab::scenarios
