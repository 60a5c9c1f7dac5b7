// Admin REST API for Declarative Device Management (JSON, bearer token), KMFDDM's model:
//   PUT    /admin/v1/apple/ddm/declarations               a declaration {Type, Identifier,
//                                                         Payload}; the server sets its
//                                                         ServerToken from the content
//   GET    /admin/v1/apple/ddm/declarations               every declaration
//   DELETE /admin/v1/apple/ddm/declarations/<id>
//   PUT    /admin/v1/apple/ddm/sets/<set>/declarations/<id>     add to a set (DELETE: remove)
//   PUT    /admin/v1/apple/ddm/enrollments/<enrollment>/sets/<set>  assign (DELETE: unassign)
//   GET    /admin/v1/apple/ddm/enrollments/<enrollment>/declarations  what it is given
//   GET    /admin/v1/apple/ddm/enrollments/<enrollment>/status  what it last reported, per
//                                                         declaration, and its reports' Errors
// A change that alters what enrollments get queues DeclarativeManagement for them and pushes
// (?notify=false: it does not). 400 for a bad declaration or name, 404 for an unknown one,
// 503 when the store fails.
#pragma once

#include "core/net/router.hpp"
#include "server/apple/ddm/ddm_service.hpp"
#include "server/store/ddm_store.hpp"

namespace mdmlab::server::admin {

void add_ddm_admin_routes(net::Router& router, apple::ddm::DdmService& ddm, store::DdmStore& store,
                          const std::string& token);

}  // namespace mdmlab::server::admin
