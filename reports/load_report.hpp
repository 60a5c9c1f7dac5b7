// The files `mdmlab load --report-dir DIR` leaves: load.json (every figure, written by
// mdmlab_load) and load.html, rendered here from load.json's content alone: one self-contained
// page (inline CSS and SVG, no script, nothing fetched) with the summary, throughput, latency
// and devices-by-state over time, and errors by kind, each chart with its numbers as a table.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.hpp"

namespace mdmlab::reports {

// load.html from load.json's content. Tolerant: missing fields and empty series render as
// zeros or "no samples", never as a crash. Every text from `load` is escaped.
std::string load_html_report(const nlohmann::json& load);

// Writes load.json (`load` as is) and load.html into `dir` (which must exist); returns the
// names written.
Result<std::vector<std::string>> write_load_reports(const std::filesystem::path& dir,
                                                    const nlohmann::json& load);

}  // namespace mdmlab::reports
