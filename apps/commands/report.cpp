// `mdmlab report RUN_DIR`: renders report.html and report.md again from RUN_DIR/run.json (after
// an mdmlab upgrade, or for a run.json copied from a CI artifact).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "apps/commands/commands.hpp"
#include "reports/report_files.hpp"

namespace mdmlab::apps {
namespace {

int run_report(const std::string& run_dir) {
  const auto dir = std::filesystem::path(run_dir);
  const auto file = dir / "run.json";
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "report: no run.json in " << dir.string()
              << " (give the --report-dir of an `mdmlab run`)\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto run = nlohmann::json::parse(text.str(), nullptr, false);
  if (run.is_discarded()) {
    std::cerr << "report: " << file.string() << " is not valid JSON\n";
    return 2;
  }
  if (!run.is_object() || !run.contains("scenarios") || !run["scenarios"].is_array()) {
    std::cerr << "report: " << file.string()
              << " is not an mdmlab run.json (it has no \"scenarios\" array)\n";
    return 2;
  }
  auto written = reports::write_rendered_reports(dir, run);
  if (!written) {
    std::cerr << "report: " << written.error().message << "\n";
    return 1;
  }
  for (const auto& name : *written)
    std::cout << "wrote " << std::filesystem::absolute(dir / name).string() << "\n";
  return 0;
}

}  // namespace

Action add_report_command(CLI::App& app) {
  auto run_dir = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "report", "Render report.html and report.md again from a run directory's run.json");
  cmd->add_option("RUN_DIR", *run_dir, "A --report-dir of `mdmlab run` (holds run.json)")
      ->required();
  return [run_dir] { return run_report(*run_dir); };
}

}  // namespace mdmlab::apps
