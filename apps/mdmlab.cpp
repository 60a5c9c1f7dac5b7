// mdmlab — MDM simulation and conformance test harness. One CLI:
//   serve | keys | scep | run | report | simulate | load
// Global options (--log-level) may stand before or after the subcommand.
#include <CLI/CLI.hpp>

#include <iostream>

#include "apps/commands/commands.hpp"
#include "core/log/log.hpp"
#include "core/net/io_runtime.hpp"
#include "crypto/init.hpp"

int main(int argc, char** argv) {
  mdmlab::crypto::init_openssl();
  mdmlab::net::raise_fd_limit();

  CLI::App app{"mdmlab — MDM simulation and conformance test harness"};
  app.require_subcommand(1);
  // Subcommands created below inherit this: `mdmlab serve --log-level warn` works too.
  app.fallthrough();
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "debug | info | warn | error | off")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));

  std::vector<std::pair<CLI::App*, mdmlab::apps::Action>> commands;
  auto add = [&](mdmlab::apps::Action (*fn)(CLI::App&)) {
    auto before = app.get_subcommands({}).size();
    auto action = fn(app);
    commands.emplace_back(app.get_subcommands({})[before], std::move(action));
  };
  add(mdmlab::apps::add_serve_command);
  add(mdmlab::apps::add_keys_command);
  add(mdmlab::apps::add_scep_command);
  add(mdmlab::apps::add_run_command);
  add(mdmlab::apps::add_report_command);
  add(mdmlab::apps::add_replay_command);
  add(mdmlab::apps::add_simulate_command);
  add(mdmlab::apps::add_load_command);
  add(mdmlab::apps::add_schema_command);

  CLI11_PARSE(app, argc, argv);
  using mdmlab::log::Level;
  mdmlab::log::set_level(log_level == "debug"   ? Level::debug
                         : log_level == "warn"  ? Level::warn
                         : log_level == "error" ? Level::error
                         : log_level == "off"   ? Level::off
                                                : Level::info);
  for (auto& [cmd, action] : commands) {
    if (cmd->parsed()) return action();
  }
  std::cerr << app.help();
  return 2;
}
