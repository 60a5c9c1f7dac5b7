// Binary property lists ("bplist00", as CoreFoundation and Python's plistlib FMT_BINARY
// write them): reading. Objects are addressed through an offset table; the reader checks every
// offset and length against the input, refuses reference cycles, nesting deeper than 128,
// UID/set objects (no place in the plist data model), duplicate dict keys, non-string keys,
// integers beyond 64 bits, and strings that are not valid UTF-8 / UTF-16 or hold control
// characters the XML writer refuses. Pure: bytes in, Value out.
#pragma once

#include <string_view>

#include "protocol/plist/value.hpp"

namespace mdmlab::plist {

inline constexpr std::string_view kBinaryMagic = "bplist00";

bool looks_binary(std::string_view bytes);
Result<Value> from_binary(std::string_view bytes);
// Binary or XML, by the magic.
Result<Value> from_any(std::string_view bytes);

}  // namespace mdmlab::plist
