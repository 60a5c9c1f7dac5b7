// Apple MDM over HTTP: PUT check-ins (application/x-apple-aspen-mdm-checkin) and command
// reports (application/x-apple-aspen-mdm) at /mdm/apple/mdm (both, by Content-Type),
// /mdm/checkin and /mdm/connect. Identity: the TLS client certificate, or the `Mdm-Signature`
// header (base64 detached CMS over the body) when the profile sets SignMessage.
#pragma once

#include "core/metrics/registry.hpp"
#include "core/net/router.hpp"
#include "server/apple/mdm_service.hpp"

namespace mdmlab::server::apple {

void add_mdm_routes(net::Router& router, MdmService& service, metrics::Registry* registry);

// The identity of a request: the TLS client certificate, else a valid Mdm-Signature signer.
std::optional<crypto::Certificate> request_identity(const net::HttpRequest& req);

}  // namespace mdmlab::server::apple
