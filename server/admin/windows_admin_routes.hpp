// The admin API's Windows part (bearer token, like the rest):
//   GET  /admin/v1/windows/devices          the enrollments: device_id, upn, enrollment_type,
//                                            state (enrolled, unenrolled), model, os_version...
//   POST /admin/v1/windows/commands         {"device_id", "verb": Get|Replace|Add|Delete|Exec,
//                                            "target", "format", "type", "data"} or
//                                            {"device_id", "syncml": "<Replace>...</Replace>"}
//                                            (any command element, Atomic and Sequence too);
//                                            201 {"command_uuid"}; 404 for an unknown device
//   GET  /admin/v1/windows/commands/<uuid>  {"status": "" queued | "sent" | the device's code,
//                                            "results": [{"source", "format", "type", "data"}]}
//   PUT  /admin/v1/idp/accounts             {"email", "first_name", "last_name"}: an IdP
//                                            account with names (what an IdP import does)
// A device also shows its agent: "host_uuid" (seed 001's link) and "idp_account" {email,
// first_name, last_name} of that host, and "scim_user" {id, user_name, given_name, family_name,
// active} when the IdP provisioned that user over SCIM (server/scim/scim_routes.hpp).
#pragma once

#include <memory>
#include <string>

#include "core/clock/clock.hpp"
#include "core/net/router.hpp"
#include "server/store/agent_store.hpp"
#include "server/store/scim_store.hpp"
#include "server/store/windows_store.hpp"

namespace mdmlab::server::admin {

void add_windows_admin_routes(net::Router& router, store::WindowsStore& store,
                              store::AgentStore& agents, store::ScimStore& scim,
                              std::shared_ptr<Clock> clock, const std::string& token);

}  // namespace mdmlab::server::admin
