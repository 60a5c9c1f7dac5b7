#include "reports/html_sequence_diagram.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "reports/html_escape.hpp"
#include "reports/run_json_view.hpp"

namespace mdmlab::reports {
namespace {

// Geometry in px. The left margin holds the times and the step dividers' labels.
constexpr int kMargin = 78;
constexpr int kColumn = 260;
constexpr int kHeader = 34;
constexpr int kRow = 26;
constexpr int kStepGap = 20;
constexpr double kCharWidth = 6.0;  // of the 11 px label font, for cutting labels to fit

bool is_origin(const std::string& party) {
  return party.find_first_of(":/.") != std::string::npos;
}

// Times with one decimal everywhere, so the margin's column reads evenly.
std::string num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

struct Arrow {
  const nlohmann::json* message;
  std::string kind;
  std::size_t from, to;
  double t_ms;
  int step;
  bool in_failed_step;
};

// One message: an invisible wide line to click on, the line, its head and its label, all in
// one link to the message's body below the diagram.
std::string arrow_svg(const Arrow& a, int y, const std::string& id_prefix) {
  const auto seq = html_escape(text_field(*a.message, "seq"));
  const auto label = message_label(*a.message);
  std::string klass = "msg " + message_kind_class(a.kind);
  if (a.in_failed_step) klass += " in-failed-step";
  std::string tooltip = "#" + text_field(*a.message, "seq") + " " + num(a.t_ms) + " ms  " +
                        text_field(*a.message, "from") + " \u2192 " + text_field(*a.message, "to") +
                        "  " + label;
  std::string svg = "<a class=\"" + klass + "\" data-seq=\"" + seq + "\" href=\"#" +
                    html_escape(id_prefix) + "m" + seq + "\"><title>" + html_escape(tooltip) +
                    "</title>";
  const int x1 = kMargin + kColumn / 2 + static_cast<int>(a.from) * kColumn;
  const int x2 = kMargin + kColumn / 2 + static_cast<int>(a.to) * kColumn;
  const auto ys = std::to_string(y);
  const bool open_head = a.kind != "request";  // UML: a call's head is filled, a reply's open
  if (x1 == x2) {
    // A party talking to itself: a loop out to the right and back.
    const auto xs = std::to_string(x1), xr = std::to_string(x1 + 34), yb = std::to_string(y + 10);
    const auto path = "M" + xs + " " + ys + " H" + xr + " V" + yb + " H" + xs;
    svg += "<path class=\"hit\" d=\"" + path + "\"/><path class=\"line\" d=\"" + path + "\"/>";
    svg += "<polyline class=\"head\" points=\"" + std::to_string(x1 + 8) + "," +
           std::to_string(y + 6) + " " + xs + "," + yb + " " + std::to_string(x1 + 8) + "," +
           std::to_string(y + 14) + "\"/>";
    svg += "<text class=\"label\" x=\"" + std::to_string(x1 + 40) + "\" y=\"" +
           std::to_string(y + 4) + "\">" + html_escape(message_label(*a.message, 30)) +
           "</text></a>";
    return svg;
  }
  const int dir = x2 > x1 ? 1 : -1;
  const auto x1s = std::to_string(x1), x2s = std::to_string(x2);
  svg += "<line class=\"hit\" x1=\"" + x1s + "\" y1=\"" + ys + "\" x2=\"" + x2s + "\" y2=\"" + ys +
         "\"/><line class=\"line\" x1=\"" + x1s + "\" y1=\"" + ys + "\" x2=\"" +
         std::to_string(x2 - dir * 2) + "\" y2=\"" + ys + "\"/>";
  const auto back = std::to_string(x2 - dir * 9);
  const auto head = back + "," + std::to_string(y - 4) + " " + x2s + "," + ys + " " + back + "," +
                    std::to_string(y + 4);
  svg += open_head ? "<polyline class=\"head open\" points=\"" + head + "\"/>"
                   : "<polygon class=\"head\" points=\"" + head + "\"/>";
  const auto span = static_cast<std::size_t>(std::max(4.0, std::abs(x2 - x1) / kCharWidth - 2));
  svg += "<text class=\"label\" x=\"" + std::to_string((x1 + x2) / 2) + "\" y=\"" +
         std::to_string(y - 5) + "\" text-anchor=\"middle\">" +
         html_escape(message_label(*a.message, span)) + "</text></a>";
  return svg;
}

std::string party_boxes(const std::vector<std::string>& parties, int y) {
  std::string svg;
  for (std::size_t i = 0; i < parties.size(); ++i) {
    const int x = kMargin + static_cast<int>(i) * kColumn + 20;
    svg += "<rect class=\"party\" x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) +
           "\" width=\"" + std::to_string(kColumn - 40) + "\" height=\"24\" rx=\"4\"/>";
    svg += "<text class=\"party-name\" x=\"" + std::to_string(x + kColumn / 2 - 20) + "\" y=\"" +
           std::to_string(y + 16) + "\" text-anchor=\"middle\">" +
           html_escape(fit_text(parties[i], 26)) + "</text>";
  }
  return svg;
}

}  // namespace

std::string message_kind_class(const std::string& kind) {
  for (const char* known : {"request", "response", "error", "event"})
    if (kind == known) return kind;
  return "other";
}

std::vector<std::string> lifeline_order(const std::vector<const nlohmann::json*>& messages) {
  std::vector<std::string> seen;
  for (const auto* m : messages)
    for (const char* key : {"from", "to"}) {
      auto party = text_field(*m, key);
      if (std::find(seen.begin(), seen.end(), party) == seen.end()) seen.push_back(party);
    }
  auto rank = [](const std::string& p) {
    if (p == "runner") return 0;
    if (p == "server") return 2;
    if (p == "apns") return 3;
    return is_origin(p) || p.empty() ? 4 : 1;  // 1: a device
  };
  std::stable_sort(seen.begin(), seen.end(),
                   [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  return seen;
}

std::string sequence_diagram_svg(const nlohmann::json& scenario, const std::string& id_prefix) {
  const auto messages = messages_in_time_order(scenario);
  const auto parties = lifeline_order(messages);
  const auto failed = failed_step_window(scenario);
  auto column = [&](const std::string& party) {
    return static_cast<std::size_t>(std::find(parties.begin(), parties.end(), party) -
                                    parties.begin());
  };

  // Rows first (their y), then the picture around them.
  std::vector<Arrow> arrows;
  for (const auto* m : messages) {
    double t = number_field(*m, "t_ms");
    arrows.push_back({m, text_field(*m, "kind"), column(text_field(*m, "from")),
                      column(text_field(*m, "to")), t, step_at(scenario, t), failed.holds(t)});
  }
  const int width = kMargin + static_cast<int>(std::max<std::size_t>(parties.size(), 1)) * kColumn;
  std::string rows;
  int y = kHeader + 12;
  int last_step = -2;
  for (const auto& a : arrows) {
    if (a.step != last_step) {
      y += kStepGap;
      rows += "<line class=\"step-divider\" x1=\"0\" y1=\"" + std::to_string(y - 10) + "\" x2=\"" +
              std::to_string(width) + "\" y2=\"" + std::to_string(y - 10) + "\"/>";
      rows += "<text class=\"step-label\" x=\"4\" y=\"" + std::to_string(y + 1) + "\">" +
              (a.step < 0 ? std::string("before step 0") : "step " + std::to_string(a.step)) +
              "</text>";
      last_step = a.step;
    }
    y += kRow;
    if (a.in_failed_step)
      rows += "<rect class=\"failed-band\" x=\"0\" y=\"" + std::to_string(y - kRow + 6) +
              "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(kRow) +
              "\"/>";
    rows += "<text class=\"time\" x=\"" + std::to_string(kMargin - 8) + "\" y=\"" +
            std::to_string(y + 4) + "\" text-anchor=\"end\">" + num(a.t_ms) + " ms</text>";
    rows += arrow_svg(a, y, id_prefix);
  }
  const int bottom = y + 22;
  const int height = bottom + 30;

  std::string svg = "<svg class=\"sequence\" width=\"" + std::to_string(width) + "\" height=\"" +
                    std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
                    std::to_string(height) + "\" role=\"img\" aria-label=\"sequence diagram\">";
  for (std::size_t i = 0; i < parties.size(); ++i) {
    const auto x = std::to_string(kMargin + kColumn / 2 + static_cast<int>(i) * kColumn);
    svg += "<line class=\"lifeline\" x1=\"" + x + "\" y1=\"" + std::to_string(kHeader) +
           "\" x2=\"" + x + "\" y2=\"" + std::to_string(bottom) + "\"/>";
  }
  svg += party_boxes(parties, 6) + rows + party_boxes(parties, bottom) + "</svg>";
  return svg;
}

}  // namespace mdmlab::reports
