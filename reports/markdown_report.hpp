// report.md: a run in Markdown, short enough for a GitHub Actions step summary
// ($GITHUB_STEP_SUMMARY): the counts, a table of scenarios (failures first) and, for each
// failure, the step, what it expected and what was last seen. The sequence diagrams and
// message bodies are in report.html.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace mdmlab::reports {

std::string markdown_report(const nlohmann::json& run);

// Text safe inside a Markdown table cell: `|` escaped, line breaks as spaces, and HTML's
// `<`, `>`, `&` as entities (GitHub renders inline HTML).
std::string markdown_cell(const std::string& text);

}  // namespace mdmlab::reports
