// `mdmlab run SUITE --report-dir DIR [--target target.json]`: runs a scenario suite against the
// embedded reference server or a target, prints progress, writes junit.xml and run.json, exits
// 1 if any scenario failed.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "apps/commands/commands.hpp"
#include "reports/report_files.hpp"
#include "scenarios/engine/runner.hpp"

namespace mdmlab::apps {
namespace {
struct RunCommandOptions {
  std::string suite;
  std::string report_dir = "reports/out";
  std::uint64_t seed = 1;
  std::string target;
};

// A suite that cannot be loaded still leaves a report: one failed case saying why, so a CI
// job shows the error where it shows test results.
int refuse_suite(const RunCommandOptions& o, const std::string& why) {
  std::cerr << "run: " << why << "\n";
  scenarios::SuiteResult r;
  r.name = std::filesystem::path(o.suite).stem().string();
  r.seed = o.seed;
  scenarios::ScenarioResult error;
  error.name = "load " + o.suite;
  error.outcome = scenarios::Outcome::failed;
  error.message = why;
  r.scenarios.push_back(error);
  if (auto w = reports::write_run_reports(o.report_dir, r); !w)
    std::cerr << "run: " << w.error().message << "\n";
  return 2;
}

int run_run(const RunCommandOptions& o) {
  if (auto ready = reports::prepare_report_dir(o.report_dir); !ready) {
    std::cerr << "run: --report-dir: " << ready.error().message << "\n";
    return 2;
  }
  std::ifstream in(o.suite);
  if (!in) return refuse_suite(o, "cannot read " + o.suite);
  std::stringstream ss;
  ss << in.rdbuf();
  auto suite = scenarios::parse_suite(ss.str());
  if (!suite) return refuse_suite(o, o.suite + ": " + suite.error().message);
  scenarios::RunOptions opts;
  if (!o.target.empty()) {
    auto target = scenarios::load_target(o.target);
    if (!target) return refuse_suite(o, "--target: " + target.error().message);
    opts.target = *target;
  }
  opts.seed = o.seed;
  opts.progress = [](const std::string& line) { std::cerr << line << "\n"; };
  std::cerr << "mdmlab run " << suite->name << ": " << suite->scenarios.size()
            << " scenarios, seed " << o.seed << ", against "
            << (opts.target ? "target '" + opts.target->name + "'"
                            : std::string("the embedded reference server"))
            << "\n";
  auto result = scenarios::run_suite(*suite, opts);

  auto written = reports::write_run_reports(o.report_dir, result);
  if (!written) {
    std::cerr << "run: " << written.error().message << "\n";
    return 2;
  }
  std::cout << result.count(scenarios::Outcome::passed) << " passed, "
            << result.count(scenarios::Outcome::failed) << " failed, "
            << result.count(scenarios::Outcome::skipped) << " skipped\n";
  for (const auto& sc : result.scenarios)
    if (sc.outcome == scenarios::Outcome::failed)
      std::cout << "FAILED " << sc.name << ": " << sc.message << "\n";
  std::string names;
  for (const auto& n : *written) names += (names.empty() ? "" : ", ") + n;
  std::cout << "reports: " << std::filesystem::absolute(o.report_dir).string() << " (" << names
            << ")\n";
  return result.passed() ? 0 : 1;
}
}  // namespace

Action add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunCommandOptions>();
  auto* cmd = app.add_subcommand(
      "run", "Run a scenario suite and write reports (exit 1 if any scenario fails)");
  cmd->add_option("suite", o->suite, "Suite file, e.g. scenarios/suites/apple-smoke.json")
      ->required();
  cmd->add_option("--report-dir", o->report_dir,
                  "Where junit.xml, run.json, report.html and report.md go")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed for identities, keys and secrets (same seed, same run)")
      ->capture_default_str();
  cmd->add_option(
      "--target", o->target,
      "target.json: run against a separately started server (URLs, challenge, admin token, APNs "
      "simulator); scenarios needing what it lacks are skipped");
  return [o] { return run_run(*o); };
}

}  // namespace mdmlab::apps
