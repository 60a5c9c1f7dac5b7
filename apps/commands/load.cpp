// `mdmlab load --devices N --duration 60s`: a fleet against the embedded reference server (or
// --target), live progress on stderr, final counts and check-in latency on stdout; with
// --report-dir, load.json (every figure and the timeline) and load.html (the page with charts),
// written on a signal's early end (exit 130) too.
#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "apps/commands/commands.hpp"
#include "load/fleet_load.hpp"
#include "load/load_json.hpp"
#include "load/windows_load.hpp"
#include "reports/load_report.hpp"
#include "reports/report_files.hpp"

namespace mdmlab::apps {
namespace {
// SIGINT/SIGTERM: the run stops sending, then measures and reports what it has.
std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) {
  g_stop = true;
}

struct LoadCommandOptions {
  int devices = 100;
  std::string duration = "60s";
  std::string interval = "5s";
  int concurrency = 32;
  std::uint64_t seed = 1;
  std::string target;
  std::string json_out;
  std::string report_dir;
  std::string sample_interval = "1s";
  bool reuse_keys = false;
  std::string profile;
  std::string platform = "mac";
};

// --target: read into `out` (false, said on stderr, when it cannot be).
bool read_target(const std::string& path, std::optional<scenarios::TargetConfig>& out) {
  if (path.empty()) return true;
  auto t = scenarios::load_target(path);
  if (!t) {
    std::cerr << "load: --target: " << t.error().message << "\n";
    return false;
  }
  out = *t;
  return true;
}

std::string against(const std::optional<scenarios::TargetConfig>& target) {
  return target ? "target '" + target->name + "'" : std::string("the embedded server");
}

void catch_stop_signals() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

// --platform windows: enroll the PCs, one session each answering two commands, checked on the
// server (load/windows_load.hpp).
int run_windows_load(const LoadCommandOptions& o) {
  if (!o.report_dir.empty() || !o.profile.empty()) {
    std::cerr << "load: --report-dir and --profile are for Macs; Windows figures go to stdout "
                 "and --json\n";
    return 2;
  }
  load::WindowsLoadOptions opts;
  opts.devices = o.devices;
  opts.concurrency = o.concurrency;
  opts.seed = o.seed;
  if (!read_target(o.target, opts.target)) return 2;
  opts.progress = [](const std::string& line) { std::cerr << line << std::endl; };
  opts.stop = &g_stop;
  catch_stop_signals();
  std::cerr << "mdmlab load: " << o.devices << " Windows PCs against " << against(opts.target)
            << "\n";
  auto r = load::run_windows_load(opts);
  if (!r) {
    std::cerr << "load: " << r.error().message << "\n";
    return 1;
  }
  const auto& rep = *r;
  std::cout << "devices           " << rep.devices << "\n"
            << "enrolled          " << rep.enrolled << " (" << rep.enroll_failed << " failed) in "
            << rep.enroll_seconds << " s, p50 " << rep.enroll_p50_ms << " ms, p99 "
            << rep.enroll_p99_ms << " ms\n"
            << "sessions          " << rep.synced << " (" << rep.sync_failed << " failed) in "
            << rep.session_seconds << " s, p50 " << rep.session_p50_ms << " ms, p99 "
            << rep.session_p99_ms << " ms\n"
            << "commands queued   " << rep.commands_enqueued << "\n"
            << "commands answered " << rep.commands_answered << " (server-side), "
            << rep.commands_ok << " with 200\n";
  if (!rep.first_error.empty()) std::cout << "first error       " << rep.first_error << "\n";
  if (!o.json_out.empty()) {
    nlohmann::json j{{"platform", "windows"},
                     {"devices", rep.devices},
                     {"enrolled", rep.enrolled},
                     {"enroll_failed", rep.enroll_failed},
                     {"enroll_seconds", rep.enroll_seconds},
                     {"enroll_p50_ms", rep.enroll_p50_ms},
                     {"enroll_p99_ms", rep.enroll_p99_ms},
                     {"synced", rep.synced},
                     {"sync_failed", rep.sync_failed},
                     {"session_seconds", rep.session_seconds},
                     {"session_p50_ms", rep.session_p50_ms},
                     {"session_p99_ms", rep.session_p99_ms},
                     {"commands_enqueued", rep.commands_enqueued},
                     {"commands_answered", rep.commands_answered},
                     {"commands_ok", rep.commands_ok},
                     {"keygen_seconds", rep.keygen_seconds},
                     {"interrupted", rep.interrupted}};
    std::ofstream(o.json_out) << j.dump(2) << "\n";
  }
  if (rep.interrupted) {
    std::cout << "STOPPED: interrupted by a signal; the figures above cover the run so far"
              << std::endl;
    return 130;
  }
  std::cout << (rep.ok() ? "PASS" : "FAIL")
            << ": every PC enrolled and answered every command with 200: "
            << (rep.ok() ? "yes" : "no") << std::endl;
  return rep.ok() ? 0 : 1;
}

int run_load(const LoadCommandOptions& o) {
  if (o.platform == "windows") return run_windows_load(o);
  auto duration = scenarios::parse_duration(o.duration);
  auto interval = scenarios::parse_duration(o.interval);
  auto sample_interval = scenarios::parse_duration(o.sample_interval);
  if (!duration || !interval || interval->count() <= 0) {
    std::cerr << "load: bad --duration or --command-interval (e.g. 60s, 500ms, 2m)\n";
    return 2;
  }
  if (!sample_interval || sample_interval->count() < 50) {
    std::cerr << "load: bad --sample-interval (50ms or more, e.g. 250ms, 1s)\n";
    return 2;
  }
  // The report directory is checked before anything runs, not after a long run.
  if (!o.report_dir.empty())
    if (auto ready = reports::prepare_report_dir(o.report_dir); !ready) {
      std::cerr << "load: --report-dir: " << ready.error().message << "\n";
      return 2;
    }
  load::LoadOptions opts;
  opts.devices = o.devices;
  opts.duration = *duration;
  opts.command_interval = *interval;
  opts.concurrency = o.concurrency;
  opts.seed = o.seed;
  if (!read_target(o.target, opts.target)) return 2;
  opts.reuse_keys = o.reuse_keys;
  if (!o.profile.empty()) {
    std::ifstream in(o.profile, std::ios::binary);
    if (!in) {
      std::cerr << "load: --profile: cannot read " << o.profile << "\n";
      return 2;
    }
    opts.profile.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  opts.sample_interval = *sample_interval;
  opts.progress = [](const std::string& line) { std::cerr << line << std::endl; };
  opts.stop = &g_stop;
  catch_stop_signals();
  std::cerr << "mdmlab load: " << o.devices << " Macs for " << o.duration
            << ", a command each every " << o.interval << ", against " << against(opts.target)
            << "\n";
  auto r = load::run_fleet_load(opts);
  if (!r) {
    std::cerr << "load: " << r.error().message << "\n";
    return 1;
  }
  const auto& rep = *r;
  std::cout << "devices           " << rep.devices << "\n"
            << "enrolled          " << rep.enrolled << " (" << rep.enroll_failed << " failed) in "
            << rep.enroll_seconds << " s, "
            << (rep.enroll_seconds > 0 ? rep.enrolled / rep.enroll_seconds : 0) << "/s\n"
            << "commands queued   " << rep.commands_enqueued << "\n"
            << "commands acked    " << rep.commands_acked << " (server-side), devices answered "
            << rep.device_answers << "\n"
            << "pushes received   " << rep.pushes_received << "\n"
            << "SCEP retries      " << rep.scep_retries << "\n"
            << "errors            " << rep.errors << "\n"
            << "check-in latency  p50 " << rep.p50_ms << " ms, p95 " << rep.p95_ms << " ms, p99 "
            << rep.p99_ms << " ms, max " << rep.max_ms << " ms (" << rep.latency_samples
            << " exchanges)\n";
  if (!rep.first_error.empty()) std::cout << "first error       " << rep.first_error << "\n";
  if (!o.json_out.empty()) {
    nlohmann::json j{{"devices", rep.devices},
                     {"enrolled", rep.enrolled},
                     {"enroll_failed", rep.enroll_failed},
                     {"enroll_seconds", rep.enroll_seconds},
                     {"commands_enqueued", rep.commands_enqueued},
                     {"commands_acked", rep.commands_acked},
                     {"device_answers", rep.device_answers},
                     {"pushes_received", rep.pushes_received},
                     {"scep_retries", rep.scep_retries},
                     {"errors", rep.errors},
                     {"p50_ms", rep.p50_ms},
                     {"p99_ms", rep.p99_ms},
                     {"max_ms", rep.max_ms},
                     {"latency_samples", rep.latency_samples},
                     {"interrupted", rep.interrupted}};
    std::ofstream(o.json_out) << j.dump(2) << "\n";
  }
  bool report_failed = false;
  if (!o.report_dir.empty()) {
    auto written = reports::write_load_reports(o.report_dir, load::load_json(opts, rep));
    if (written) {
      std::cout << "report            " << o.report_dir << ": load.json, load.html\n";
    } else {
      std::cerr << "load: --report-dir: " << written.error().message << "\n";
      report_failed = true;
    }
  }
  if (rep.interrupted) {
    std::cout << "STOPPED: interrupted by a signal; the figures above cover the run so far"
              << std::endl;
    return 130;
  }
  std::cout << (rep.ok() ? "PASS" : "FAIL")
            << ": every device enrolled and acknowledged every command: "
            << (rep.ok() ? "yes" : "no") << std::endl;
  return rep.ok() && !report_failed ? 0 : 1;
}
}  // namespace

Action add_load_command(CLI::App& app) {
  auto o = std::make_shared<LoadCommandOptions>();
  auto* cmd = app.add_subcommand(
      "load", "Run a fleet of simulated Macs: enroll, then push and answer commands");
  cmd->add_option("--platform", o->platform,
                  "mac: Macs enroll over SCEP and answer pushed commands for --duration; "
                  "windows: PCs enroll over MS-MDE2 and each runs one OMA DM session answering "
                  "two commands")
      ->check(CLI::IsMember({"mac", "windows"}))
      ->capture_default_str();
  cmd->add_option("--devices", o->devices, "How many Macs (or PCs)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--duration", o->duration, "How long the steady phase lasts after enrollment")
      ->capture_default_str();
  cmd->add_option("--command-interval", o->interval,
                  "How often every Mac gets a DeviceInformation command")
      ->capture_default_str();
  cmd->add_option("--concurrency", o->concurrency, "Enrollments in flight")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--seed", o->seed, "Seed for identities and secrets")->capture_default_str();
  cmd->add_option("--target", o->target, "target.json: load a separately started server instead");
  cmd->add_option("--json", o->json_out, "Also write the final figures as JSON here");
  cmd->add_option("--report-dir", o->report_dir,
                  "Write load.json (every figure and a timeline) and load.html (a self-contained "
                  "page with charts) here; also when a signal ends the run");
  cmd->add_option("--sample-interval", o->sample_interval,
                  "How often the timeline is sampled (devices by state, throughput, latency)")
      ->capture_default_str();
  cmd->add_flag("--reuse-keys", o->reuse_keys,
                "With --target: reuse cached keys 0..N-1, each enrollment with a fresh SCEP "
                "transactionID (no key generation; the server must accept one key in several "
                "certificates). Default: keys leased per target, never used twice against it");
  cmd->add_option("--profile", o->profile,
                  "Enroll every Mac with this enrollment profile (.mobileconfig, plain or signed) "
                  "instead of the server's, e.g. one whose SCEP payload points at another SCEP "
                  "server; its Subject variables expand per Mac");
  return [o] { return run_load(*o); };
}

}  // namespace mdmlab::apps
