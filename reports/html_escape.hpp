// Everything a report shows comes from run.json, and run.json holds what devices and servers
// sent: names, bodies and summaries are untrusted text. Every piece of it goes through
// html_escape() before it reaches the page, as element text or as an attribute value.
#pragma once

#include <string>
#include <string_view>

namespace mdmlab::reports {

// Escapes the five characters that are special in HTML (and SVG) text and quoted attributes.
inline std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace mdmlab::reports
