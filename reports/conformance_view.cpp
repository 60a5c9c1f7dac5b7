#include "reports/conformance_view.hpp"

#include "reports/html_escape.hpp"
#include "reports/run_json_view.hpp"

namespace mdmlab::reports {
namespace {
const nlohmann::json& conformance_of(const nlohmann::json& sc) {
  static const nlohmann::json none = nlohmann::json::object();
  auto it = sc.find("conformance");
  return it != sc.end() && it->is_object() ? *it : none;
}

long times_checked(const nlohmann::json& c) {
  long n = 0;
  if (auto it = c.find("checked"); it != c.end() && it->is_object())
    for (const auto& [rule, times] : it->items()) n += times.is_number() ? times.get<long>() : 0;
  return n;
}
}  // namespace

std::string conformance_html(const nlohmann::json& sc, const std::string& prefix) {
  const auto& c = conformance_of(sc);
  const auto& violations = array_field(c, "violations");
  const long checks = times_checked(c);
  if (checks == 0 && violations.empty()) return "";
  std::string html =
      "<h3>Conformance</h3><p class=\"meta\">" + std::to_string(checks) + " checks of " +
      std::to_string(c.contains("checked") && c["checked"].is_object() ? c["checked"].size() : 0) +
      " rules by the simulated devices; " + std::to_string(violations.size()) +
      " violation(s).</p>";
  if (violations.empty()) return html;
  html +=
      "<table class=\"steps conformance\"><thead><tr><th>Rule</th><th>Says</th><th>Source</th>"
      "<th>Seen by</th><th>What</th><th>Message</th></tr></thead><tbody>";
  for (const auto& v : violations) {
    const auto seq = text_field(v, "message_seq");
    html +=
        "<tr class=\"step failed\"><td><code>" + html_escape(text_field(v, "rule")) +
        "</code></td><td>" + html_escape(text_field(v, "says")) + "</td><td>" +
        html_escape(text_field(v, "source")) + "</td><td>" + html_escape(text_field(v, "party")) +
        "</td><td class=\"note\">" + html_escape(text_field(v, "detail")) + "</td><td>" +
        (seq.empty() || seq == "0" ? std::string()
                                   : "<a href=\"#" + html_escape(prefix) + "m" + html_escape(seq) +
                                         "\">#" + html_escape(seq) + "</a>") +
        "</td></tr>";
  }
  return html + "</tbody></table>";
}

std::string conformance_markdown(const nlohmann::json& sc) {
  const auto& violations = array_field(conformance_of(sc), "violations");
  if (violations.empty()) return "";
  std::string md = "Conformance violations:\n\n";
  for (const auto& v : violations) {
    auto cell = [](std::string s) {
      for (auto& ch : s)
        if (ch == '\n' || ch == '\r' || ch == '`') ch = ' ';
      return s;
    };
    md += "- `" + cell(text_field(v, "rule")) + "` " + cell(text_field(v, "says")) + " (" +
          cell(text_field(v, "source")) + "): " + cell(text_field(v, "party")) + " saw " +
          cell(text_field(v, "detail")) +
          (text_field(v, "message_seq").empty() || text_field(v, "message_seq") == "0"
               ? std::string()
               : " in message #" + text_field(v, "message_seq")) +
          "\n";
  }
  return md + "\n";
}

}  // namespace mdmlab::reports
