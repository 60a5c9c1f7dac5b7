// A tolerant read view of run.json for the HTML and Markdown renderers: a report re-rendered
// from a file written by an older or newer mdmlab (or edited by hand) shows what is there
// instead of throwing on a missing field or an unexpected type.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mdmlab::reports {

// The field as text: a string as is, a number or other value as JSON, missing or null as "".
std::string text_field(const nlohmann::json& object, const char* key);
// The field as a number, or `fallback` when it is missing or not a number.
double number_field(const nlohmann::json& object, const char* key, double fallback = 0);
// The field if it is an array, else an empty array.
const nlohmann::json& array_field(const nlohmann::json& object, const char* key);

struct OutcomeCounts {
  std::size_t passed = 0, failed = 0, skipped = 0;
};
// Counted from the scenarios themselves, so the headline always agrees with the table.
OutcomeCounts count_outcomes(const nlohmann::json& run);

// Scenario indexes in report order: failed ones first, each group in suite order.
std::vector<std::size_t> failed_first_order(const nlohmann::json& run);

// "640 ms", "5.46 s", "2 min 05 s".
std::string format_seconds(double seconds);
std::string format_ms(double ms);

// Messages are drawn in time order; run.json lists them so, but a hand-edited file may not.
// Returns pointers into `run` (valid while it lives).
std::vector<const nlohmann::json*> messages_in_time_order(const nlohmann::json& scenario);

// The step during which a message at `t_ms` happened: the step whose [start, start + ms]
// holds it, else the last step started before it; -1 before the first step.
int step_at(const nlohmann::json& scenario, double t_ms);

// Messages at t_ms in [from, to]; empty (to < from) when there is nothing to mark.
struct TimeWindow {
  double from = 0, to = -1;
  bool holds(double t_ms) const { return t_ms >= from && t_ms <= to; }
};
// The failed step's time span, for marking the messages exchanged while it ran.
TimeWindow failed_step_window(const nlohmann::json& scenario);

// A message in a few words for an arrow or a list line: "PUT /mdm/apple/mdm ·
// MessageType=Authenticate", "200 · RequestType=DeviceInformation", "push for mac1: 200".
// Within `max_chars` code points, a long target (SCEP queries, APNs tokens) is cut first, so
// the words that tell messages apart (MessageType=..., Status=...) stay.
std::string message_label(const nlohmann::json& message, std::size_t max_chars = std::string::npos);

// Cuts UTF-8 text to at most `max_chars` code points, marking a cut with an ellipsis.
std::string fit_text(const std::string& text, std::size_t max_chars);

// The failed step's index (from failed_step, else the first step whose outcome is failed), or -1.
int failed_step_index(const nlohmann::json& scenario);

}  // namespace mdmlab::reports
