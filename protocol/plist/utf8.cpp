#include "protocol/plist/utf8.hpp"

#include <cstdint>

namespace mdmlab::plist {

std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<std::uint8_t>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    // Length and the allowed range of the second byte (Table 3-7 of the Unicode standard).
    std::size_t n = 0;
    std::uint8_t lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF)
      n = 2;
    else if (b == 0xE0)
      n = 3, lo = 0xA0;  // no overlong 3-byte forms
    else if (b == 0xED)
      n = 3, hi = 0x9F;  // no surrogates
    else if (b >= 0xE1 && b <= 0xEF)
      n = 3;
    else if (b == 0xF0)
      n = 4, lo = 0x90;  // no overlong 4-byte forms
    else if (b == 0xF4)
      n = 4, hi = 0x8F;  // nothing above U+10FFFF
    else if (b >= 0xF1 && b <= 0xF3)
      n = 4;
    else
      return i;  // continuation byte, 0xC0, 0xC1, 0xF5..0xFF
    if (s.size() - i < n) return i;
    auto second = static_cast<std::uint8_t>(s[i + 1]);
    if (second < lo || second > hi) return i;
    for (std::size_t k = 2; k < n; ++k)
      if ((static_cast<std::uint8_t>(s[i + k]) & 0xC0) != 0x80) return i;
    i += n;
  }
  return std::string_view::npos;
}

}  // namespace mdmlab::plist
