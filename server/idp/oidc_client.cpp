#include "server/idp/oidc_client.hpp"

#include "core/net/http_client.hpp"
#include "crypto/jwt.hpp"
#include "protocol/entra/oauth_form.hpp"
#include "protocol/json/strict_json.hpp"

namespace mdmlab::server::idp {
namespace asio = boost::asio;
using nlohmann::json;

namespace {
constexpr std::int64_t kSkewSeconds = 300;
// Codes: idp_unreachable (transport), idp_refused (an HTTP error), idp_bad_answer (not the
// documents OIDC promises), idp_token (an ID token that does not check).
Error idp_error(std::string why) {
  return make_error("idp_bad_answer", std::move(why));
}
Error unreachable(std::string why) {
  return make_error("idp_unreachable", std::move(why));
}
Error token_error(std::string why) {
  return make_error("idp_token", std::move(why));
}

std::string outcome(const Result<net::HttpResponse>& res) {
  return !res ? "unreachable" : res->status == 200 ? "ok" : "refused";
}

std::string text(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}
}  // namespace

OidcClient::OidcClient(asio::any_io_executor executor, OidcClientConfig config,
                       std::shared_ptr<Clock> clock, metrics::Registry* registry)
    : executor_(std::move(executor)), config_(std::move(config)), clock_(std::move(clock)) {
  if (registry)
    calls_ = &registry->counter("mdmlab_idp_requests_total",
                                "Calls to the identity provider by operation and result",
                                {"operation", "result"});
}

asio::awaitable<Result<net::HttpResponse>> OidcClient::call(const std::string& url,
                                                            const std::string& method,
                                                            std::string body) {
  auto parsed = net::Url::parse(url);
  if (!parsed) co_return parsed.error();
  net::HttpClientOptions options;
  net::TlsClientConfig tls;
  tls.trusted_roots = config_.roots;
  options.tls = tls;
  options.timeout = std::chrono::seconds(15);
  net::HttpClient http(executor_, parsed->origin(), options);
  net::HttpRequest req;
  req.method = method;
  req.target = parsed->target;
  if (!body.empty()) {
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    req.body = std::move(body);
  }
  auto res = co_await http.send(std::move(req));
  co_return res;
}

asio::awaitable<Result<OidcEndpoints>> OidcClient::endpoints() {
  {
    std::lock_guard lock(mutex_);
    if (endpoints_) co_return *endpoints_;
  }
  auto res = co_await call(config_.authority + "/v2.0/.well-known/openid-configuration", "GET", {});
  if (calls_) calls_->with({"discovery", outcome(res)}).inc();
  if (!res) co_return unreachable("OpenID configuration: " + res.error().message);
  if (res->status != 200)
    co_return idp_error("OpenID configuration answered " + std::to_string(res->status));
  auto doc = parse_strict_json(res->body);
  if (!doc || !doc->is_object()) co_return idp_error("OpenID configuration is not JSON");
  OidcEndpoints e{text(*doc, "issuer"), text(*doc, "authorization_endpoint"),
                  text(*doc, "token_endpoint"), text(*doc, "jwks_uri")};
  if (e.issuer.empty() || e.authorization_endpoint.empty() || e.token_endpoint.empty() ||
      e.jwks_uri.empty())
    co_return idp_error("OpenID configuration lacks issuer or an endpoint");
  std::lock_guard lock(mutex_);
  endpoints_ = e;
  co_return e;
}

asio::awaitable<Result<json>> OidcClient::jwks(bool refresh) {
  {
    std::lock_guard lock(mutex_);
    if (jwks_ && !refresh) co_return *jwks_;
  }
  auto e = co_await endpoints();
  if (!e) co_return e.error();
  auto res = co_await call(e->jwks_uri, "GET", {});
  if (calls_) calls_->with({"jwks", outcome(res)}).inc();
  if (!res) co_return unreachable("JWKS: " + res.error().message);
  if (res->status != 200) co_return idp_error("JWKS answered " + std::to_string(res->status));
  auto doc = parse_strict_json(res->body);
  if (!doc || !doc->is_object() || !doc->contains("keys")) co_return idp_error("JWKS is not JSON");
  std::lock_guard lock(mutex_);
  jwks_ = *doc;
  co_return *doc;
}

asio::awaitable<Result<std::string>> OidcClient::authorize_url(const std::string& redirect_uri,
                                                               const std::string& state,
                                                               const std::string& nonce,
                                                               const std::string& code_challenge) {
  auto e = co_await endpoints();
  if (!e) co_return e.error();
  entra::FormParams q{{"client_id", config_.client_id},
                      {"response_type", "code"},
                      {"redirect_uri", redirect_uri},
                      {"response_mode", "query"},
                      {"scope", config_.scope},
                      {"state", state},
                      {"nonce", nonce},
                      {"code_challenge", code_challenge},
                      {"code_challenge_method", "S256"}};
  const auto& base = e->authorization_endpoint;
  co_return base + (base.find('?') == std::string::npos ? "?" : "&") + entra::encode_form(q);
}

Result<void> OidcClient::check_validity(const json& claims, const std::string& what) const {
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_->now().time_since_epoch()).count();
  if (!claims.contains("exp") || !claims["exp"].is_number_integer() ||
      claims["exp"].get<std::int64_t>() + kSkewSeconds < now)
    return token_error("the " + what + " has expired");
  if (claims.contains("nbf") && claims["nbf"].is_number_integer() &&
      claims["nbf"].get<std::int64_t>() - kSkewSeconds > now)
    return token_error("the " + what + " is not valid yet");
  return success();
}

