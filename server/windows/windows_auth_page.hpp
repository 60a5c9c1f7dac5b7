// Federated Windows enrollment's sign-in (MS-MDE2: the DiscoverResponse's
// AuthenticationServiceUrl, opened by the Web Authentication Broker):
//   GET /api/mdm/microsoft/auth?appru=ms-app://...&login_hint=<UPN>
//       302 to the identity provider's sign-in (authorization code, PKCE S256; state and nonce
//       kept here, single-use, 10 minutes on the server's clock)
//   GET /api/mdm/microsoft/auth/callback?code&state
//       the code redeemed and the ID token checked (server/idp/oidc_client.hpp), then the
//       broker's end page: an HTML form posting `wresult` (an STS token for the signed-in UPN,
//       protocol/windows/sts_token.hpp, signed with the enrollment CA's key) to `appru`.
// The client puts that token, base64, in a DeviceEnrollmentUserToken BinarySecurityToken for
// GetPolicies and RequestSecurityToken (windows_enrollment_routes.hpp checks it).
// Refusals: an appru that is not ms-app://... or no login_hint 400; an unknown, used or expired
// state 400; the IdP's error or an ID token that does not check 403; the IdP unreachable 502.
// Metrics: mdmlab_windows_auth_page_total{step,result}.
#pragma once

#include <chrono>
#include <memory>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "core/net/router.hpp"
#include "crypto/key.hpp"
#include "server/idp/oidc_client.hpp"

namespace mdmlab::server::windows {

inline constexpr const char* kAuthPagePath = "/api/mdm/microsoft/auth";
inline constexpr const char* kAuthCallbackPath = "/api/mdm/microsoft/auth/callback";

struct WindowsAuthPageConfig {
  std::string redirect_uri;  // our callback, as registered at the IdP
  std::chrono::seconds token_lifetime = std::chrono::hours(1);
};

void add_windows_auth_page(net::Router& router, WindowsAuthPageConfig config, idp::OidcClient& idp,
                           const crypto::PrivateKey& signing_key, std::shared_ptr<Clock> clock,
                           metrics::Registry& registry);

}  // namespace mdmlab::server::windows
