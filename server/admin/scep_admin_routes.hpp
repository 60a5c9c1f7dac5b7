// Admin REST API for SCEP manual approval (JSON, bearer token):
//   GET  /admin/v1/scep/transactions[?status=pending|issued|rejected]
//   POST /admin/v1/scep/transactions/<transaction-id>/approve
//   POST /admin/v1/scep/transactions/<transaction-id>/reject
// The transaction id is percent-encoded in the path (SCEP ids may contain '/', '+', '=').
#pragma once

#include "core/net/router.hpp"
#include "server/scep/scep_authority.hpp"

namespace mdmlab::server::admin {

void add_scep_admin_routes(net::Router& router, scep::ScepAuthority& authority,
                           store::ScepStore& store, const std::string& token);

}  // namespace mdmlab::server::admin
