// Strict JSON for request bodies: nlohmann::json::parse silently keeps the last of duplicate
// object keys and turns integer literals beyond 64 bits into doubles, so one body could mean
// different things to different readers. parse_strict_json refuses both.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

#include "common/result.hpp"

namespace mdmlab {

// One JSON value (RFC 8259: no comments, nothing after it). Errors (code "bad_json"): any
// syntax error nlohmann reports (invalid UTF-8, lone surrogate escapes and non-finite numbers
// included), a key twice in one object, an integer literal outside [-2^63, 2^64-1].
Result<nlohmann::json> parse_strict_json(std::string_view text);

}  // namespace mdmlab
