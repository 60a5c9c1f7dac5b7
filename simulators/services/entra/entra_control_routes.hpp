// The Entra simulator's control API (plain HTTP, for tests and scenarios):
//   GET  /control/v1/tenants                      tenants with their users and app registrations
//   POST /control/v1/tenants                      {"domain", "name", "id"?}
//   POST /control/v1/tenants/{tenant}/users       {"upn", "password", "display_name"?,
//                                                 "given_name"?, "surname"?, "enabled"?}
//   POST /control/v1/tenants/{tenant}/apps        {"name", "redirect_uris": [...],
//                                                 "client_id"?, "client_secret"?}
//   POST /control/v1/faults                       {"status", "error", "retry_after"?, "count"?}:
//                                                 the token endpoint's next answers
//   GET  /metrics
#pragma once

#include <nlohmann/json.hpp>

#include "core/metrics/registry.hpp"
#include "core/net/router.hpp"
#include "simulators/services/entra/entra_state.hpp"

namespace mdmlab::simulators::entra {

net::Router control_routes(EntraState& state, metrics::Registry& registry);
nlohmann::json to_json(const EntraTenant& t);

}  // namespace mdmlab::simulators::entra
