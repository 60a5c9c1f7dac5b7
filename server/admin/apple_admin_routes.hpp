// Admin REST API for Apple MDM (JSON, bearer token):
//   GET  /admin/v1/apple/devices
//   POST /admin/v1/apple/commands   {"udids": [...], "command": {"RequestType": ..., ...},
//                                    "priority": 0, "command_uuid": optional}
//                                or {"udids": [...], "plist": "<raw command plist>"}
//   GET  /admin/v1/apple/commands/<command-uuid>   per-device status and result plist
// JSON command values map to plist types: string, integer, real, bool, array, object, and
// {"$data": "<base64>"} for <data>.
#pragma once

#include <memory>

#include "core/clock/clock.hpp"
#include "core/net/router.hpp"
#include "server/store/apple_store.hpp"

namespace mdmlab::server::admin {

void add_apple_admin_routes(net::Router& router, store::AppleStore& store, std::shared_ptr<Clock> clock,
                            const std::string& token);

}  // namespace mdmlab::server::admin
