// Each `mdmlab` subcommand registers itself on the CLI11 app; main() runs the chosen one.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace mdmlab::apps {

// Returns the action to run when this subcommand is selected (its exit code).
using Action = std::function<int()>;

Action add_serve_command(CLI::App& app);
Action add_keys_command(CLI::App& app);
Action add_scep_command(CLI::App& app);
Action add_run_command(CLI::App& app);
Action add_simulate_command(CLI::App& app);
Action add_load_command(CLI::App& app);
Action add_schema_command(CLI::App& app);
Action add_report_command(CLI::App& app);
Action add_replay_command(CLI::App& app);
// Under `simulate`: returns -1 when not the chosen one.
Action add_simulate_apns_command(CLI::App& simulate);
Action add_simulate_abm_command(CLI::App& simulate);
Action add_simulate_entra_command(CLI::App& simulate);

}  // namespace mdmlab::apps
