#include "simulators/services/entra/entra_oidc_routes.hpp"

#include "simulators/services/entra/access_token.hpp"

#include <nlohmann/json.hpp>

#include "common/markup.hpp"
#include "common/time.hpp"
#include "core/net/media_type.hpp"
#include "crypto/jwt.hpp"
#include "protocol/entra/oauth_form.hpp"

namespace mdmlab::simulators::entra {
namespace asio = boost::asio;
using mdmlab::entra::FormParams;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;

namespace {
constexpr auto kCodeLifetime = std::chrono::minutes(10);
constexpr auto kTokenLifetime = std::chrono::seconds(3599);

struct Context {
  EntraState& state;
  std::string base;
  metrics::Family<metrics::Counter>& tokens;
};

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 1;
  while (i <= path.size()) {
    auto j = path.find('/', i);
    out.push_back(path.substr(i, j == std::string::npos ? std::string::npos : j - i));
    if (j == std::string::npos) break;
    i = j + 1;
  }
  return out;
}

std::int64_t seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

HttpResponse token_error(Context& c, int status, const std::string& error, int aadsts,
                         const std::string& description) {
  c.tokens.with({error}).inc();
  auto body =
      mdmlab::entra::oauth_error(error, aadsts, description, rfc3339_utc(c.state.clock()->now()));
  auto r = HttpResponse::json(status, body.dump());
  r.set_header("Cache-Control", "no-store");
  return r;
}

HttpResponse error_page(int status, const std::string& message) {
  return HttpResponse::text(status,
                            "<!DOCTYPE html><html><body><h1>Sign in</h1><p id=\"error\">" +
                                markup_escape(message) + "</p></body></html>",
                            "text/html; charset=utf-8");
}

std::string issuer(const Context& c, const EntraTenant& t) {
  return c.base + "/" + t.id + "/v2.0";
}

json discovery(const Context& c, const EntraTenant& t, const std::string& tenant_segment) {
  const auto root = c.base + "/" + tenant_segment;
  return {{"issuer", issuer(c, t)},
          {"authorization_endpoint", root + "/oauth2/v2.0/authorize"},
          {"token_endpoint", root + "/oauth2/v2.0/token"},
          {"jwks_uri", root + "/discovery/v2.0/keys"},
          {"response_types_supported", {"code", "id_token", "code id_token"}},
          {"response_modes_supported", {"query", "form_post"}},
          {"subject_types_supported", {"pairwise"}},
          {"id_token_signing_alg_values_supported", {"RS256"}},
          {"token_endpoint_auth_methods_supported", {"client_secret_post", "client_secret_basic"}},
          {"code_challenge_methods_supported", {"plain", "S256"}},
          {"scopes_supported", {"openid", "profile", "email", "offline_access"}},
          {"claims_supported",
           {"sub", "iss", "aud", "exp", "iat", "nbf", "name", "preferred_username", "oid", "tid",
            "nonce", "email"}},
          {"tenant_region_scope", "NA"},
          {"cloud_instance_name", "microsoftonline.com"}};
}

// The sign-in page: the authorize request's parameters as hidden fields, a username and a
// password, posted back to the same URL.
HttpResponse sign_in_page(const std::string& action, const FormParams& params,
                          const std::string& error) {
  std::string fields;
  for (const auto& [k, v] : params)
    if (k != "login" && k != "passwd")
      fields += "<input type=\"hidden\" name=\"" + markup_escape(k) + "\" value=\"" +
                markup_escape(v) + "\">";
  std::string page =
      "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>"
      "<h1>Sign in</h1>" +
      (error.empty() ? std::string() : "<p id=\"error\">" + markup_escape(error) + "</p>") +
      "<form method=\"post\" action=\"" + markup_escape(action) + "\" id=\"credentials\">" +
      fields +
      "<input type=\"email\" name=\"login\"><input type=\"password\" name=\"passwd\">"
      "<input type=\"submit\" value=\"Sign in\"></form></body></html>";
  return HttpResponse::text(200, page, "text/html; charset=utf-8");
}

std::string with_query(const std::string& uri, const FormParams& params) {
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") +
         mdmlab::entra::encode_form(params);
}

HttpResponse redirect(const std::string& location) {
  HttpResponse r;
  r.status = 302;
  r.set_header("Location", location);
  return r;
}

// GET shows the page; POST (the page's form) signs in. Client and redirect URI are checked
// first: an error there is shown, never sent to an unregistered URI.
HttpResponse authorize(Context& c, const EntraTenant& t, const std::string& action,
                       const FormParams& p, bool posted) {
  auto get = [&](const char* k) {
    auto it = p.find(k);
    return it == p.end() ? std::string() : it->second;
  };
  const auto client_id = get("client_id");
  auto app = c.state.app(t.id, client_id);
  if (!app)
    return error_page(400, "AADSTS700016: Application with identifier '" + client_id +
                               "' was not found in the directory '" + t.domain + "'.");
  const auto redirect_uri = get("redirect_uri");
  if (std::find(app->redirect_uris.begin(), app->redirect_uris.end(), redirect_uri) ==
      app->redirect_uris.end())
    return error_page(400, "AADSTS50011: The redirect URI '" + redirect_uri +
                               "' specified in the request does not match the redirect URIs "
                               "configured for the application.");
  const auto state = get("state");
  auto fail = [&](const std::string& error, const std::string& description) {
    FormParams q{{"error", error}, {"error_description", description}};
    if (!state.empty()) q["state"] = state;
    return redirect(with_query(redirect_uri, q));
  };
  if (get("response_type") != "code")
    return fail("unsupported_response_type", "AADSTS700054: response_type must be code.");
  const auto method = get("code_challenge_method");
  if (!get("code_challenge").empty() && method != "S256" && method != "plain" && !method.empty())
    return fail("invalid_request", "AADSTS501491: Invalid code_challenge_method.");
  if (!posted) return sign_in_page(action, p, {});
  auto user = c.state.sign_in(t.id, get("login"), get("passwd"));
  if (!user)
    return sign_in_page(action, p,
                        "AADSTS50126: Error validating credentials due to invalid username or "
                        "password.");
  AuthorizationCode code{t.id,
                         app->client_id,
                         redirect_uri,
                         user->id,
                         get("scope"),
                         get("nonce"),
                         get("code_challenge"),
                         method.empty() ? "plain" : method,
                         c.state.clock()->now() + kCodeLifetime};
  FormParams q{{"code", c.state.issue_code(std::move(code))}};
  if (!state.empty()) q["state"] = state;
  return redirect(with_query(redirect_uri, q));
}

json token_response(Context& c, const EntraTenant& t, const EntraApp& app,
                    const std::optional<EntraUser>& user, const std::string& scope,
                    const std::string& nonce, bool client_info) {
  const auto now = c.state.clock()->now();
  const auto exp = now + kTokenLifetime;
  const auto* who = user ? &*user : nullptr;
  json access = access_token_claims(t, app.client_id, who, scope, now, exp);
  json out{{"token_type", "Bearer"},
           {"expires_in", kTokenLifetime.count()},
           {"ext_expires_in", kTokenLifetime.count()},
           {"scope", scope},
           {"access_token",
            crypto::sign_rs256(access, c.state.signing_key(), c.state.key_id()).value()}};
  if (user && scope.find("openid") != std::string::npos) {
    json id{{"aud", app.client_id},
            {"iss", issuer(c, t)},
            {"iat", seconds(now)},
            {"nbf", seconds(now)},
            {"exp", seconds(exp)},
            {"sub", user->id},
            {"oid", user->id},
            {"tid", t.id},
            {"preferred_username", user->upn},
            {"name", user->display_name},
            {"email", user->mail},
            {"ver", "2.0"}};
    if (!nonce.empty()) id["nonce"] = nonce;
    out["id_token"] = crypto::sign_rs256(id, c.state.signing_key(), c.state.key_id()).value();
  }
  if (user && scope.find("offline_access") != std::string::npos)
    out["refresh_token"] = c.state.issue_refresh_token({t.id, app.client_id, user->id, scope});
  if (user && client_info)
    out["client_info"] = base64url_encode(to_bytes(json{{"uid", user->id}, {"utid", t.id}}.dump()));
  return out;
}

HttpResponse token(Context& c, const EntraTenant& t, const HttpRequest& req) {
  if (auto fault = c.state.take_token_fault()) {
    auto r = token_error(c, fault->status, fault->error, 50000 + fault->status,
                         "a fault the scenario asked for");
    if (fault->retry_after > 0) r.set_header("Retry-After", std::to_string(fault->retry_after));
    return r;
  }
  auto type = req.header("Content-Type");
  if (!net::media_type_is(type, "application/x-www-form-urlencoded"))
    return token_error(c, 400, "invalid_request", 900144,
                       "The request body must be application/x-www-form-urlencoded.");
  auto r = mdmlab::entra::parse_token_request(req.body, req.header("Authorization"));
  if (!r) {
    if (r.error().code == "unsupported_grant_type")
      return token_error(c, 400, "unsupported_grant_type", 70003,
                         "The app requested an unsupported grant type.");
    return token_error(c, 400, "invalid_request", 900144, r.error().message);
  }
  auto app = c.state.authenticate_client(t.id, r->client_id, r->client_secret);
  if (!app)
    return token_error(c, 401, "invalid_client", 7000215,
                       "Invalid client secret provided. Ensure the secret being sent in the "
                       "request is the client secret value, not the client secret ID.");
  std::optional<EntraUser> user;
  std::string scope = r->scope, nonce;
  if (r->grant_type == "client_credentials") {
    if (!scope.ends_with("/.default"))
      return token_error(c, 400, "invalid_scope", 1002012,
                         "The provided value for scope is not valid. Client credential flows "
                         "must have a scope value with /.default suffixed to the resource "
                         "identifier.");
  } else if (r->grant_type == "authorization_code") {
    auto code = c.state.redeem_code(r->code);
    if (!code || code->tenant_id != t.id || code->client_id != app->client_id)
      return token_error(c, 400, "invalid_grant", 54005,
                         "OAuth2 Authorization code was already redeemed, please retry with a "
                         "new valid code or use an existing refresh token.");
    if (code->redirect_uri != r->redirect_uri)
      return token_error(c, 400, "invalid_grant", 500112,
                         "The reply address does not match the reply address used to get the "
                         "authorization code.");
    if (!code->code_challenge.empty() &&
        !mdmlab::entra::pkce_matches(r->code_verifier, code->code_challenge,
                                     code->code_challenge_method))
      return token_error(c, 400, "invalid_grant", 501481,
                         "The Code_Verifier does not match the code_challenge supplied in the "
                         "authorization request.");
    user = c.state.user(t.id, code->user_id);
    scope = code->scope;
    nonce = code->nonce;
  } else {  // refresh_token
    auto grant = c.state.redeem_refresh_token(r->refresh_token);
    if (!grant || grant->tenant_id != t.id || grant->client_id != app->client_id)
      return token_error(c, 400, "invalid_grant", 9002313, "Invalid refresh token.");
    user = c.state.user(t.id, grant->user_id);
    scope = grant->scope;
  }
  if (r->grant_type != "client_credentials" && (!user || !user->enabled))
    return token_error(c, 400, "invalid_grant", 50057, "The user account is disabled.");
  c.tokens.with({r->grant_type}).inc();
  auto res = HttpResponse::json(
      200, token_response(c, t, *app, user, scope, nonce, r->wants_client_info).dump());
  res.set_header("Cache-Control", "no-store");
  return res;
}
}  // namespace

