// XML property lists. The writer emits exactly what Apple's tools and Python's
// `plistlib.dumps(value, sort_keys=False)` emit (header, DOCTYPE, tab indentation, escaping,
// base64 line layout, real and date formats), so our messages are byte-for-byte the real ones.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "protocol/plist/value.hpp"

namespace mdmlab::plist {

// Fails (bad_value) only for strings with control characters other than \t \n \r, which XML
// plists cannot carry (plistlib refuses them too).
Result<std::string> to_xml(const Value& value);

// Parses an XML plist. Refuses malformed XML, invalid UTF-8 anywhere (and in strings and keys
// after character references are decoded), control characters other than \t \n \r in strings
// and keys (as to_xml does), unknown elements, a <key> without a value, duplicate keys in a
// <dict>, integers outside int64, bad base64 or dates, and nesting deeper than 128 levels.
Result<Value> from_xml(std::string_view text);

// Python's repr() of a float (shortest round-trip form), as plistlib writes <real>.
std::string python_float_repr(double value);

}  // namespace mdmlab::plist
