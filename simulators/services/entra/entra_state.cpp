#include "simulators/services/entra/entra_state.hpp"

#include <algorithm>

#include "crypto/digest.hpp"
#include "crypto/random.hpp"
#include "crypto/secret.hpp"

namespace mdmlab::simulators::entra {

namespace {
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string guid() {
  auto u = crypto::random_uuid();
  return lower(u);
}
std::string opaque_token(const char* prefix) {
  return prefix + base64url_encode(crypto::random_bytes(32));
}
}  // namespace

EntraState::EntraState(std::shared_ptr<Clock> clock, crypto::PrivateKey signing_key)
    : clock_(std::move(clock)), key_(std::move(signing_key)) {
  // The kid is the key's fingerprint, as Entra's kids are stable per key.
  kid_ = crypto::public_key_fingerprint(key_.get()).substr(0, 27);
}

EntraTenant* EntraState::find(const std::string& id_or_domain) {
  for (auto& t : tenants_)
    if (t.id == lower(id_or_domain) || lower(t.domain) == lower(id_or_domain)) return &t;
  return nullptr;
}

const EntraTenant* EntraState::find(const std::string& id_or_domain) const {
  return const_cast<EntraState*>(this)->find(id_or_domain);
}

EntraTenant EntraState::add_tenant(const std::string& domain, const std::string& name,
                                   std::string id) {
  std::lock_guard lock(mutex_);
  if (auto* t = find(id.empty() ? domain : id)) return *t;
  EntraTenant t;
  t.id = id.empty() ? guid() : lower(id);
  t.domain = domain;
  t.name = name;
  tenants_.push_back(t);
  return t;
}

std::optional<EntraTenant> EntraState::tenant(const std::string& id_or_domain) const {
  std::lock_guard lock(mutex_);
  if (const auto* t = find(id_or_domain)) return *t;
  return std::nullopt;
}

std::vector<EntraTenant> EntraState::tenants() const {
  std::lock_guard lock(mutex_);
  return tenants_;
}

std::optional<EntraUser> EntraState::add_user(const std::string& tenant, EntraUser user) {
  std::lock_guard lock(mutex_);
  auto* t = find(tenant);
  if (!t || user.upn.empty()) return std::nullopt;
  for (const auto& u : t->users)
    if (lower(u.upn) == lower(user.upn)) return std::nullopt;
  if (user.id.empty()) user.id = guid();
  if (user.mail.empty()) user.mail = user.upn;
  if (user.display_name.empty())
    user.display_name = (user.given_name + " " + user.surname).size() > 1
                            ? user.given_name + " " + user.surname
                            : user.upn;
  t->users.push_back(user);
  return user;
}

std::optional<EntraApp> EntraState::add_app(const std::string& tenant, EntraApp app) {
  std::lock_guard lock(mutex_);
  auto* t = find(tenant);
  if (!t) return std::nullopt;
  if (app.client_id.empty()) app.client_id = guid();
  if (app.client_secret.empty()) app.client_secret = opaque_token("s~");
  for (const auto& a : t->apps)
    if (a.client_id == app.client_id) return std::nullopt;
  t->apps.push_back(app);
  return app;
}

bool EntraState::add_redirect_uri(const std::string& tenant, const std::string& client_id,
                                  const std::string& uri) {
  std::lock_guard lock(mutex_);
  auto* t = find(tenant);
  if (!t) return false;
  for (auto& a : t->apps)
    if (a.client_id == client_id) {
      if (std::find(a.redirect_uris.begin(), a.redirect_uris.end(), uri) == a.redirect_uris.end())
        a.redirect_uris.push_back(uri);
      return true;
    }
  return false;
}

std::optional<EntraUser> EntraState::sign_in(const std::string& tenant, const std::string& upn,
                                             const std::string& password) const {
  std::lock_guard lock(mutex_);
  const auto* t = find(tenant);
  if (!t) return std::nullopt;
  for (const auto& u : t->users)
    if (lower(u.upn) == lower(upn))
      return u.enabled && crypto::constant_time_equals(u.password, password)
                 ? std::optional<EntraUser>(u)
                 : std::nullopt;
  return std::nullopt;
}

std::optional<EntraUser> EntraState::user(const std::string& tenant, const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto* t = find(tenant);
  if (!t) return std::nullopt;
  for (const auto& u : t->users)
    if (u.id == id) return u;
  return std::nullopt;
}

std::optional<EntraApp> EntraState::app(const std::string& tenant,
                                        const std::string& client_id) const {
  std::lock_guard lock(mutex_);
  const auto* t = find(tenant);
  if (!t) return std::nullopt;
  for (const auto& a : t->apps)
    if (a.client_id == client_id) return a;
  return std::nullopt;
}

std::optional<EntraApp> EntraState::authenticate_client(const std::string& tenant,
                                                        const std::string& client_id,
                                                        const std::string& secret) const {
  auto a = app(tenant, client_id);
  if (!a || !crypto::constant_time_equals(a->client_secret, secret)) return std::nullopt;
  return a;
}

std::string EntraState::issue_code(AuthorizationCode code) {
  auto value = opaque_token("0.A");
  std::lock_guard lock(mutex_);
  codes_[value] = std::move(code);
  return value;
}

std::optional<AuthorizationCode> EntraState::redeem_code(const std::string& code) {
  std::lock_guard lock(mutex_);
  auto it = codes_.find(code);
  if (it == codes_.end()) return std::nullopt;
  auto grant = std::move(it->second);
  codes_.erase(it);  // single-use, whatever comes next
  if (clock_->now() >= grant.expires) return std::nullopt;
  return grant;
}

std::string EntraState::issue_refresh_token(RefreshGrant grant) {
  auto value = opaque_token("1.A");
  std::lock_guard lock(mutex_);
  refresh_[value] = std::move(grant);
  return value;
}

std::optional<RefreshGrant> EntraState::redeem_refresh_token(const std::string& token) {
  std::lock_guard lock(mutex_);
  auto it = refresh_.find(token);
  if (it == refresh_.end()) return std::nullopt;
  auto grant = std::move(it->second);
  refresh_.erase(it);
  return grant;
}

void EntraState::add_token_fault(TokenFault f) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(f));
}

std::optional<TokenFault> EntraState::take_token_fault() {
  std::lock_guard lock(mutex_);
  if (faults_.empty()) return std::nullopt;
  auto f = faults_.front();
  if (--faults_.front().count <= 0) faults_.pop_front();
  return f;
}

}  // namespace mdmlab::simulators::entra
