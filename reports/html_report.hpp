// report.html: a run as one self-contained page (inline CSS, script and SVG; nothing fetched).
// It opens on the summary (counts, seed, duration, a table of scenarios with failures first);
// each scenario below it unfolds into its tags, its steps with timings (the failed one marked
// with what was expected and last seen) and a sequence diagram of its messages whose arrows
// link to the decoded bodies.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace mdmlab::reports {

// Renders run.json's content (see run_json.hpp). Everything taken from it is HTML-escaped.
std::string html_report(const nlohmann::json& run);

}  // namespace mdmlab::reports
