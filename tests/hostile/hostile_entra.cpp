// The Entra simulator as a hostile-input target (HostileServer::prepare_entra): the tenant and
// app the server signs in with (SsoIdp), a second app, a user and a disabled one, authorization
// codes issued for the cases that redeem one (PKCE S256 of one verifier, a day to live, so the
// run's length does not matter), and a code and a refresh token each used once through the token
// endpoint. Entra cases go over TLS to its identity platform (entra_tls) or over plain HTTP to
// its control API (entra_http); what they must not change is entra_snapshot().
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "protocol/entra/oauth_form.hpp"
#include "tests/hostile/generator.hpp"
#include "tests/hostile/hostile_fixture.hpp"

namespace mdmlab::testing::hostile {
using nlohmann::json;
namespace {
constexpr int kTimeoutMs = 10000;
constexpr int kFreshCodes = 40;
}  // namespace

Answer HostileServer::entra_call(const std::string& method, const std::string& target,
                                 const net::Headers& headers, const std::string& body) {
  Case c;
  c.channel = Channel::entra_tls;
  c.raw = raw_request(method, target, headers, body);
  return send(c);
}

void HostileServer::prepare_entra() {
  auto& e = materials_.entra;
  auto& state = entra->state();
  e.tenant = tenant;
  e.domain = "contoso.example";
  e.client_id = client_id;
  e.client_secret = SsoIdp::settings.client_secret;
  e.redirect_uri = server->ade_sso_redirect_uri();
  auto other = state.add_app(tenant, {});
  BOOST_REQUIRE(other.has_value());
  e.other_client_id = other->client_id;
  e.other_client_secret = other->client_secret;
  e.user = "hostile.user@contoso.example";
  e.password = "Hostile-Passw0rd!";
  simulators::entra::EntraUser u;
  u.upn = e.user;
  u.password = e.password;
  auto user = state.add_user(tenant, u);
  BOOST_REQUIRE(user.has_value());
  u.upn = "hostile.disabled@contoso.example";
  u.enabled = false;
  BOOST_REQUIRE(state.add_user(tenant, u).has_value());
  e.verifier = "hostile-verifier-" + std::string(40, 'v') + "~._-0123456789";
  const auto expires = state.clock()->now() + std::chrono::hours(24);
  auto code = [&] {
    return state.issue_code({tenant, client_id, e.redirect_uri, user->id,
                             "openid profile offline_access", "hostile-nonce",
                             entra::pkce_s256(e.verifier), "S256", expires});
  };
  for (int i = 0; i < kFreshCodes; ++i) e.fresh_codes.push_back(code());

  // A code redeemed (the answer carries a refresh token), that refresh token rotated away.
  const net::Headers form{{"Content-Type", "application/x-www-form-urlencoded"}};
  const auto token_path = "/" + tenant + "/oauth2/v2.0/token";
  e.used_code = code();
  auto redeemed = entra_call("POST", token_path, form,
                             entra::encode_form({{"grant_type", "authorization_code"},
                                                 {"client_id", client_id},
                                                 {"client_secret", e.client_secret},
                                                 {"code", e.used_code},
                                                 {"redirect_uri", e.redirect_uri},
                                                 {"code_verifier", e.verifier}}));
  BOOST_REQUIRE_MESSAGE(redeemed.status == 200, "code redemption at Entra -> "
                                                    << redeemed.status << " " << redeemed.body
                                                    << redeemed.error);
  e.used_refresh_token = json::parse(redeemed.body).at("refresh_token").get<std::string>();
  auto refreshed = entra_call("POST", token_path, form,
                              entra::encode_form({{"grant_type", "refresh_token"},
                                                  {"client_id", client_id},
                                                  {"client_secret", e.client_secret},
                                                  {"refresh_token", e.used_refresh_token}}));
  BOOST_REQUIRE_MESSAGE(refreshed.status == 200, "refresh at Entra -> " << refreshed.status);
  entra_probe_ =
      raw_request("POST", token_path, form,
                  entra::encode_form({{"grant_type", "client_credentials"},
                                      {"client_id", client_id},
                                      {"client_secret", e.client_secret},
                                      {"scope", "https://graph.microsoft.com/.default"}}));
  BOOST_REQUIRE(entra_healthy());
  BOOST_REQUIRE(entra_snapshot()["token endpoint"] == "200");
}

Snapshot HostileServer::entra_snapshot() {
  Snapshot s;
  json tenants = json::array();
  for (const auto& t : entra->state().tenants()) {
    json users = json::array(), apps = json::array();
    for (const auto& u : t.users)
      users.push_back({u.id, u.upn, u.display_name, u.mail, u.password, u.enabled});
    for (const auto& a : t.apps)
      apps.push_back({a.client_id, a.client_secret, a.name, a.redirect_uris});
    tenants.push_back({t.id, t.domain, t.name, users, apps});
  }
  s["tenants"] = tenants.dump(-1, ' ', false, json::error_handler_t::replace);
  // A token fault a case queued answers this (and is used up by it).
  Case probe;
  probe.channel = Channel::entra_tls;
  probe.raw = entra_probe_;
  s["token endpoint"] = std::to_string(send(probe).status);
  return s;
}

bool HostileServer::entra_healthy() {
  auto control = raw_roundtrip(net::Url::parse(entra->control_url()).value().port,
                               raw_request("GET", "/control/v1/tenants", {}, ""), kTimeoutMs);
  if (control.status != 200) return false;
  return entra_call("GET", "/" + tenant + "/v2.0/.well-known/openid-configuration", {}, "")
             .status == 200;
}

}  // namespace mdmlab::testing::hostile
