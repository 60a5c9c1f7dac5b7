// `mdmlab run SUITE --report-dir DIR [--target target.json]`: runs a scenario suite against the
// embedded reference server or a target, prints progress, writes the reports. Exit codes: 0 all
// selected scenarios passed (and the --fail-on-skip / --min-passed bars were met), 1 some did
// not, 2 the run could not happen (unreadable or invalid suite, dead target, bad options).
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>
#include "apps/commands/commands.hpp"

#include "core/files/private_file.hpp"
#include "core/net/io_runtime.hpp"
#include "reports/report_files.hpp"
#include "scenarios/engine/command_results.hpp"
#include "scenarios/engine/runner.hpp"
#include "scenarios/engine/target_probe.hpp"

namespace mdmlab::apps {
namespace {
struct RunCommandOptions {
  std::string suite;
  std::string report_dir = "reports/out";
  std::uint64_t seed = 1;
  std::string target;
  std::vector<std::string> tags, exclude_tags, scenarios;
  bool list = false, validate = false, fail_on_skip = false;
  int repeat = 1;
  int min_passed = 0;
  std::string capture;  // JSON Lines of every message, secrets redacted
};

// A run that cannot happen still leaves a report when it can: one failed case saying why, so
// a CI job shows the error where it shows test results.
int refuse_run(const RunCommandOptions& o, const std::string& why) {
  std::cerr << "run: " << why << "\n";
  if (o.list || o.validate) return 2;
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

bool has_any(const std::vector<std::string>& tags, const std::vector<std::string>& wanted) {
  for (const auto& t : wanted)
    if (std::find(tags.begin(), tags.end(), t) != tags.end()) return true;
  return false;
}

// --tag (any of), --exclude-tag (none of), --scenario (exact names; each must exist).
Result<void> select(scenarios::Suite& suite, const RunCommandOptions& o) {
  for (const auto& name : o.scenarios) {
    bool found = false;
    for (const auto& sc : suite.scenarios) found = found || sc.name == name;
    if (!found) return make_error("no_scenario", "--scenario: no scenario named '" + name + "'");
  }
  std::vector<scenarios::Scenario> kept;
  for (auto& sc : suite.scenarios) {
    if (!o.scenarios.empty() &&
        std::find(o.scenarios.begin(), o.scenarios.end(), sc.name) == o.scenarios.end())
      continue;
    if (!o.tags.empty() && !has_any(sc.tags, o.tags)) continue;
    if (has_any(sc.tags, o.exclude_tags)) continue;
    kept.push_back(std::move(sc));
  }
  suite.scenarios = std::move(kept);
  if (suite.scenarios.empty())
    return make_error("nothing_selected", "no scenario of the suite matches the selection");
  return success();
}

void list(const scenarios::Suite& suite) {
  std::cout << suite.name << ": " << suite.scenarios.size() << " scenarios\n";
  for (const auto& sc : suite.scenarios) {
    std::cout << "  " << sc.name;
    std::string tags, needs;
    for (const auto& t : sc.tags) tags += (tags.empty() ? "" : ", ") + t;
    for (const auto& r : sc.required) needs += (needs.empty() ? "" : ", ") + r;
    if (!tags.empty()) std::cout << "  [" << tags << "]";
    if (!needs.empty()) std::cout << "  requires: " << needs;
    std::cout << "  (" << sc.steps.size() << " steps)\n";
  }
}

// --repeat N: every scenario N times; results named "NAME [k/N]", and the ones that both passed
// and failed are called flaky.
scenarios::SuiteResult run_repeated(const scenarios::Suite& suite,
                                    const scenarios::RunOptions& opts, int repeat) {
  if (repeat == 1) return scenarios::run_suite(suite, opts);
  scenarios::SuiteResult all;
  std::map<std::string, std::set<scenarios::Outcome>> outcomes;
  for (int k = 1; k <= repeat; ++k) {
    std::cerr << "repeat " << k << "/" << repeat << "\n";
    auto r = scenarios::run_suite(suite, opts);
    all.name = r.name;
    all.seed = r.seed;
    all.seconds += r.seconds;
    for (auto& sc : r.scenarios) {
      outcomes[sc.name].insert(sc.outcome);
      sc.name += " [" + std::to_string(k) + "/" + std::to_string(repeat) + "]";
      all.scenarios.push_back(std::move(sc));
    }
  }
  for (const auto& [name, seen] : outcomes)
    if (seen.count(scenarios::Outcome::passed) && seen.count(scenarios::Outcome::failed))
      std::cout << "FLAKY " << name << ": passed and failed across " << repeat << " runs\n";
  return all;
}

// --capture FILE: every message of every scenario as one JSON line, in order, with its scenario:
// what scripts/capture-to-corpus.py turns into fuzz seeds. Bodies are as the transcript keeps
// them (decoded, secrets redacted, binary ones as their size only).
Result<void> write_capture(const std::string& file, const scenarios::SuiteResult& result) {
  std::string text;
  for (const auto& sc : result.scenarios)
    for (const auto& m : sc.messages) {
      auto line = net::to_json(m);
      line["scenario"] = sc.name;
      text += line.dump() + "\n";
    }
  return files::write_private_file(file, text);
}

int run_run(const RunCommandOptions& o) {
  if (!o.list && !o.validate)
    if (auto ready = reports::prepare_report_dir(o.report_dir); !ready) {
      std::cerr << "run: --report-dir: " << ready.error().message << "\n";
      return 2;
    }
  if (!std::filesystem::is_regular_file(o.suite))
    return refuse_run(o, "cannot read " + o.suite + ": no such file");
  auto suite = scenarios::parse_suite_file(o.suite);
  if (!suite) return refuse_run(o, o.suite + ": " + suite.error().message);
  if (o.validate) {
    std::cout << o.suite << ": valid, " << suite->scenarios.size() << " scenarios\n";
    return 0;
  }
  if (auto selected = select(*suite, o); !selected) return refuse_run(o, selected.error().message);
  if (o.list) {
    list(*suite);
    return 0;
  }
  scenarios::RunOptions opts;
  if (!o.target.empty()) {
    auto target = scenarios::load_target(o.target);
    if (!target) return refuse_run(o, "--target: " + target.error().message);
    if (auto alive = scenarios::probe_target(*target); !alive)
      return refuse_run(o, "--target: " + alive.error().message);
    opts.target = *target;
  }
  // A target that posts webhook events (command_results.webhook_listen): the run's receiver is
  // up before the first scenario and stays until the last.
  std::unique_ptr<net::IoRuntime> webhook_io;
  std::unique_ptr<scenarios::WebhookReceiver> webhook;
  std::shared_ptr<scenarios::WebhookInbox> inbox;
  if (opts.target && opts.target->endpoints.command_results &&
      !opts.target->endpoints.command_results->webhook_listen.empty()) {
    webhook_io = std::make_unique<net::IoRuntime>(1);
    inbox = std::make_shared<scenarios::WebhookInbox>();
    auto started = scenarios::WebhookReceiver::start(
        *webhook_io, *opts.target->endpoints.command_results, inbox);
    if (!started) return refuse_run(o, "--target: " + started.error().message);
    webhook = std::move(*started);
    opts.target->endpoints.webhook_inbox = inbox;
    std::cerr << "webhook receiver: " << webhook->url() << "\n";
  }
  opts.seed = o.seed;
  if (suite->default_within) opts.default_within = *suite->default_within;
  opts.progress = [](const std::string& line) { std::cerr << line << "\n"; };
  std::cerr << "mdmlab run " << suite->name << ": " << suite->scenarios.size()
            << " scenarios, seed " << o.seed << ", against "
            << (opts.target ? "target '" + opts.target->name + "'"
                            : std::string("the embedded reference server"))
            << "\n";
  auto result = run_repeated(*suite, opts, o.repeat);

  auto written = reports::write_run_reports(o.report_dir, result);
  if (!written) {
    std::cerr << "run: " << written.error().message << "\n";
    return 2;
  }
  if (!o.capture.empty()) {
    if (auto c = write_capture(o.capture, result); !c) {
      std::cerr << "run: --capture: " << c.error().message << "\n";
      return 2;
    }
    std::cout << "capture: " << o.capture << "\n";
  }
  if (inbox && inbox->refused_count() > 0)
    std::cerr << "webhook receiver: refused " << inbox->refused_count()
              << " requests (not an event, or a bad signature)\n";
  const int passed = result.count(scenarios::Outcome::passed);
  const int skipped = result.count(scenarios::Outcome::skipped);
  std::cout << passed << " passed, " << result.count(scenarios::Outcome::failed) << " failed, "
            << skipped << " skipped\n";
  for (const auto& sc : result.scenarios)
    if (sc.outcome == scenarios::Outcome::failed)
      std::cout << "FAILED " << sc.name << ": " << sc.message << "\n";
  std::string names;
  for (const auto& n : *written) names += (names.empty() ? "" : ", ") + n;
  std::cout << "reports: " << std::filesystem::absolute(o.report_dir).string() << " (" << names
            << ")\n";
  bool ok = result.passed();
  if (o.fail_on_skip && skipped > 0) {
    std::cout << "FAILED --fail-on-skip: " << skipped << " scenarios skipped\n";
    ok = false;
  }
  if (passed < o.min_passed) {
    std::cout << "FAILED --min-passed " << o.min_passed << ": only " << passed << " passed\n";
    ok = false;
  }
  return ok ? 0 : 1;
}
}  // namespace

Action add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunCommandOptions>();
  auto* cmd = app.add_subcommand(
      "run",
      "Run a scenario suite and write reports (exit 0 passed, 1 a scenario failed, 2 the run "
      "could not happen)");
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
      "simulator); scenarios needing what it lacks are skipped; a dead target is an error");
  cmd->add_option("--tag", o->tags, "Only scenarios with one of these tags (repeatable)");
  cmd->add_option("--exclude-tag", o->exclude_tags, "Leave out scenarios with these tags");
  cmd->add_option("--scenario", o->scenarios,
                  "Only the scenario with this exact name (repeatable)");
  cmd->add_flag("--list", o->list, "List the selected scenarios (tags, requires) and exit");
  cmd->add_flag("--validate", o->validate, "Check the suite file only; run nothing");
  cmd->add_flag("--fail-on-skip", o->fail_on_skip, "Exit 1 if any scenario was skipped");
  cmd->add_option("--min-passed", o->min_passed, "Exit 1 unless at least N scenarios passed")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--capture", o->capture,
                  "Write every exchanged message (secrets redacted) as JSON Lines to this file");
  cmd->add_option("--repeat", o->repeat, "Run every scenario N times (finds flaky ones)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  return [o] { return run_run(*o); };
}

}  // namespace mdmlab::apps
