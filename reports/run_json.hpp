// run.json: every fact of a run for machines and for the HTML and Markdown reports: outcomes,
// step timings, and each scenario's messages between the parties (secrets redacted).
#pragma once

#include <string>

#include "scenarios/engine/runner.hpp"

namespace mdmlab::reports {

std::string run_json(const scenarios::SuiteResult& result);

}  // namespace mdmlab::reports
