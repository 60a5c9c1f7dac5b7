// The Entra ID simulator's one tenant model (DESIGN.md: one Microsoft simulator, a room per
// concern): tenants with users and app registrations, authorization codes (single-use, 10
// minutes, bound to client, redirect URI and PKCE challenge), refresh tokens, the RS256 signing
// key behind the JWKS, and scenario faults for the token endpoint. Thread-safe.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock/clock.hpp"
#include "crypto/key.hpp"

namespace mdmlab::simulators::entra {

struct EntraUser {
  std::string id;  // object id (GUID)
  std::string upn, display_name, given_name, surname, mail, password;
  bool enabled = true;
};

struct EntraApp {
  std::string client_id, client_secret, name;
  std::vector<std::string> redirect_uris;
};

struct EntraTenant {
  std::string id;  // tenant id (GUID)
  std::string domain, name;
  std::vector<EntraUser> users;
  std::vector<EntraApp> apps;
};

struct AuthorizationCode {
  std::string tenant_id, client_id, redirect_uri, user_id, scope, nonce;
  std::string code_challenge, code_challenge_method;
  TimePoint expires{};
};

struct RefreshGrant {
  std::string tenant_id, client_id, user_id, scope;
};

struct TokenFault {
  int status = 500;
  std::string error = "temporarily_unavailable";
  int retry_after = 0;
  int count = 1;
};

class EntraState {
 public:
  EntraState(std::shared_ptr<Clock> clock, crypto::PrivateKey signing_key);

  // A tenant (a new GUID when `id` is empty); the existing one when the id or domain is known.
  EntraTenant add_tenant(const std::string& domain, const std::string& name, std::string id = {});
  // By id or domain.
  std::optional<EntraTenant> tenant(const std::string& id_or_domain) const;
  std::vector<EntraTenant> tenants() const;
  // A user (id made when empty); false if the tenant is unknown or the UPN is taken.
  std::optional<EntraUser> add_user(const std::string& tenant, EntraUser user);
  std::optional<EntraApp> add_app(const std::string& tenant, EntraApp app);
  // Registers one more redirect URI with an app; false if tenant or app is unknown.
  bool add_redirect_uri(const std::string& tenant, const std::string& client_id,
                        const std::string& uri);
  // The user if the password matches (constant time) and the account is enabled.
  std::optional<EntraUser> sign_in(const std::string& tenant, const std::string& upn,
                                   const std::string& password) const;
  std::optional<EntraUser> user(const std::string& tenant, const std::string& id) const;
  std::optional<EntraApp> app(const std::string& tenant, const std::string& client_id) const;
  // The app if the secret matches (constant time).
  std::optional<EntraApp> authenticate_client(const std::string& tenant,
                                              const std::string& client_id,
                                              const std::string& secret) const;

  std::string issue_code(AuthorizationCode code);
  // The code's grant, once: a second redemption, or one after expiry, finds nothing.
  std::optional<AuthorizationCode> redeem_code(const std::string& code);
  std::string issue_refresh_token(RefreshGrant grant);
  // Refresh tokens rotate: the old one stops working when it is used.
  std::optional<RefreshGrant> redeem_refresh_token(const std::string& token);

  void add_token_fault(TokenFault f);
  std::optional<TokenFault> take_token_fault();

  const crypto::PrivateKey& signing_key() const { return key_; }
  const std::string& key_id() const { return kid_; }
  std::shared_ptr<Clock> clock() const { return clock_; }

 private:
  EntraTenant* find(const std::string& id_or_domain);
  const EntraTenant* find(const std::string& id_or_domain) const;
  mutable std::mutex mutex_;
  std::shared_ptr<Clock> clock_;
  crypto::PrivateKey key_;
  std::string kid_;
  std::vector<EntraTenant> tenants_;
  std::map<std::string, AuthorizationCode> codes_;
  std::map<std::string, RefreshGrant> refresh_;
  std::deque<TokenFault> faults_;
};

}  // namespace mdmlab::simulators::entra
