// Everything a report shows comes from run.json, and run.json holds what devices and servers
// sent: names, bodies and summaries are untrusted text. Every piece of it goes through
// html_escape() before it reaches the page, as element text or as an attribute value.
#pragma once

#include <string>
#include <string_view>

#include "common/markup.hpp"

namespace mdmlab::reports {

// Escapes the five characters that are special in HTML (and SVG) text and quoted attributes
// (common/markup.hpp, shared with the XML writers).
inline std::string html_escape(std::string_view text) {
  return markup_escape(text);
}

}  // namespace mdmlab::reports
