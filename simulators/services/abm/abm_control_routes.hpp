// The ABM simulator's control API: what a test or an operator changes in the organisation.
//   GET    /control/v1/token                 the server token (nanodep OAuth1Tokens JSON)
//   GET    /control/v1/devices               the organisation's devices (with "assignments":
//                                             how many times each got a profile)
//   POST   /control/v1/devices               {"devices": [{"serial_number", "model", ...}]}
//   PATCH  /control/v1/devices/<serial>      {"description": ..., "color": ..., ...}
//   DELETE /control/v1/devices/<serial>      the device leaves the organisation
//   POST   /control/v1/faults                {"path", "status", "body", "retry_after", "count",
//                                             "delay_ms"}; DELETE clears them
//                                             (a 429 with retry_after throttles that path:
//                                             early calls get 429 again and are counted)
//   POST   /control/v1/sessions/expire       every auth session ends (401 next)
//   POST   /control/v1/cursors/expire        every cursor handed out answers EXPIRED_CURSOR
//   GET    /control/v1/stats                 calls, sessions, fetch/sync pages, throttled,
//                                             early_retries, expired/invalid cursors
//   GET    /device/v1/profile?serial=S       what a booting device is given: its assigned ADE
//                                             profile (url, configuration_web_url), or 404
//   GET    /metrics, /healthz
#pragma once

#include "core/metrics/registry.hpp"
#include "core/net/router.hpp"
#include "simulators/services/abm/abm_state.hpp"

namespace mdmlab::simulators::abm {

net::Router control_routes(AbmState& state, metrics::Registry& registry);

}  // namespace mdmlab::simulators::abm
