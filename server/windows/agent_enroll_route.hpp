// Seed 001's agent enrollment, as Fleet's orbit enroll endpoint takes it:
//   POST /api/fleet/orbit/enroll  {"enroll_secret", "hardware_uuid", "hardware_serial",
//                                  "hostname", "platform", "eua_token"?}
//   200 {"orbit_node_key"}; 401 {"error": "..."} for a wrong enroll secret; with end-user
//   authentication required for Windows hosts, 401 {"error": "END_USER_AUTH_REQUIRED"} unless
//   the EUA token (sts_token.hpp, signed with our key) is valid now and names a Windows
//   enrollment that is enabled and not linked to another host. With it, in one transaction:
//   the host, the IdP account of the token's UPN (found, or created without names; existing
//   names kept), the host <-> account link and the enrollment <-> host link. Malformed JSON
//   400. Nothing is stored on a refusal. Metric mdmlab_agent_enrollments_total{result}.
#pragma once

#include <memory>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "core/net/router.hpp"
#include "crypto/key.hpp"
#include "server/store/agent_store.hpp"
#include "server/store/windows_store.hpp"
#include "server/windows/agent_install.hpp"

namespace mdmlab::server::windows {

void add_agent_enroll_route(net::Router& router, const AgentSettings& settings,
                            const crypto::PrivateKey& sts_key, store::AgentStore& agents,
                            store::WindowsStore& windows, std::shared_ptr<Clock> clock,
                            metrics::Registry& registry);

}  // namespace mdmlab::server::windows
