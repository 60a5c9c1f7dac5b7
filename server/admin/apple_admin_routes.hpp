// Admin REST API for Apple MDM (JSON, bearer token). "udids" are enrollment ids (NanoMDM's):
// a device's UDID for its device channel, "UDID:UserID" for a user channel.
//   GET  /admin/v1/apple/devices    enrollments (channel device|user), with push_status
//                                   (none|ok|invalid|error)
//   POST /admin/v1/apple/commands   {"udids": [...], "type": "DeviceLock", "params": {...}}   typed
//                                or {"udids": [...], "command": {"RequestType": ..., ...}}  any
//                                or {"udids": [...], "plist": "<raw command plist>"}        raw
//                                   + "priority": 0, "command_uuid": optional, "no_push": false
//                                   Queues the command, then pushes to those devices.
//   GET  /admin/v1/apple/commands/<command-uuid>   per-device status and result plist
//   POST /admin/v1/apple/push       {"udids": [...]}  push now; per-device outcome
//   DELETE /admin/v1/apple/devices/<udid>/certificate  forget the certificate binding (204)
// POST bodies must be Content-Type application/json (else 415) and strict JSON (json_request.hpp:
// duplicate keys or integers beyond 64 bits are 400); "priority" must fit in int64.
// Typed commands: see protocol/apple/typed_commands.hpp. JSON command values map to plist
// types (protocol/plist/json.hpp), with {"$data": "<base64>"} for <data>.
#pragma once

#include <memory>

#include "core/clock/clock.hpp"
#include "core/net/router.hpp"
#include "server/apple/push/background_push.hpp"
#include "server/store/apple_store.hpp"

namespace mdmlab::server::admin {

void add_apple_admin_routes(net::Router& router, store::AppleStore& store,
                            std::shared_ptr<Clock> clock, const std::string& token,
                            apple::BackgroundPush& push);

}  // namespace mdmlab::server::admin
