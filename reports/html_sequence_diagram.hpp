// A scenario's messages as a sequence diagram in inline SVG, drawn like the classic MDM
// enrollment diagrams: a lifeline per party, an arrow per message in time order (requests
// solid, responses dashed, events dotted, transport errors red), dividers where each step
// begins, and the failed step's messages on a red band.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mdmlab::reports {

// Lifeline order: runner, the devices in order of first appearance, server, apns, then any
// other party (an origin the transcript could not name, e.g. "127.0.0.1:8443").
std::vector<std::string> lifeline_order(const std::vector<const nlohmann::json*>& messages);

// "request" | "response" | "error" | "event" as a class name, anything else "other".
std::string message_kind_class(const std::string& kind);

// The <svg> element. Each arrow is an <a class="msg KIND" data-seq="SEQ"> linking to
// "#<id_prefix>m<SEQ>", the element that shows the message's body.
std::string sequence_diagram_svg(const nlohmann::json& scenario, const std::string& id_prefix);

}  // namespace mdmlab::reports
