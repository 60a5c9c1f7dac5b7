// Admin REST API for ADE (JSON, bearer token), present when the server has a DEP token:
//   GET    /admin/v1/apple/dep                the sync state: phase, profile_uuid, cursor,
//                                             last run / success / error, next run, counters
//   POST   /admin/v1/apple/dep/sync           runs a sync pass now; answers that state after it
//   GET    /admin/v1/apple/dep/devices        devices ABM assigned to this server, as last
//                                             reported, with our assignment's result
//   DELETE /admin/v1/apple/dep/devices/<serial>  removes the ADE profile at ABM (the device's
//                                             result: SUCCESS, NOT_ACCESSIBLE, FAILED)
// A DEP failure is 502 {"error": "<dep code>", "message": ...}; a store failure 503.
#pragma once

#include "core/net/router.hpp"
#include "server/apple/ade/dep_syncer.hpp"
#include "server/store/dep_store.hpp"

namespace mdmlab::server::admin {

void add_dep_admin_routes(net::Router& router, apple::ade::DepSyncer& syncer,
                          store::DepStore& store, const std::string& token);

}  // namespace mdmlab::server::admin
