// Before a target run: is the target there at all? A dead or misconfigured target is an error
// of the run (exit 2), not a suite of skipped or failed scenarios.
#pragma once

#include <chrono>

#include "common/result.hpp"
#include "scenarios/engine/environment.hpp"

namespace mdmlab::scenarios {

// GETs the target's enrollment profile URL (and its admin API's device list when it has one):
// an error names the URL and what went wrong (connection refused, TLS, an HTTP status).
Result<void> probe_target(const TargetConfig& target,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace mdmlab::scenarios
