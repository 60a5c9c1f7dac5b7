#include "reports/html_report.hpp"

#include "reports/conformance_view.hpp"
#include "reports/html_escape.hpp"
#include "reports/html_page_assets.hpp"
#include "reports/html_sequence_diagram.hpp"
#include "reports/run_json_view.hpp"

namespace mdmlab::reports {
namespace {

using nlohmann::json;

// "passed" | "failed" | "skipped" | "not_run" as a class name; anything else is "other" (the
// value is shown as escaped text, never trusted as markup).
std::string outcome_class(const std::string& outcome) {
  for (const char* known : {"passed", "failed", "skipped", "not_run"})
    if (outcome == known) return outcome;
  return "other";
}

std::string outcome_badge(const std::string& outcome) {
  return "<span class=\"outcome " + outcome_class(outcome) + "\">" + html_escape(outcome) +
         "</span>";
}

std::string scenario_id(std::size_t index) {
  return "s" + std::to_string(index);
}

std::string summary_section(const json& run) {
  const auto counts = count_outcomes(run);
  const auto& scenarios = array_field(run, "scenarios");
  std::string html = "<h1>mdmlab run: " + html_escape(text_field(run, "suite")) + "</h1>";
  html += "<p class=\"meta\">seed " + html_escape(text_field(run, "seed")) + " \u00b7 " +
          std::to_string(scenarios.size()) + " scenarios in " +
          format_seconds(number_field(run, "seconds")) + "</p>";
  html += "<div class=\"counts\">";
  for (const auto& [name, n] :
       {std::pair{"passed", counts.passed}, std::pair{"failed", counts.failed},
        std::pair{"skipped", counts.skipped}})
    html += "<div class=\"count " + std::string(name) + "\" id=\"count-" + name + "\"><b>" +
            std::to_string(n) + "</b>" + name + "</div>";
  html += "</div>";
  html +=
      "<table class=\"scenarios\"><thead><tr><th>Scenario</th><th>Outcome</th>"
      "<th class=\"num\">Duration</th><th class=\"num\">Steps</th>"
      "<th class=\"num\">Messages</th></tr></thead><tbody>";
  for (auto i : failed_first_order(run)) {
    const auto& sc = scenarios[i];
    const auto outcome = text_field(sc, "outcome");
    html += "<tr class=\"" + outcome_class(outcome) + "\"><td><a href=\"#" + scenario_id(i) +
            "\">" + html_escape(text_field(sc, "name")) + "</a></td><td>" + outcome_badge(outcome) +
            "</td><td class=\"num\">" + format_seconds(number_field(sc, "seconds")) +
            "</td><td class=\"num\">" + std::to_string(array_field(sc, "steps").size()) +
            "</td><td class=\"num\">" + std::to_string(array_field(sc, "messages").size()) +
            "</td></tr>";
  }
  return html + "</tbody></table>";
}

std::string failure_box(const json& sc) {
  int failed = failed_step_index(sc);
  std::string html = "<div class=\"failure\"><b>Failed";
  if (failed >= 0) html += " at step " + std::to_string(failed);
  html += "</b>";
  auto message = text_field(sc, "message");
  if (message.empty() && failed >= 0)
    message = text_field(array_field(sc, "steps")[static_cast<std::size_t>(failed)], "note");
  return html + "<pre class=\"failure-message\">" + html_escape(message) + "</pre></div>";
}

std::string steps_table(const json& sc) {
  const auto& steps = array_field(sc, "steps");
  if (steps.empty()) return "<p class=\"meta\">No steps.</p>";
  const int failed = failed_step_index(sc);
  // Step starts are shown from the scenario's first step, the diagram's clock minus setup.
  const double origin = number_field(steps[0], "start_ms");
  std::string html =
      "<table class=\"steps\"><thead><tr><th class=\"num\">#</th><th>Step</th><th>Outcome</th>"
      "<th class=\"num\">Start</th><th class=\"num\">Took</th><th>Note</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& st = steps[i];
    const auto outcome = text_field(st, "outcome");
    const bool is_failed = static_cast<int>(i) == failed;
    const bool ran = outcome != "not_run";
    html += "<tr class=\"step " + (is_failed ? std::string("failed") : outcome_class(outcome)) +
            "\"><td class=\"num\">" + std::to_string(i) + "</td><td><code>" +
            html_escape(text_field(st, "text")) + "</code></td><td>" + outcome_badge(outcome) +
            "</td><td class=\"num\">" +
            (ran ? "+" + format_ms(number_field(st, "start_ms") - origin) : "") +
            "</td><td class=\"num\">" + (ran ? format_ms(number_field(st, "ms")) : "") +
            "</td><td class=\"note\">" + html_escape(text_field(st, "note")) + "</td></tr>";
  }
  return html + "</tbody></table>";
}

// The bodies the arrows link to, in the diagram's order.
std::string message_list(const json& sc, const std::string& id_prefix) {
  const auto window = failed_step_window(sc);
  std::string html = "<div class=\"messages\">";
  for (const auto* m : messages_in_time_order(sc)) {
    const auto seq = html_escape(text_field(*m, "seq"));
    const auto kind = text_field(*m, "kind");
    const double t = number_field(*m, "t_ms");
    std::string klass = "message " + message_kind_class(kind);
    if (window.holds(t)) klass += " in-failed-step";
    html += "<details class=\"" + klass + "\" id=\"" + id_prefix + "m" + seq + "\"><summary>#" +
            seq + " " + format_ms(t) + " <span class=\"who\">" +
            html_escape(text_field(*m, "from")) + " \u2192 " + html_escape(text_field(*m, "to")) +
            "</span> " + html_escape(message_label(*m));
    if (kind == "response" || kind == "error")
      html += " <span class=\"who\">(answers #" + html_escape(text_field(*m, "answers")) +
              ", took " + format_ms(number_field(*m, "took_ms")) + ")</span>";
    html += "</summary>";
    auto content_type = text_field(*m, "content_type");
    if (!content_type.empty())
      html += "<div class=\"who mono\">" + html_escape(content_type) + "</div>";
    auto summary = text_field(*m, "summary");
    if (!summary.empty()) html += "<div class=\"mono\">" + html_escape(summary) + "</div>";
    auto body = text_field(*m, "body");
    html += "<pre>" + (body.empty() ? std::string("(no body)") : html_escape(body)) +
            "</pre></details>";
  }
  return html + "</div>";
}

std::string scenario_section(const json& sc, std::size_t index) {
  const auto outcome = text_field(sc, "outcome");
  const auto id = scenario_id(index);
  std::string html = "<details class=\"scenario " + outcome_class(outcome) + "\" id=\"" + id +
                     "\"" + (outcome == "failed" ? " open" : "") + "><summary>" +
                     outcome_badge(outcome) + " " + html_escape(text_field(sc, "name")) +
                     " <span class=\"meta\">" + format_seconds(number_field(sc, "seconds")) +
                     "</span></summary>";
  html += "<div class=\"tags\">";
  for (const auto& tag : array_field(sc, "tags"))
    html += "<span class=\"tag\">" +
            html_escape(tag.is_string() ? tag.get<std::string>() : tag.dump()) + "</span>";
  html += "</div>";
  if (outcome == "failed") html += failure_box(sc);
  html += "<h3>Steps</h3>" + steps_table(sc);
  html += conformance_html(sc, id + "-");
  const auto& messages = array_field(sc, "messages");
  html += "<h3>Messages (" + std::to_string(messages.size()) + ")</h3>";
  if (messages.empty()) return html + "<p class=\"meta\">No messages recorded.</p></details>";
  html += "<p class=\"meta\">Requests solid, responses dashed, events dotted, errors red";
  if (outcome == "failed") html += "; the failed step\u2019s messages on red";
  html += ". Click an arrow for its body.</p>";
  html += "<div class=\"diagram\">" + sequence_diagram_svg(sc, id + "-") + "</div>";
  return html + message_list(sc, id + "-") + "</details>";
}

}  // namespace

std::string html_report(const json& run) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      // Nothing may be fetched: the page is one file, readable offline and in CI artifacts.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>mdmlab run: " +
      html_escape(text_field(run, "suite")) + "</title><style>" + kReportCss +
      "</style></head>\n<body>\n";
  html += summary_section(run) + "\n<h2>Scenarios</h2>\n";
  const auto& scenarios = array_field(run, "scenarios");
  for (auto i : failed_first_order(run)) html += scenario_section(scenarios[i], i) + "\n";
  html +=
      "<footer>Written by mdmlab from run.json; <code>mdmlab report DIR</code> renders it "
      "again.</footer>\n<script>" +
      std::string(kReportJs) + "</script>\n</body></html>\n";
  return html;
}

}  // namespace mdmlab::reports
