#include "scenarios/engine/runner.hpp"

#include "scenarios/engine/scenario_run.hpp"

#include "core/keys/key_pool.hpp"

namespace mdmlab::scenarios {

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::passed:
      return "passed";
    case Outcome::failed:
      return "failed";
    case Outcome::skipped:
      return "skipped";
  }
  return "unknown";
}

int SuiteResult::count(Outcome o) const {
  int n = 0;
  for (const auto& s : scenarios) n += s.outcome == o;
  return n;
}

SuiteResult run_suite(const Suite& suite, const RunOptions& options) {
  SuiteResult out;
  out.name = suite.name;
  out.seed = options.seed;
  auto start = std::chrono::steady_clock::now();
  // Embedded servers are new for each scenario: keys from 0. A target remembers every key it
  // certified, so its runs lease keys it has never seen (key_pool.hpp).
  std::size_t key_base = 0;
  if (options.target) {
    std::size_t devices = 0;
    for (const auto& sc : suite.scenarios) devices += sc.devices.size();
    auto leased = keys::KeyPool().lease(options.target->endpoints.profile_url, devices);
    if (leased) key_base = *leased;
  }
  for (const auto& sc : suite.scenarios) {
    if (options.progress) options.progress("scenario: " + sc.name);
    ScenarioRun run(sc, options, key_base);
    key_base += sc.devices.size();
    out.scenarios.push_back(run.run());
    const auto& r = out.scenarios.back();
    if (options.progress)
      options.progress("  " + std::string(to_string(r.outcome)) + " in " +
                       std::to_string(r.seconds).substr(0, 5) + " s" +
                       (r.message.empty() ? "" : ": " + r.message));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace mdmlab::scenarios
