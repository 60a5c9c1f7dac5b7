// The Microsoft identity platform v2.0 endpoints of the Entra simulator, per tenant (id or
// domain) as login.microsoftonline.com serves them:
//   GET  /{tenant}/v2.0/.well-known/openid-configuration
//   GET  /{tenant}/discovery/v2.0/keys                    the JWKS (RS256)
//   GET  /{tenant}/oauth2/v2.0/authorize                  the sign-in page (authorization code,
//                                                         PKCE S256 or plain, state, nonce)
//   POST /{tenant}/oauth2/v2.0/authorize                  the page's form: 302 to redirect_uri
//                                                         with code and state, or the page again
//   POST /{tenant}/oauth2/v2.0/token                      authorization_code, refresh_token,
//                                                         client_credentials
// Errors are Entra's: an unknown client or redirect URI is an error page (never a redirect to
// an unregistered URI); OAuth errors after that go back to redirect_uri; the token endpoint
// answers {"error", "error_description": "AADSTS...", ...} with 400 (401 for invalid_client).
#pragma once

#include "core/metrics/registry.hpp"
#include "core/net/router.hpp"
#include "simulators/services/entra/entra_state.hpp"

namespace mdmlab::simulators::entra {

// `base_url`: how clients reach this server (https://host:port), for issuer and endpoints.
net::Router oidc_routes(EntraState& state, std::string base_url, metrics::Registry& registry);

}  // namespace mdmlab::simulators::entra
