// A scenario's conformance verdicts (run.json "conformance": rules checked, violations) for the
// HTML and Markdown reports: each broken rule with its id, what it says, its source, the device
// that saw it and the message it came in.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace mdmlab::reports {

// `message_anchor_prefix`: the id prefix of the scenario's message list, to link the message.
std::string conformance_html(const nlohmann::json& scenario,
                             const std::string& message_anchor_prefix);
std::string conformance_markdown(const nlohmann::json& scenario);

}  // namespace mdmlab::reports
