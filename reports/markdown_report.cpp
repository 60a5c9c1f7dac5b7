#include "reports/markdown_report.hpp"

#include <algorithm>

#include "reports/conformance_view.hpp"
#include "reports/run_json_view.hpp"

namespace mdmlab::reports {

std::string markdown_cell(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '\n':
        out += ' ';
        break;
      case '\r':
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// A fenced block that no backtick run in `text` can close early.
std::string fenced(const std::string& text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  std::string body = text;
  if (body.empty() || body.back() != '\n') body += '\n';
  return fence + "text\n" + body + fence + "\n";
}

std::string failure_details(const nlohmann::json& sc) {
  std::string md = "### " + markdown_cell(text_field(sc, "name")) + "\n\n";
  const int failed = failed_step_index(sc);
  if (failed >= 0) {
    const auto& step = array_field(sc, "steps")[static_cast<std::size_t>(failed)];
    md += "Failed at step " + std::to_string(failed) + ":\n\n" + fenced(text_field(step, "text"));
    auto note = text_field(step, "note");
    if (!note.empty()) md += "\nExpected vs. last seen:\n\n" + fenced(note);
  }
  auto message = text_field(sc, "message");
  if (!message.empty()) md += "\nMessage:\n\n" + fenced(message);
  md += conformance_markdown(sc);
  return md + "\n";
}

}  // namespace

std::string markdown_report(const nlohmann::json& run) {
  const auto counts = count_outcomes(run);
  const auto& scenarios = array_field(run, "scenarios");
  std::string md = "## mdmlab run: " + markdown_cell(text_field(run, "suite")) + "\n\n";
  md += std::string(counts.failed ? "**FAILED**: " : "**PASSED**: ") +
        std::to_string(counts.passed) + " passed, " + std::to_string(counts.failed) + " failed, " +
        std::to_string(counts.skipped) + " skipped \u00b7 seed " +
        markdown_cell(text_field(run, "seed")) + " \u00b7 " +
        format_seconds(number_field(run, "seconds")) + "\n\n";
  md += "| Scenario | Outcome | Duration | Steps | Messages |\n|---|---|--:|--:|--:|\n";
  for (auto i : failed_first_order(run)) {
    const auto& sc = scenarios[i];
    auto outcome = text_field(sc, "outcome");
    md += "| " + markdown_cell(text_field(sc, "name")) + " | " +
          (outcome == "failed" ? "**failed**" : markdown_cell(outcome)) + " | " +
          format_seconds(number_field(sc, "seconds")) + " | " +
          std::to_string(array_field(sc, "steps").size()) + " | " +
          std::to_string(array_field(sc, "messages").size()) + " |\n";
  }
  if (counts.failed) {
    md += "\n## Failures\n\n";
    for (auto i : failed_first_order(run))
      if (text_field(scenarios[i], "outcome") == "failed") md += failure_details(scenarios[i]);
  }
  md += "\nSequence diagrams and message bodies: `report.html` in the report directory.\n";
  return md;
}

}  // namespace mdmlab::reports
