// A minimal SCIM 2.0 service provider for Users (RFC 7644), where an identity provider such as
// Microsoft Entra provisions the organisation's users (seed 001: an agent enrollment with an
// end-user token maps its host to the SCIM user of that UPN):
//   GET    /api/latest/fleet/scim/Users          ?filter=userName eq "..." &startIndex &count
//   POST   /api/latest/fleet/scim/Users          201, Location; 409 uniqueness
//   GET    /api/latest/fleet/scim/Users/{id}     404 for an unknown id
//   PUT    /api/latest/fleet/scim/Users/{id}     replaces the attributes
//   PATCH  /api/latest/fleet/scim/Users/{id}     PatchOp add/replace (what Entra sends)
//   DELETE /api/latest/fleet/scim/Users/{id}     204; the host mapping goes with it
// Every call needs `Authorization: Bearer <token>` (constant-time compare; 401 otherwise).
// Bodies are application/scim+json (application/json accepted); answers and errors are SCIM
// messages (protocol/scim/scim_user.hpp) with the RFC 7644 status and scimType; a refused
// request changes nothing. Metrics: mdmlab_scim_requests_total{operation,status}.
#pragma once

#include <memory>
#include <string>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "core/net/router.hpp"
#include "server/store/scim_store.hpp"

namespace mdmlab::server::scim {

inline constexpr const char* kScimBasePath = "/api/latest/fleet/scim";

// `base_url`: how clients reach us, for meta.location.
void add_scim_routes(net::Router& router, std::string base_url, std::string token,
                     store::ScimStore& store, std::shared_ptr<Clock> clock,
                     metrics::Registry& registry);

}  // namespace mdmlab::server::scim
