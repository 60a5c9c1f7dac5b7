// The server's OpenID Connect relying party (authorization-code flow with PKCE), for sign-in
// pages the server puts in front of enrollment (Apple's authenticated ADE; later Windows end-
// user authentication): discovery from {authority}/v2.0/.well-known/openid-configuration,
// code redemption at the token endpoint (client_secret_post), and ID-token checks — RS256
// against the IdP's JWKS (fetched again once for an unknown kid), iss, aud, exp/nbf on the
// server's clock (5 minutes' skew), nonce. TLS to the IdP trusts `roots` (empty: the system's).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "core/net/http_message.hpp"
#include "crypto/certificate.hpp"
#include "crypto/jwt.hpp"

namespace mdmlab::server::idp {

struct OidcClientConfig {
  std::string authority;  // e.g. https://login.microsoftonline.com/<tenant>
  std::string client_id, client_secret;
  std::vector<crypto::Certificate> roots;
  std::string scope = "openid profile email";
};

struct OidcEndpoints {
  std::string issuer, authorization_endpoint, token_endpoint, jwks_uri;
};

struct SignedInUser {
  std::string subject;   // sub (or oid)
  std::string username;  // preferred_username (the UPN)
  std::string name, tenant;
  nlohmann::json claims;
};

class OidcClient {
 public:
  OidcClient(boost::asio::any_io_executor executor, OidcClientConfig config,
             std::shared_ptr<Clock> clock, metrics::Registry* registry = nullptr);

  // The URL to send the browser to (discovery first, if not done yet).
  boost::asio::awaitable<Result<std::string>> authorize_url(const std::string& redirect_uri,
                                                            const std::string& state,
                                                            const std::string& nonce,
                                                            const std::string& code_challenge);
  // Redeems the code (with the PKCE verifier) and checks the ID token it brings.
  boost::asio::awaitable<Result<SignedInUser>> redeem(const std::string& code,
                                                      const std::string& code_verifier,
                                                      const std::string& redirect_uri,
                                                      const std::string& nonce);
  // An access token the IdP issued to a device for this app (Azure AD join's MDM token, MS-MDE2
  // token type urn:ietf:params:oauth:token-type:jwt): RS256 against the JWKS (fetched again
  // once for an unknown kid), iss https://sts.windows.net/<tid>/ of the IdP's own tenant, aud
  // this app (its client id or api://<client id>), exp/nbf on the server's clock, `scp` listing
  // `scope`, and upn and unique_name present. The user is the upn.
  boost::asio::awaitable<Result<SignedInUser>> verify_access_token(const std::string& token,
                                                                   const std::string& scope);
  const OidcClientConfig& config() const { return config_; }

 private:
  boost::asio::awaitable<Result<OidcEndpoints>> endpoints();
  boost::asio::awaitable<Result<nlohmann::json>> jwks(bool refresh);
  boost::asio::awaitable<Result<net::HttpResponse>> call(const std::string& url,
                                                         const std::string& method,
                                                         std::string body);
  // RS256 against the JWKS, fetched again once when no key verifies (a rotated key).
  boost::asio::awaitable<Result<crypto::VerifiedJwt>> verify_signature(std::string token);
  // exp (required) and nbf on the server's clock, with the allowed skew; `what` names the token.
  Result<void> check_validity(const nlohmann::json& claims, const std::string& what) const;
  Result<SignedInUser> check_id_token(const nlohmann::json& header, const nlohmann::json& claims,
                                      const OidcEndpoints& e, const std::string& nonce) const;
  boost::asio::any_io_executor executor_;
  OidcClientConfig config_;
  std::shared_ptr<Clock> clock_;
  metrics::Family<metrics::Counter>* calls_ = nullptr;
  std::mutex mutex_;
  std::optional<OidcEndpoints> endpoints_;
  std::optional<nlohmann::json> jwks_;
};

}  // namespace mdmlab::server::idp
