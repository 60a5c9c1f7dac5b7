// `mdmlab run SUITE --report-dir DIR [--target target.json]`: runs a scenario suite against the
// embedded reference server or a target, prints progress, writes junit.xml and run.json, exits
// 1 if any scenario failed.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "apps/commands/commands.hpp"
#include "reports/junit_writer.hpp"
#include "scenarios/engine/runner.hpp"

namespace mdmlab::apps {
namespace {
struct RunCommandOptions {
  std::string suite;
  std::string report_dir = "reports/out";
  std::uint64_t seed = 1;
  std::string target;
};

int run_run(const RunCommandOptions& o) {
  std::ifstream in(o.suite);
  if (!in) {
    std::cerr << "run: cannot read " << o.suite << "\n";
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto suite = scenarios::parse_suite(ss.str());
  if (!suite) {
    std::cerr << "run: " << o.suite << ": " << suite.error().message << "\n";
    return 2;
  }
  scenarios::RunOptions opts;
  if (!o.target.empty()) {
    auto target = scenarios::load_target(o.target);
    if (!target) {
      std::cerr << "run: --target: " << target.error().message << "\n";
      return 2;
    }
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

  std::error_code ec;
  std::filesystem::create_directories(o.report_dir, ec);
  if (ec) {
    std::cerr << "run: cannot create " << o.report_dir << ": " << ec.message() << "\n";
    return 2;
  }
  std::ofstream(std::filesystem::path(o.report_dir) / "junit.xml") << reports::junit_xml(result);
  std::ofstream(std::filesystem::path(o.report_dir) / "run.json") << reports::run_json(result);
  std::cout << result.count(scenarios::Outcome::passed) << " passed, "
            << result.count(scenarios::Outcome::failed) << " failed, "
            << result.count(scenarios::Outcome::skipped) << " skipped\n";
  for (const auto& sc : result.scenarios)
    if (sc.outcome == scenarios::Outcome::failed)
      std::cout << "FAILED " << sc.name << ": " << sc.message << "\n";
  std::cout << "reports: " << std::filesystem::absolute(o.report_dir).string()
            << " (junit.xml, run.json)\n";
  return result.passed() ? 0 : 1;
}
}  // namespace

Action add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunCommandOptions>();
  auto* cmd = app.add_subcommand(
      "run", "Run a scenario suite and write reports (exit 1 if any scenario fails)");
  cmd->add_option("suite", o->suite, "Suite file, e.g. scenarios/suites/apple-smoke.json")
      ->required();
  cmd->add_option("--report-dir", o->report_dir, "Where junit.xml and run.json go")
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
