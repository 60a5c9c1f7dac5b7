// Text-level edits of XML plists for the hostile generator: find a key's value element and
// replace, duplicate or retype it, without re-serialising (so the result can be malformed).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mdmlab::testing::hostile {

struct Span {
  std::size_t begin = 0, end = 0;  // [begin, end) of an element
};

// Every <key>, document order (nested dicts included).
std::vector<std::string> plist_keys(const std::string& xml);
// Keys whose value is a <tag> element, e.g. "string" or "data".
std::vector<std::string> plist_keys_of_type(const std::string& xml, const std::string& tag);
// The <key>name</key> element, and the value element that follows it.
std::optional<Span> key_span(const std::string& xml, const std::string& key);
std::optional<Span> value_span(const std::string& xml, const std::string& key);
// Text between a scalar element's tags.
std::optional<Span> inner_span(const std::string& xml, const Span& element);
std::string replace(const std::string& xml, const Span& span, const std::string& text);

}  // namespace mdmlab::testing::hostile
