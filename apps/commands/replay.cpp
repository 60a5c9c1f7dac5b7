// `mdmlab replay CAPTURE --target target.json`: one device's captured MDM messages sent again to
// a server, its answers compared with the captured ones (scenarios/replay/capture_replay.hpp).
// Exit codes: 0 every message got the answer it got in the capture, 1 some did not, 2 the
// replay could not happen (unreadable capture, no such device, bad target, failed enrollment).
#include <iostream>

#include <nlohmann/json.hpp>

#include "apps/commands/commands.hpp"
#include "core/files/private_file.hpp"
#include "scenarios/engine/target_probe.hpp"
#include "scenarios/replay/capture_replay.hpp"

namespace mdmlab::apps {
namespace {

struct ReplayOptions {
  std::string capture, target, scenario, device, json_out;
};

nlohmann::json to_json(const scenarios::ReplayReport& report) {
  nlohmann::json out{{"udid", report.udid},
                     {"same", report.same()},
                     {"differ", report.differ()},
                     {"not_sent", report.not_sent()},
                     {"exchanges", nlohmann::json::array()}};
  for (const auto& x : report.exchanges)
    out["exchanges"].push_back({{"seq", x.seq},
                                {"summary", x.summary},
                                {"sent", x.sent},
                                {"same", x.same},
                                {"captured_status", x.captured_status},
                                {"status", x.status},
                                {"captured_command", x.captured_command},
                                {"command", x.command},
                                {"note", x.note}});
  return out;
}

int run_replay(const ReplayOptions& o) {
  auto text = files::read_text_file(o.capture);
  if (!text) {
    std::cerr << "replay: " << text.error().message << "\n";
    return 2;
  }
  auto plan = scenarios::plan_replay(*text, o.scenario, o.device);
  if (!plan) {
    std::cerr << "replay: " << o.capture << ": " << plan.error().message << "\n";
    return 2;
  }
  auto target = scenarios::load_target(o.target);
  if (!target) {
    std::cerr << "replay: --target: " << target.error().message << "\n";
    return 2;
  }
  if (auto alive = scenarios::probe_target(*target); !alive) {
    std::cerr << "replay: --target: " << alive.error().message << "\n";
    return 2;
  }
  std::cerr << "mdmlab replay: " << plan->exchanges.size() << " messages of " << plan->device
            << " in '" << plan->scenario << "' against target '" << target->name << "'\n";
  auto report = scenarios::replay(
      *plan, *target, [](const std::string& line) { std::cerr << "  " << line << "\n"; });
  if (!report) {
    std::cerr << "replay: " << report.error().message << "\n";
    return 2;
  }
  if (!o.json_out.empty())
    if (auto w = files::write_private_file(o.json_out, to_json(*report).dump(2) + "\n"); !w) {
      std::cerr << "replay: --json: " << w.error().message << "\n";
      return 2;
    }
  std::cout << report->same() << " same, " << report->differ() << " differ, " << report->not_sent()
            << " not sent (replayed as " << report->udid << ")\n";
  for (const auto& x : report->exchanges)
    if (!x.same)
      std::cout << (x.sent ? "DIFFERS" : "NOT SENT") << " #" << x.seq << " " << x.summary << ": "
                << x.note << "\n";
  return report->differ() == 0 && report->same() > 0 ? 0 : 1;
}

}  // namespace

Action add_replay_command(CLI::App& app) {
  auto o = std::make_shared<ReplayOptions>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Send one device's captured MDM messages (mdmlab run --capture) to a server again and "
      "compare its answers with the captured ones");
  cmd->add_option("CAPTURE", o->capture, "A capture file written by `mdmlab run --capture`")
      ->required();
  cmd->add_option("--target", o->target,
                  "target.json of the server to replay against (its profile URL enrolls the "
                  "replaying device; its admin API or command_api queues the captured commands)")
      ->required();
  cmd->add_option("--scenario", o->scenario, "Which scenario of the capture (default: the first)");
  cmd->add_option("--device", o->device, "Which device of it (default: the first)");
  cmd->add_option("--json", o->json_out, "Also write the comparison as JSON to this file");
  return [o] { return run_replay(*o); };
}

}  // namespace mdmlab::apps
