// The DEP API an MDM server calls (Apple's device assignment endpoints).
#pragma once

#include "core/metrics/registry.hpp"
#include "core/net/router.hpp"
#include "simulators/services/abm/abm_state.hpp"

namespace mdmlab::simulators::abm {

net::Router dep_routes(AbmState& state, metrics::Registry& registry);

}  // namespace mdmlab::simulators::abm
