// The files a run leaves in --report-dir: junit.xml (CI test results), run.json (every fact,
// for machines and re-rendering), report.html (the page to read, with sequence diagrams) and
// report.md (a summary for CI step summaries).
#pragma once

#include <filesystem>

#include <nlohmann/json_fwd.hpp>

#include "common/result.hpp"
#include "scenarios/engine/runner.hpp"

namespace mdmlab::reports {

// The directory exists and takes files (checked before anything runs).
Result<void> prepare_report_dir(const std::filesystem::path& dir);
// Writes every report of `result` into `dir`; returns the names written.
Result<std::vector<std::string>> write_run_reports(const std::filesystem::path& dir,
                                                   const scenarios::SuiteResult& result);
// Writes report.html and report.md rendered from run.json's content `run` (what
// `mdmlab report` does with a run directory); returns the names written.
Result<std::vector<std::string>> write_rendered_reports(const std::filesystem::path& dir,
                                                        const nlohmann::json& run);

}  // namespace mdmlab::reports
