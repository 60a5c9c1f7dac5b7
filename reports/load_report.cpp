#include "reports/load_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "reports/html_escape.hpp"
#include "reports/html_page_assets.hpp"
#include "reports/run_json_view.hpp"

namespace mdmlab::reports {
namespace {

using nlohmann::json;

const double kNone = std::numeric_limits<double>::quiet_NaN();

// The page's own additions to the run report's style sheet: cards, charts, series colours.
const char* const kLoadCss = R"css(
.banner{border:1px solid var(--skip);background:#fff8c5;border-radius:6px;padding:8px 12px;margin:8px 0}
.count.errors b{color:var(--bad)}.count small{display:block;color:var(--mute)}
figure.chart{margin:12px 0 20px;border:1px solid var(--line);border-radius:8px;padding:8px 12px}
figure.chart figcaption{font-weight:600;font-size:15px;margin:4px 0}
svg.chart{display:block;width:100%;height:auto;max-width:920px;font-family:system-ui,sans-serif}
svg.chart .axis{stroke:#57606a;stroke-width:1}svg.chart .grid{stroke:#eaeef2;stroke-width:1}
svg.chart text{font-size:11px;fill:#57606a}svg.chart .axis-label{font-size:12px;fill:var(--ink)}
svg.chart .marker{stroke:#8c959f;stroke-dasharray:4 4}svg.chart .empty{font-size:13px}
svg.chart .line{fill:none;stroke-width:1.8}svg.chart .area{stroke:#fff;stroke-width:.5}
svg.chart .bar-value{fill:var(--ink)}
.c0{stroke:#0969da;fill:#0969da}.c1{stroke:#bf8700;fill:#bf8700}.c2{stroke:#cf222e;fill:#cf222e}
.c3{stroke:#1a7f37;fill:#1a7f37}.c4{stroke:#8250df;fill:#8250df}.c5{stroke:#57606a;fill:#57606a}
.st-pending{fill:#d0d7de;stroke:#d0d7de}.st-enrolling{fill:#d4a72c;stroke:#d4a72c}
.st-enrolled{fill:#2da44e;stroke:#2da44e}.st-failed{fill:#cf222e;stroke:#cf222e}
.legend-line{stroke-width:3}
details.numbers{margin:6px 0}details.numbers>summary{cursor:pointer;color:var(--mute)}
details.numbers table{font-size:12px}
)css";

const json& object_field(const json& object, const char* key) {
  static const json empty = json::object();
  if (!object.is_object()) return empty;
  auto it = object.find(key);
  return it != object.end() && it->is_object() ? *it : empty;
}

std::string fixed(double v, int digits) {
  if (!std::isfinite(v)) return "\u2013";
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

// A number as short as it can be at the given step: "0", "2.5", "0.25", "1200".
std::string tick_text(double v, double step) {
  int digits = 0;
  for (double s = step; digits < 6 && std::fabs(s - std::round(s)) > 1e-9; s *= 10) ++digits;
  return fixed(std::fabs(v) < 1e-12 ? 0.0 : v, digits);
}

// 1, 2 or 5 times a power of ten, so that [0, max] takes about `count` steps.
double nice_step(double max, int count) {
  if (!std::isfinite(max) || max <= 0) return 1;
  const double raw = max / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (raw <= m * power) return m * power;
  return 10 * power;
}

struct Axis {
  double max = 1, step = 1;
};
// `whole`: counts (devices, errors), never a fractional tick.
Axis axis_for(double max_value, int ticks, bool whole = false) {
  Axis a;
  a.step = nice_step(max_value, ticks);
  if (whole) a.step = std::max(a.step, 1.0);
  a.max = std::max(a.step, std::ceil(max_value / a.step - 1e-9) * a.step);
  return a;
}

struct Series {
  std::string name;
  std::string css;        // colour class
  std::vector<double> y;  // NaN: no value in that interval (a gap in a line)
};

struct Chart {
  std::string id, title, desc, y_label, x_label = "seconds since enrollment began";
  bool stacked = false;
  std::vector<double> x;
  std::vector<Series> series;
  double marker_x = kNone;  // a dashed vertical line (the steady phase's start)
  std::string marker_label;
  int y_digits = 1;  // for the numbers table; 0: counts (whole ticks too)
};

constexpr double kWidth = 900, kHeight = 300, kLeft = 64, kRight = 170, kTop = 18, kBottom = 46;

std::string svg_open(const Chart& c, double height = kHeight) {
  return "<svg class=\"chart\" id=\"" + c.id + "\" role=\"img\" aria-labelledby=\"" + c.id +
         "-title " + c.id + "-desc\" viewBox=\"0 0 " + fixed(kWidth, 0) + " " + fixed(height, 0) +
         "\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"" + c.id + "-title\">" +
         html_escape(c.title) + "</title><desc id=\"" + c.id + "-desc\">" + html_escape(c.desc) +
         "</desc>";
}

std::string numbers_table(const Chart& c) {
  std::string html = "<details class=\"numbers\"><summary>Numbers (" + std::to_string(c.x.size()) +
                     " samples)</summary><table><thead><tr>"
                     "<th class=\"num\">t (s)</th>";
  for (const auto& s : c.series) html += "<th class=\"num\">" + html_escape(s.name) + "</th>";
  html += "</tr></thead><tbody>";
  for (std::size_t i = 0; i < c.x.size(); ++i) {
    html += "<tr><td class=\"num\">" + fixed(c.x[i], 2) + "</td>";
    for (const auto& s : c.series)
      html += "<td class=\"num\">" + (i < s.y.size() ? fixed(s.y[i], c.y_digits) : "") + "</td>";
    html += "</tr>";
  }
  return html + "</tbody></table></details>";
}

// Lines (or stacked areas) over time, with ticks on both axes and a legend on the right.
std::string time_chart(const Chart& c) {
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  double max_x = 0, max_y = 0;
  for (double x : c.x)
    if (std::isfinite(x)) max_x = std::max(max_x, x);
  for (std::size_t i = 0; i < c.x.size(); ++i) {
    double sum = 0;
    for (const auto& s : c.series) {
      const double v = i < s.y.size() && std::isfinite(s.y[i]) ? s.y[i] : 0;
      if (c.stacked)
        sum += std::max(v, 0.0);
      else
        max_y = std::max(max_y, v);
    }
    max_y = std::max(max_y, sum);
  }
  const Axis ax = axis_for(max_x, 8), ay = axis_for(max_y, 5, c.y_digits == 0);
  auto px = [&](double x) { return kLeft + plot_w * std::clamp(x / ax.max, 0.0, 1.0); };
  auto py = [&](double y) { return kTop + plot_h * (1 - std::clamp(y / ay.max, 0.0, 1.0)); };
  auto pt = [&](double x, double y) { return fixed(px(x), 1) + "," + fixed(py(y), 1); };

  std::string svg = svg_open(c);
  // Grid, ticks and tick labels.
  for (int k = 0; k * ay.step <= ay.max + 1e-9; ++k) {
    const double v = k * ay.step, y = py(v);
    svg += "<line class=\"grid\" x1=\"" + fixed(kLeft, 1) + "\" y1=\"" + fixed(y, 1) + "\" x2=\"" +
           fixed(kLeft + plot_w, 1) + "\" y2=\"" + fixed(y, 1) + "\"/><line class=\"axis\" x1=\"" +
           fixed(kLeft - 5, 1) + "\" y1=\"" + fixed(y, 1) + "\" x2=\"" + fixed(kLeft, 1) +
           "\" y2=\"" + fixed(y, 1) + "\"/><text class=\"tick y-tick\" x=\"" + fixed(kLeft - 8, 1) +
           "\" y=\"" + fixed(y + 4, 1) + "\" text-anchor=\"end\">" + tick_text(v, ay.step) +
           "</text>";
  }
  for (int k = 0; k * ax.step <= ax.max + 1e-9; ++k) {
    const double v = k * ax.step, x = px(v);
    svg += "<line class=\"axis\" x1=\"" + fixed(x, 1) + "\" y1=\"" + fixed(kTop + plot_h, 1) +
           "\" x2=\"" + fixed(x, 1) + "\" y2=\"" + fixed(kTop + plot_h + 5, 1) +
           "\"/><text class=\"tick x-tick\" x=\"" + fixed(x, 1) + "\" y=\"" +
           fixed(kTop + plot_h + 18, 1) + "\" text-anchor=\"middle\">" + tick_text(v, ax.step) +
           "</text>";
  }
  svg += "<line class=\"axis\" x1=\"" + fixed(kLeft, 1) + "\" y1=\"" + fixed(kTop, 1) + "\" x2=\"" +
         fixed(kLeft, 1) + "\" y2=\"" + fixed(kTop + plot_h, 1) + "\"/><line class=\"axis\" x1=\"" +
         fixed(kLeft, 1) + "\" y1=\"" + fixed(kTop + plot_h, 1) + "\" x2=\"" +
         fixed(kLeft + plot_w, 1) + "\" y2=\"" + fixed(kTop + plot_h, 1) + "\"/>";
  svg += "<text class=\"axis-label\" x=\"" + fixed(kLeft + plot_w / 2, 1) + "\" y=\"" +
         fixed(kHeight - 8, 1) + "\" text-anchor=\"middle\">" + html_escape(c.x_label) +
         "</text><text class=\"axis-label\" transform=\"translate(14," +
         fixed(kTop + plot_h / 2, 1) + ") rotate(-90)\" text-anchor=\"middle\">" +
         html_escape(c.y_label) + "</text>";

  if (c.x.empty()) {
    svg += "<text class=\"empty\" x=\"" + fixed(kLeft + plot_w / 2, 1) + "\" y=\"" +
           fixed(kTop + plot_h / 2, 1) + "\" text-anchor=\"middle\">no samples</text>";
  } else if (c.stacked) {
    std::vector<double> base(c.x.size(), 0);
    for (const auto& s : c.series) {
      std::vector<double> top(base);
      for (std::size_t i = 0; i < c.x.size(); ++i)
        if (i < s.y.size() && std::isfinite(s.y[i])) top[i] += std::max(s.y[i], 0.0);
      // One sample: a band as wide as its interval would need its start; draw a thin one.
      std::string points;
      for (std::size_t i = 0; i < c.x.size(); ++i) points += pt(c.x[i], top[i]) + " ";
      if (c.x.size() == 1)
        points += fixed(px(c.x[0]) + 3, 1) + "," + fixed(py(top[0]), 1) + " " +
                  fixed(px(c.x[0]) + 3, 1) + "," + fixed(py(base[0]), 1) + " ";
      for (std::size_t i = c.x.size(); i-- > 0;) points += pt(c.x[i], base[i]) + " ";
      points.pop_back();
      svg += "<polygon class=\"area " + s.css + "\" points=\"" + points + "\"><title>" +
             html_escape(s.name) + "</title></polygon>";
      base = std::move(top);
    }
  } else {
    for (const auto& s : c.series) {
      // Gaps (intervals without a value) split the line.
      std::string segment;
      std::size_t in_segment = 0;
      auto flush = [&] {
        if (in_segment == 1) {
          auto comma = segment.find(',');
          svg += "<circle class=\"" + s.css + "\" cx=\"" + segment.substr(0, comma) + "\" cy=\"" +
                 segment.substr(comma + 1, segment.size() - comma - 2) + "\" r=\"2.5\"/>";
        } else if (in_segment > 1) {
          segment.pop_back();
          svg += "<polyline class=\"line " + s.css + "\" points=\"" + segment + "\"/>";
        }
        segment.clear();
        in_segment = 0;
      };
      for (std::size_t i = 0; i < c.x.size(); ++i) {
        if (i < s.y.size() && std::isfinite(s.y[i])) {
          segment += pt(c.x[i], s.y[i]) + " ";
          ++in_segment;
        } else {
          flush();
        }
      }
      flush();
    }
  }
  if (std::isfinite(c.marker_x) && c.marker_x > 0 && c.marker_x <= ax.max) {
    const double x = px(c.marker_x);
    svg += "<line class=\"marker\" x1=\"" + fixed(x, 1) + "\" y1=\"" + fixed(kTop, 1) + "\" x2=\"" +
           fixed(x, 1) + "\" y2=\"" + fixed(kTop + plot_h, 1) + "\"/><text x=\"" + fixed(x + 4, 1) +
           "\" y=\"" + fixed(kTop - 5, 1) + "\">" + html_escape(c.marker_label) + "</text>";
  }
  // Legend.
  double ly = kTop + 8;
  const double lx = kLeft + plot_w + 16;
  for (const auto& s : c.series) {
    svg += "<line class=\"legend-line " + s.css + "\" x1=\"" + fixed(lx, 1) + "\" y1=\"" +
           fixed(ly, 1) + "\" x2=\"" + fixed(lx + 18, 1) + "\" y2=\"" + fixed(ly, 1) +
           "\"/><text x=\"" + fixed(lx + 24, 1) + "\" y=\"" + fixed(ly + 4, 1) + "\">" +
           html_escape(fit_text(s.name, 18)) + "</text>";
    ly += 18;
  }
  return svg + "</svg>";
}

std::string figure(const Chart& c, const std::string& svg, const std::string& table) {
  return "<figure class=\"chart\" id=\"" + c.id + "-figure\"><figcaption>" + html_escape(c.title) +
         "</figcaption><p class=\"meta\">" + html_escape(c.desc) + "</p>" + svg + table +
         "</figure>\n";
}

// Names in a preferred order, then any others (a newer or hand-edited load.json) sorted.
std::vector<std::string> ordered_keys(const std::vector<std::string>& preferred,
                                      const std::vector<std::string>& seen) {
  std::vector<std::string> out;
  for (const auto& p : preferred)
    if (std::find(seen.begin(), seen.end(), p) != seen.end()) out.push_back(p);
  std::vector<std::string> rest;
  for (const auto& s : seen)
    if (std::find(preferred.begin(), preferred.end(), s) == preferred.end() &&
        std::find(rest.begin(), rest.end(), s) == rest.end())
      rest.push_back(s);
  std::sort(rest.begin(), rest.end());
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

std::vector<std::string> keys_of(const json& samples, const char* field) {
  std::vector<std::string> seen;
  for (const auto& s : samples)
    for (const auto& [key, value] : object_field(s, field).items())
      if (std::find(seen.begin(), seen.end(), key) == seen.end()) seen.push_back(key);
  return seen;
}

const std::vector<std::string> kOperationOrder = {"command_exchange", "enroll", "enqueue", "poll"};
const std::vector<std::string> kStateOrder = {"pending", "enrolling", "enrolled", "failed"};

std::string operation_name(const std::string& op) {
  if (op == "command_exchange") return "command exchange";
  return op;
}

std::string state_class(const std::string& state) {
  for (const auto& known : kStateOrder)
    if (state == known) return "st-" + state;
  return "c5";
}

std::string colour(std::size_t i) {
  return "c" + std::to_string(i % 6);
}

struct Page {
  const json& load;
  const json& config;
  const json& totals;
  const json& samples;
  std::vector<double> x;
  double steady_at = kNone;
};

void set_marker(const Page& p, Chart& c) {
  c.marker_x = p.steady_at;
  c.marker_label = "steady phase";
}

std::string summary_section(const Page& p) {
  const auto& latency = object_field(p.load, "latency");
  const auto& exchange = object_field(latency, "command_exchange");
  const auto& throughput = object_field(p.load, "throughput");
  const double devices = number_field(p.totals, "devices", number_field(p.config, "devices"));
  const auto target = text_field(p.config, "target");
  std::string html = "<h1>mdmlab load: " + fixed(devices, 0) + " Macs against " +
                     (target.empty() ? std::string("the embedded server")
                                     : "target \u2018" + html_escape(target) + "\u2019") +
                     "</h1>";
  html += "<p class=\"meta\">seed " + html_escape(text_field(p.config, "seed")) +
          " \u00b7 steady phase " + format_seconds(number_field(p.config, "duration_s")) +
          " \u00b7 a command every " +
          format_seconds(number_field(p.config, "command_interval_s")) + " \u00b7 " +
          html_escape(text_field(p.config, "concurrency")) +
          " enrollments in flight \u00b7 sampled every " +
          format_seconds(number_field(object_field(p.load, "timeline"), "interval_s",
                                      number_field(p.config, "sample_interval_s"))) +
          "</p>";
  if (auto it = p.totals.find("interrupted"); it != p.totals.end() && *it == true)
    html +=
        "<p class=\"banner\" id=\"interrupted\"><b>Stopped by a signal.</b> The figures cover the "
        "run so far.</p>";
  const double errors = number_field(p.totals, "all_errors", number_field(p.totals, "errors"));
  auto card = [](const std::string& id, const std::string& klass, const std::string& value,
                 const std::string& label, const std::string& note) {
    return "<div class=\"count " + klass + "\" id=\"" + id + "\"><b>" + value + "</b>" + label +
           (note.empty() ? "" : "<small>" + note + "</small>") + "</div>";
  };
  html += "<div class=\"counts\">";
  html += card("sum-devices", "", fixed(devices, 0), "devices",
               fixed(number_field(p.totals, "enrolled"), 0) + " enrolled, " +
                   fixed(number_field(p.totals, "enroll_failed"), 0) + " failed");
  html += card("sum-duration", "", format_seconds(number_field(p.totals, "run_s")), "duration",
               "enrollment " + format_seconds(number_field(p.totals, "enroll_s")) + ", steady " +
                   format_seconds(number_field(p.totals, "steady_s")));
  html += card("sum-throughput", "",
               fixed(number_field(throughput, "commands_answered_per_s"), 1) + "/s",
               "commands answered",
               fixed(number_field(throughput, "enrollments_per_s"), 1) + " enrollments/s");
  html += card("sum-errors", errors > 0 ? "errors" : "passed", fixed(errors, 0), "errors",
               "enrollment failures included");
  for (const auto& [key, label] :
       {std::pair{"p50_ms", "p50"}, std::pair{"p95_ms", "p95"}, std::pair{"p99_ms", "p99"}})
    html += card(std::string("sum-") + label, "", format_ms(number_field(exchange, key)), label,
                 "command exchange");
  html += "</div>";

  html +=
      "<h2>Latency per operation</h2><table class=\"latency\"><thead><tr><th>Operation</th>"
      "<th class=\"num\">Count</th><th class=\"num\">p50</th><th class=\"num\">p95</th>"
      "<th class=\"num\">p99</th><th class=\"num\">max</th></tr></thead><tbody>";
  std::vector<std::string> ops;
  for (const auto& [key, value] : latency.items()) ops.push_back(key);
  for (const auto& op : ordered_keys(kOperationOrder, ops)) {
    const auto& s = object_field(latency, op.c_str());
    html += "<tr><td>" + html_escape(operation_name(op)) + "</td><td class=\"num\">" +
            fixed(number_field(s, "count"), 0) + "</td>";
    for (const char* k : {"p50_ms", "p95_ms", "p99_ms", "max_ms"})
      html += "<td class=\"num\">" + format_ms(number_field(s, k)) + "</td>";
    html += "</tr>";
  }
  html += "</tbody></table>";

  html += "<h2>Totals</h2><table class=\"totals\"><tbody>";
  for (const auto& [key, value] : p.totals.items())
    html += "<tr><th>" + html_escape(key) + "</th><td class=\"num\">" +
            html_escape(value.is_string() ? value.get<std::string>() : value.dump()) + "</td></tr>";
  return html + "</tbody></table>";
}

std::string throughput_chart(const Page& p) {
  Chart c;
  c.id = "chart-throughput";
  c.title = "Throughput over time";
  c.desc = "Operations completed per second in each sampling interval, per operation.";
  c.y_label = "operations / s";
  c.x = p.x;
  set_marker(p, c);
  std::size_t n = 0;
  for (const auto& op : ordered_keys(kOperationOrder, keys_of(p.samples, "completed"))) {
    Series s{operation_name(op), colour(n++), {}};
    for (const auto& sample : p.samples) {
      const double dt = number_field(sample, "interval_s");
      const double done = number_field(object_field(sample, "completed"), op.c_str());
      s.y.push_back(dt > 0 ? done / dt : 0);
    }
    c.series.push_back(std::move(s));
  }
  return figure(c, time_chart(c), numbers_table(c));
}

std::string latency_chart(const Page& p, const std::string& op, std::size_t index) {
  Chart c;
  // Ids from known names only; an unknown operation's chart is numbered.
  c.id = "chart-latency-" + std::to_string(index);
  for (const auto& known : kOperationOrder)
    if (op == known) c.id = "chart-latency-" + op;
  c.title = "Latency over time: " + operation_name(op);
  c.desc = "p50, p95 and p99 of the " + operation_name(op) +
           " latencies completed in each sampling interval, in milliseconds (gaps: none "
           "completed).";
  c.y_label = "milliseconds";
  c.y_digits = 2;
  c.x = p.x;
  set_marker(p, c);
  std::size_t n = 0;
  for (const auto& [key, label] :
       {std::pair{"p50_ms", "p50"}, std::pair{"p95_ms", "p95"}, std::pair{"p99_ms", "p99"}}) {
    Series s{label, colour(n++), {}};
    for (const auto& sample : p.samples) {
      const auto& stats = object_field(object_field(sample, "latency"), op.c_str());
      s.y.push_back(stats.empty() ? kNone : number_field(stats, key, kNone));
    }
    c.series.push_back(std::move(s));
  }
  return figure(c, time_chart(c), numbers_table(c));
}

std::string devices_chart(const Page& p) {
  Chart c;
  c.id = "chart-devices";
  c.title = "Devices by state over time";
  c.desc =
      "How many devices were waiting to enroll, enrolling, enrolled or failed at the end "
      "of each sampling interval (stacked).";
  c.y_label = "devices";
  c.stacked = true;
  c.y_digits = 0;
  c.x = p.x;
  set_marker(p, c);
  for (const auto& state : ordered_keys(kStateOrder, keys_of(p.samples, "devices"))) {
    Series s{state, state_class(state), {}};
    for (const auto& sample : p.samples)
      s.y.push_back(number_field(object_field(sample, "devices"), state.c_str()));
    c.series.push_back(std::move(s));
  }
  return figure(c, time_chart(c), numbers_table(c));
}

std::string errors_chart(const Page& p) {
  Chart c;
  c.id = "chart-errors";
  c.title = "Errors by kind";
  c.desc =
      "How many operations failed, by kind, over the whole run (enrollment failures "
      "included).";
  const auto& kinds = array_field(p.load, "errors_by_kind");
  const double bar_h = 22, gap = 8, label_w = 150;
  const double height =
      kTop + kBottom + std::max<double>(1, static_cast<double>(kinds.size())) * (bar_h + gap);
  double max_count = 0;
  for (const auto& k : kinds) max_count = std::max(max_count, number_field(k, "count"));
  const Axis ax = axis_for(max_count, 6, true);
  const double left = label_w, plot_w = kWidth - left - 60, plot_h = height - kTop - kBottom;
  auto px = [&](double v) { return left + plot_w * std::clamp(v / ax.max, 0.0, 1.0); };

  std::string svg = svg_open(c, height);
  for (int k = 0; k * ax.step <= ax.max + 1e-9; ++k) {
    const double v = k * ax.step, x = px(v);
    svg += "<line class=\"grid\" x1=\"" + fixed(x, 1) + "\" y1=\"" + fixed(kTop, 1) + "\" x2=\"" +
           fixed(x, 1) + "\" y2=\"" + fixed(kTop + plot_h, 1) + "\"/><line class=\"axis\" x1=\"" +
           fixed(x, 1) + "\" y1=\"" + fixed(kTop + plot_h, 1) + "\" x2=\"" + fixed(x, 1) +
           "\" y2=\"" + fixed(kTop + plot_h + 5, 1) + "\"/><text class=\"tick x-tick\" x=\"" +
           fixed(x, 1) + "\" y=\"" + fixed(kTop + plot_h + 18, 1) + "\" text-anchor=\"middle\">" +
           tick_text(v, ax.step) + "</text>";
  }
  svg += "<line class=\"axis\" x1=\"" + fixed(left, 1) + "\" y1=\"" + fixed(kTop, 1) + "\" x2=\"" +
         fixed(left, 1) + "\" y2=\"" + fixed(kTop + plot_h, 1) + "\"/><line class=\"axis\" x1=\"" +
         fixed(left, 1) + "\" y1=\"" + fixed(kTop + plot_h, 1) + "\" x2=\"" +
         fixed(left + plot_w, 1) + "\" y2=\"" + fixed(kTop + plot_h, 1) + "\"/>";
  svg += "<text class=\"axis-label\" x=\"" + fixed(left + plot_w / 2, 1) + "\" y=\"" +
         fixed(height - 8, 1) + "\" text-anchor=\"middle\">errors</text>";
  if (kinds.empty())
    svg += "<text class=\"empty\" x=\"" + fixed(left + plot_w / 2, 1) + "\" y=\"" +
           fixed(kTop + plot_h / 2 + 4, 1) + "\" text-anchor=\"middle\">no errors</text>";
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    const double count = number_field(kinds[i], "count");
    const double y = kTop + gap / 2 + static_cast<double>(i) * (bar_h + gap);
    const auto kind = html_escape(fit_text(text_field(kinds[i], "kind"), 22));
    svg += "<text class=\"tick y-tick\" x=\"" + fixed(left - 8, 1) + "\" y=\"" +
           fixed(y + bar_h / 2 + 4, 1) + "\" text-anchor=\"end\">" + kind +
           "</text><rect class=\"c2\" x=\"" + fixed(left, 1) + "\" y=\"" + fixed(y, 1) +
           "\" width=\"" + fixed(std::max(px(count) - left, 0.0), 1) + "\" height=\"" +
           fixed(bar_h, 1) + "\"><title>" + kind + ": " + fixed(count, 0) +
           "</title></rect><text class=\"bar-value\" x=\"" + fixed(px(count) + 4, 1) + "\" y=\"" +
           fixed(y + bar_h / 2 + 4, 1) + "\">" + fixed(count, 0) + "</text>";
  }
  svg += "</svg>";

  std::string table =
      "<details class=\"numbers\" open><summary>Numbers</summary><table class=\"errors\"><thead>"
      "<tr><th>Kind</th><th class=\"num\">Count</th><th>First message</th></tr></thead><tbody>";
  for (const auto& k : kinds)
    table += "<tr><td>" + html_escape(text_field(k, "kind")) + "</td><td class=\"num\">" +
             fixed(number_field(k, "count"), 0) + "</td><td><code>" +
             html_escape(text_field(k, "first")) + "</code></td></tr>";
  if (kinds.empty()) table += "<tr><td colspan=\"3\">No errors.</td></tr>";
  table += "</tbody></table></details>";
  return figure(c, svg, table);
}

Result<void> write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  if (!out || !(out << text) || !out.flush())
    return make_error("report_dir", "cannot write " + file.string());
  return success();
}

}  // namespace

std::string load_html_report(const json& load) {
  const auto& timeline = object_field(load, "timeline");
  Page p{load,
         object_field(load, "config"),
         object_field(load, "totals"),
         array_field(timeline, "samples"),
         {},
         kNone};
  for (const auto& s : p.samples) p.x.push_back(number_field(s, "t_s"));
  // The steady phase starts when enrollment ends (the timeline starts with enrollment).
  if (std::any_of(p.samples.begin(), p.samples.end(),
                  [](const json& s) { return text_field(s, "phase") != "enroll"; }))
    p.steady_at = number_field(p.totals, "enroll_s", kNone);

  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      // No script and nothing fetched: the page is one file, readable offline.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>mdmlab load: " +
      fixed(number_field(p.totals, "devices", number_field(p.config, "devices")), 0) +
      " Macs</title><style>" + kReportCss + kLoadCss + "</style></head>\n<body>\n";
  html += summary_section(p) + "\n<h2>Over time</h2>\n";
  html += throughput_chart(p);
  // One latency chart per operation that has samples (the command exchange at least).
  std::vector<std::string> ops;
  for (const auto& op : ordered_keys(kOperationOrder, keys_of(p.samples, "latency")))
    ops.push_back(op);
  if (ops.empty()) ops.push_back("command_exchange");
  for (std::size_t i = 0; i < ops.size(); ++i) html += latency_chart(p, ops[i], i);
  html += devices_chart(p);
  html += "<h2>Errors</h2>\n" + errors_chart(p);
  html +=
      "<footer>Written by mdmlab load from load.json (the same figures, for machines).</footer>\n"
      "</body></html>\n";
  return html;
}

Result<std::vector<std::string>> write_load_reports(const std::filesystem::path& dir,
                                                    const json& load) {
  std::vector<std::string> written;
  for (const auto& [name, text] :
       {std::pair{"load.json", load.dump(2, ' ', false, json::error_handler_t::replace) + "\n"},
        std::pair{"load.html", load_html_report(load)}}) {
    if (auto w = write_text(dir / name, text); !w) return w.error();
    written.emplace_back(name);
  }
  return written;
}

}  // namespace mdmlab::reports
