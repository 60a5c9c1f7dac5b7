// UTF-8 validation (RFC 3629): pugixml passes bytes through unchecked, so the plist reader
// checks every string and key with this.
#pragma once

#include <cstddef>
#include <string_view>

namespace mdmlab::plist {

// The offset of the first byte that is not part of well-formed UTF-8, or npos. Refused: stray
// continuation bytes, truncated sequences, overlong forms, surrogates (U+D800..U+DFFF), code
// points above U+10FFFF, and the bytes 0xC0, 0xC1, 0xF5..0xFF.
std::size_t invalid_utf8_at(std::string_view s);

inline bool is_valid_utf8(std::string_view s) {
  return invalid_utf8_at(s) == std::string_view::npos;
}

}  // namespace mdmlab::plist
