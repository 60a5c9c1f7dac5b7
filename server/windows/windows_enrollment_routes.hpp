// Windows enrollment (MS-MDE2), programmatic with an enrollment secret (AuthPolicy OnPremise)
// or federated through the server's sign-in page (windows_auth_page.hpp):
//   GET  /EnrollmentServer/Discovery.svc, /api/mdm/microsoft/discovery   200, empty: the probe
//   POST the same                        Discover -> DiscoverResponse (policy and enroll URLs)
//   POST /api/mdm/microsoft/policy       GetPolicies -> GetPoliciesResponse (XCEP)
//   POST /api/mdm/microsoft/enroll       RequestSecurityToken (WSTEP) with the PKCS#10 request
//        and AdditionalContext -> an RSTRC whose wap-provisioningdoc carries our CA, the issued
//        certificate (CN = DeviceID, clientAuth, SHA-256) and the management URL.
// Discovery answers Federated (with the AuthenticationServiceUrl) when the server has a sign-in
// page and the client lists Federated, OnPremise otherwise. The policy and enroll calls
// authenticate with a wsse:UsernameToken whose password is the server's Windows enrollment
// secret (constant-time compare), or with a DeviceEnrollmentUserToken BinarySecurityToken: the
// base64 of the STS token the sign-in page gave (RS256 under the CA's key, unexpired), or of the
// `urn:ietf:params:oauth:token-type:jwt` access token Azure AD join gets from the IdP for this
// app (`idp`: its JWKS, tenant, audience, scp mdm_delegation, upn and unique_name). The user's
// UPN (the username, or the token's upn) is recorded. Refusals are MS-MDE2 SOAP faults:
// s:MessageFormat (400), s:Authentication (401), s:CertificateRequest (400), s:EnrollmentServer
// (503, the store failed); nothing is stored.
#pragma once

#include <memory>
#include <string>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "core/net/router.hpp"
#include "crypto/ca.hpp"
#include "server/idp/oidc_client.hpp"
#include "server/store/windows_store.hpp"
#include "server/windows/agent_install.hpp"

namespace mdmlab::server::windows {

struct WindowsEnrollmentSettings {
  std::string base_url;           // https://host:port, where the client reaches every endpoint
  std::string enrollment_secret;  // the UsernameToken password
  // Set: Federated enrollment signs in at this page (windows_auth_page.hpp's start URL).
  std::string authentication_service_url;
  std::chrono::seconds certificate_validity = std::chrono::hours(24 * 365);
  // Set: every enrollment queues the agent's MsiInstallJob (agent_install.hpp), with an EUA
  // token signed by the CA's key when the enrollment named a user.
  std::optional<AgentSettings> agent;
};

inline constexpr const char* kManagementPath = "/ManagementServer/MDM.svc";

void add_windows_enrollment_routes(net::Router& router, WindowsEnrollmentSettings settings,
                                   const crypto::CertificateAuthority& ca,
                                   store::WindowsStore& store, std::shared_ptr<Clock> clock,
                                   metrics::Registry& registry, idp::OidcClient* idp = nullptr);

}  // namespace mdmlab::server::windows
