// Authenticated ADE (the ADE profile's configuration_web_url): Setup Assistant opens
//   GET /api/mdm/apple/ade/sso            with x-apple-aspen-deviceinfo (base64 of the Mac's
//                                         CMS-signed machine info): 302 to the IdP's sign-in
//                                         (authorization code, PKCE S256, state and nonce kept
//                                         here, single-use, 10 minutes on the server's clock)
//   GET /api/mdm/apple/ade/sso/callback   ?code&state from the IdP: the code is redeemed, the ID
//                                         token checked (server/idp/oidc_client.hpp), the user
//                                         recorded for the device's UDID, and the enrollment
//                                         profile answered (application/x-apple-aspen-config)
// Refusals: no or unverifiable device info 400; an unknown, used or expired state 400; the IdP's
// error (a denied sign-in) or an ID token that does not check 403; the IdP unreachable 502.
// Metrics: mdmlab_ade_sso_total{step,result}.
#pragma once

#include <memory>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "core/net/router.hpp"
#include "server/apple/enrollment_profile_route.hpp"
#include "server/idp/oidc_client.hpp"
#include "server/store/idp_user_store.hpp"

namespace mdmlab::server::apple::ade {

inline constexpr const char* kAdeSsoPath = "/api/mdm/apple/ade/sso";
inline constexpr const char* kAdeSsoCallbackPath = "/api/mdm/apple/ade/sso/callback";

struct AdeSsoConfig {
  std::string redirect_uri;  // our callback, as registered at the IdP
  EnrollmentProfileSettings profile;
};

void add_ade_sso_routes(net::Router& router, AdeSsoConfig config, idp::OidcClient& idp,
                        store::IdpUserStore& users, std::shared_ptr<Clock> clock,
                        metrics::Registry& registry);

}  // namespace mdmlab::server::apple::ade