asio::awaitable<Result<crypto::VerifiedJwt>> OidcClient::verify_signature(std::string token) {
  auto keys = co_await jwks(false);
  if (!keys) co_return keys.error();
  auto verified = crypto::verify_rs256(token, *keys);
  if (!verified) {  // a rotated key: fetch the JWKS once more
    auto fresh = co_await jwks(true);
    if (!fresh) co_return fresh.error();
    verified = crypto::verify_rs256(token, *fresh);
  }
  if (!verified) co_return token_error(verified.error().message);
  co_return std::move(*verified);
}

Result<SignedInUser> OidcClient::check_id_token(const json&, const json& claims,
                                                const OidcEndpoints& e,
                                                const std::string& nonce) const {
  if (text(claims, "iss") != e.issuer) return token_error("the ID token's issuer is not the IdP's");
  const auto& aud = claims.contains("aud") ? claims["aud"] : json();
  const bool for_us =
      (aud.is_string() && aud.get<std::string>() == config_.client_id) ||
      (aud.is_array() && std::find(aud.begin(), aud.end(), config_.client_id) != aud.end());
  if (!for_us) return token_error("the ID token is for another client");
  if (auto valid = check_validity(claims, "ID token"); !valid) return valid.error();
  if (text(claims, "nonce") != nonce) return token_error("the ID token's nonce is not ours");
  SignedInUser u;
  u.subject = text(claims, "oid").empty() ? text(claims, "sub") : text(claims, "oid");
  u.username = text(claims, "preferred_username");
  u.name = text(claims, "name");
  u.tenant = text(claims, "tid");
  u.claims = claims;
  if (u.subject.empty()) return token_error("the ID token names no subject");
  return u;
}

asio::awaitable<Result<SignedInUser>> OidcClient::redeem(const std::string& code,
                                                         const std::string& code_verifier,
                                                         const std::string& redirect_uri,
                                                         const std::string& nonce) {
  auto e = co_await endpoints();
  if (!e) co_return e.error();
  entra::FormParams form{{"grant_type", "authorization_code"},
                         {"client_id", config_.client_id},
                         {"client_secret", config_.client_secret},
                         {"code", code},
                         {"redirect_uri", redirect_uri},
                         {"code_verifier", code_verifier},
                         {"scope", config_.scope}};
  auto res = co_await call(e->token_endpoint, "POST", entra::encode_form(form));
  if (calls_) calls_->with({"token", outcome(res)}).inc();
  if (!res) co_return unreachable("token endpoint: " + res.error().message);
  auto body = parse_strict_json(res->body);
  if (res->status != 200) {
    std::string why = body && body->is_object() ? text(*body, "error") : std::string();
    co_return make_error("idp_refused", "token endpoint answered " + std::to_string(res->status) +
                                            (why.empty() ? "" : " " + why));
  }
  if (!body || !body->is_object()) co_return idp_error("the token answer is not JSON");
  const auto id_token = text(*body, "id_token");
  if (id_token.empty()) co_return idp_error("the token answer has no id_token");
  auto verifying = verify_signature(id_token);
  auto verified = co_await std::move(verifying);
  if (!verified) co_return verified.error();
  co_return check_id_token(verified->header, verified->claims, *e, nonce);
}

asio::awaitable<Result<SignedInUser>> OidcClient::verify_access_token(const std::string& token,
                                                                      const std::string& scope) {
  auto e = co_await endpoints();
  if (!e) co_return e.error();
  auto verifying = verify_signature(token);
  auto verified = co_await std::move(verifying);
  if (!verified) co_return verified.error();
  const auto& claims = verified->claims;
  const auto tid = text(claims, "tid");
  // Access tokens carry the v1 issuer; the tenant must be the one whose discovery we read.
  if (tid.empty() || text(claims, "iss") != "https://sts.windows.net/" + tid + "/" ||
      e->issuer.find("/" + tid + "/") == std::string::npos)
    co_return token_error("the access token is not from the IdP's tenant");
  const auto aud = text(claims, "aud");
  if (aud != config_.client_id && aud != "api://" + config_.client_id)
    co_return token_error("the access token is for another resource");
  if (auto valid = check_validity(claims, "access token"); !valid) co_return valid.error();
  const auto scp = " " + text(claims, "scp") + " ";
  if (scp.find(" " + scope + " ") == std::string::npos)
    co_return token_error("the access token's scp does not grant " + scope);
  SignedInUser u;
  u.username = text(claims, "upn");
  u.subject = text(claims, "oid");
  u.name = text(claims, "name");
  u.tenant = tid;
  u.claims = claims;
  if (u.username.empty() || text(claims, "unique_name").empty())
    co_return token_error("the access token has no upn or unique_name");
  co_return u;
}

}  // namespace mdmlab::server::idp