net::Router oidc_routes(EntraState& state, std::string base_url, metrics::Registry& registry) {
  auto c = std::make_shared<Context>(
      Context{state, std::move(base_url),
              registry.counter("mdmlab_entra_sim_tokens_total",
                               "Token endpoint answers: the grant type issued, or the OAuth error",
                               {"result"})});
  auto handler = [c](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    const auto path = req.path();
    auto parts = segments(path);
    if (parts.empty()) co_return error_page(404, "AADSTS90002: no tenant in the URL.");
    auto tenant = c->state.tenant(parts[0]);
    if (!tenant) co_return error_page(400, "AADSTS90002: Tenant '" + parts[0] + "' not found.");
    const auto rest = path.substr(1 + parts[0].size());
    if (req.method == "GET" && rest == "/v2.0/.well-known/openid-configuration")
      co_return HttpResponse::json(200, discovery(*c, *tenant, parts[0]).dump());
    if (req.method == "GET" && rest == "/discovery/v2.0/keys") {
      json jwks{{"keys", {crypto::rsa_public_jwk(c->state.signing_key(), c->state.key_id())}}};
      co_return HttpResponse::json(200, jwks.dump());
    }
    if (rest == "/oauth2/v2.0/authorize" && (req.method == "GET" || req.method == "POST")) {
      const bool posted = req.method == "POST";
      if (posted &&
          !net::media_type_is(req.header("Content-Type"), "application/x-www-form-urlencoded"))
        co_return error_page(415, "the sign-in form is application/x-www-form-urlencoded");
      auto params = mdmlab::entra::parse_form(posted ? std::string_view(req.body)
                                                     : std::string_view(req.query()));
      if (!params) co_return error_page(400, "AADSTS900144: " + params.error().message);
      co_return authorize(*c, *tenant, path, *params, posted);
    }
    if (rest == "/oauth2/v2.0/token" && req.method == "POST") co_return token(*c, *tenant, req);
    co_return error_page(404, "no such endpoint");
  };
  net::Router r;
  r.add("GET", "/*", handler);
  r.add("POST", "/*", handler);
  return r;
}

}  // namespace mdmlab::simulators::entra
