#include "reports/run_json_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mdmlab::reports {

std::string text_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

double number_field(const nlohmann::json& object, const char* key, double fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

const nlohmann::json& array_field(const nlohmann::json& object, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  if (!object.is_object()) return empty;
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : empty;
}

OutcomeCounts count_outcomes(const nlohmann::json& run) {
  OutcomeCounts counts;
  for (const auto& sc : array_field(run, "scenarios")) {
    auto outcome = text_field(sc, "outcome");
    if (outcome == "passed")
      ++counts.passed;
    else if (outcome == "failed")
      ++counts.failed;
    else
      ++counts.skipped;
  }
  return counts;
}

std::vector<std::size_t> failed_first_order(const nlohmann::json& run) {
  const auto& scenarios = array_field(run, "scenarios");
  std::vector<std::size_t> order(scenarios.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_partition(order.begin(), order.end(), [&](std::size_t i) {
    return text_field(scenarios[i], "outcome") == "failed";
  });
  return order;
}

std::string format_seconds(double seconds) {
  char text[48];
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  if (seconds < 1) {
    std::snprintf(text, sizeof text, "%.0f ms", seconds * 1000);
  } else if (seconds < 60) {
    std::snprintf(text, sizeof text, "%.2f s", seconds);
  } else {
    auto whole = static_cast<long long>(seconds);
    std::snprintf(text, sizeof text, "%lld min %02lld s", whole / 60, whole % 60);
  }
  return text;
}

std::string format_ms(double ms) {
  if (std::isfinite(ms) && ms >= 0 && ms < 10) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f ms", ms);
    return text;
  }
  return format_seconds(ms / 1000);
}

std::vector<const nlohmann::json*> messages_in_time_order(const nlohmann::json& scenario) {
  std::vector<const nlohmann::json*> messages;
  for (const auto& m : array_field(scenario, "messages"))
    if (m.is_object()) messages.push_back(&m);
  std::stable_sort(messages.begin(), messages.end(), [](const auto* a, const auto* b) {
    return number_field(*a, "t_ms") < number_field(*b, "t_ms");
  });
  return messages;
}

int step_at(const nlohmann::json& scenario, double t_ms) {
  const auto& steps = array_field(scenario, "steps");
  int latest = -1;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (text_field(steps[i], "outcome") == "not_run") continue;
    double start = number_field(steps[i], "start_ms", -1);
    if (start < 0 || start > t_ms) continue;
    if (t_ms <= start + number_field(steps[i], "ms")) return static_cast<int>(i);
    latest = static_cast<int>(i);
  }
  return latest;
}

int failed_step_index(const nlohmann::json& scenario) {
  const auto& steps = array_field(scenario, "steps");
  double named = number_field(scenario, "failed_step", -1);
  if (named >= 0 && named < static_cast<double>(steps.size())) return static_cast<int>(named);
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (text_field(steps[i], "outcome") == "failed") return static_cast<int>(i);
  return -1;
}

TimeWindow failed_step_window(const nlohmann::json& scenario) {
  int failed = failed_step_index(scenario);
  if (failed < 0) return {};
  const auto& step = array_field(scenario, "steps")[static_cast<std::size_t>(failed)];
  double start = number_field(step, "start_ms", -1);
  if (start < 0) return {};
  return {start, start + number_field(step, "ms")};
}

namespace {
// The transcript's summaries begin with the body size ("743 B MessageType=Authenticate"); the
// words after it say more in an arrow's little space.
std::string summary_words(const std::string& summary) {
  auto space = summary.find(" B");
  bool sized =
      space != std::string::npos && space > 0 && summary.find_first_not_of("0123456789") == space;
  if (!sized) return summary;
  auto rest = summary.find_first_not_of(' ', space + 2);
  return rest == std::string::npos ? summary : summary.substr(rest);
}
}  // namespace

std::string fit_text(const std::string& text, std::size_t max_chars) {
  if (max_chars == 0) return {};
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    // Room for the ellipsis: cut before the max_chars-th code point when more follow.
    if (++chars == max_chars) {
      std::size_t rest = i + 1;
      while (rest < text.size() && (static_cast<unsigned char>(text[rest]) & 0xC0) == 0x80) ++rest;
      return rest >= text.size() ? text : text.substr(0, i) + "\u2026";
    }
  }
  return text;
}

namespace {
std::size_t code_points(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}
}  // namespace

std::string message_label(const nlohmann::json& message, std::size_t max_chars) {
  const auto kind = text_field(message, "kind");
  const auto words = summary_words(text_field(message, "summary"));
  const std::string dot = " \u00b7 ";
  if (kind == "request") {
    const auto method = text_field(message, "method") + " ";
    auto target = text_field(message, "target");
    if (!words.empty() && max_chars != std::string::npos) {
      const auto fixed = code_points(method) + code_points(dot) + code_points(words);
      const std::size_t room = max_chars > fixed + 6 ? max_chars - fixed : 6;
      target = fit_text(target, room);
    }
    return fit_text(words.empty() ? method + target : method + target + dot + words, max_chars);
  }
  std::string head = kind == "response" ? text_field(message, "status")
                     : kind == "error"  ? std::string("error")
                                        : std::string();
  if (head.empty()) return fit_text(words, max_chars);
  return fit_text(words.empty() ? head : head + dot + words, max_chars);
}

}  // namespace mdmlab::reports
