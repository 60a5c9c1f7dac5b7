// The APNs simulator's HTTP/1.1 side (JSON):
// Device side (what a simulated device does instead of Apple's persistent connection):
//   PUT    /device/v1/tokens/<hex>                 {"topic": "..."}  register the token
//   GET    /device/v1/tokens/<hex>/notifications?wait_ms=N  connect; long-poll for pushes
//   DELETE /device/v1/tokens/<hex>/connection      go offline (pushes are stored, coalesced)
// Control API (tests, scenarios, people):
//   GET    /control/v1/deliveries[?token=<hex>]    the delivery log and counters
//   POST   /control/v1/faults  {"token"?, "status", "reason", "count"?, "delay_ms"?}
//   GET    /control/v1/faults                      the faults in force
//   DELETE /control/v1/faults
//   GET    /control/v1/tokens                      every known token: topic, online, pending
//   POST   /control/v1/tokens/<hex>/unregister     pushes to it get 410 Unregistered
//   GET    /control/v1/stats                       counters and HTTP/2 stream figures
//   POST   /control/v1/settings {"max_concurrent_streams": N}
//   GET    /metrics, GET /healthz
#pragma once

#include "core/net/router.hpp"

namespace mdmlab::simulators::apns {

class ApnsSimulator;
net::Router control_routes(ApnsSimulator& simulator);

}  // namespace mdmlab::simulators::apns
