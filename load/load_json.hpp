// load.json: every figure of a load run for machines (and for load.html, which is rendered from
// it): the configuration, the totals, latency percentiles per operation, throughput, errors by
// kind and the timeline. Times are seconds ("_s") or milliseconds ("_ms"), as the names say.
#pragma once

#include <nlohmann/json.hpp>

#include "load/fleet_load.hpp"

namespace mdmlab::load {

inline constexpr const char* kLoadJsonFormat = "mdmlab-load/1";

nlohmann::json load_json(const LoadOptions& options, const LoadReport& report);

}  // namespace mdmlab::load
