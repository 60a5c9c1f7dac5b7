// Byte buffers and their text encodings (base64, hex). Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mdmlab {

using Bytes = std::vector<std::uint8_t>;

inline Bytes to_bytes(std::string_view s) {
  return Bytes(s.begin(), s.end());
}
inline std::string to_string(const Bytes& b) {
  return std::string(b.begin(), b.end());
}

std::string base64_encode(const Bytes& data);
// Accepts standard alphabet, ignores whitespace (CR/LF from line-wrapped clients), and
// tolerates missing padding; rejects any other character.
Result<Bytes> base64_decode(std::string_view text);
// RFC 4648 §5 (JWTs, JWKs, PKCE): '-' and '_', no padding; decoding refuses '+', '/', '='.
std::string base64url_encode(const Bytes& data);
Result<Bytes> base64url_decode(std::string_view text);
std::string hex_encode(const Bytes& data, bool upper = false);
// Either case; an error for an odd length or any other character.
Result<Bytes> hex_decode(std::string_view text);

}  // namespace mdmlab
