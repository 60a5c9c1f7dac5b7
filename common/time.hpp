// Wall-clock instants and their RFC 3339 text (webhook events, DEP API times, token expiry).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace mdmlab {

using TimePoint = std::chrono::system_clock::time_point;

// "2026-11-29T18:53:00Z": whole seconds, UTC.
std::string rfc3339_utc(TimePoint at);
// "2027-11-29T19:00:00Z", with optional fractional seconds (dropped) and a Z or ±hh:mm offset.
Result<TimePoint> parse_rfc3339(std::string_view text);

}  // namespace mdmlab
