// SCEP over HTTP (RFC 8894 section 4): GET/POST `?operation=GetCACaps|GetCACert|PKIOperation`.
// Decodes the HTTP form (base64 `message` for GET, DER body for POST) and encodes the answer;
// everything else is the ScepService's business.
#pragma once

#include <string>
#include <vector>

#include "core/metrics/registry.hpp"
#include "core/net/router.hpp"
#include "server/scep/scep_service.hpp"

namespace mdmlab::server::scep {

// Registers GET and POST on each path. Requests rejected here (unknown operation, bad base64,
// empty message) count as mdmlab_scep_requests_total{operation,result="bad_request"}.
void add_scep_routes(net::Router& router, ScepService& service, metrics::Registry* registry,
                     const std::vector<std::string>& paths = {"/scep", "/cgi-bin/pkiclient.exe"});

}  // namespace mdmlab::server::scep
