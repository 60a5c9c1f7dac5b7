#include "server/windows/windows_auth_page.hpp"

#include "common/markup.hpp"
#include "core/log/log.hpp"
#include "crypto/random.hpp"
#include "protocol/entra/oauth_form.hpp"
#include "protocol/windows/sts_token.hpp"
#include "server/idp/sign_in_sessions.hpp"

namespace mdmlab::server::windows {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;

namespace {
constexpr auto kSessionLifetime = std::chrono::minutes(10);

struct Pending {
  std::string appru, login_hint, nonce, verifier;
  TimePoint expires{};
};

struct Context {
  Context(WindowsAuthPageConfig cfg, idp::OidcClient& provider, const crypto::PrivateKey& k,
          std::shared_ptr<Clock> clk, metrics::Family<metrics::Counter>* counted)
      : config(std::move(cfg)),
        idp(provider),
        key(k),
        clock(clk),
        sessions(clk),
        counter(counted) {}

  WindowsAuthPageConfig config;
  idp::OidcClient& idp;
  const crypto::PrivateKey& key;
  std::shared_ptr<Clock> clock;
  idp::SignInSessions<Pending> sessions;
  metrics::Family<metrics::Counter>* counter;

  void count(const char* step, const char* result) { counter->with({step, result}).inc(); }
};

HttpResponse page(int status, const std::string& message) {
  auto r = HttpResponse::text(status, message + "\n");
  r.set_header("Cache-Control", "no-store");
  return r;
}

std::string random_token() {
  return base64url_encode(crypto::random_bytes(32));
}

std::string param(const entra::FormParams& q, const char* key) {
  auto it = q.find(key);
  return it == q.end() ? std::string() : it->second;
}

// MS-MDE2's end page: the broker reads the form, not the script; the script is for browsers.
HttpResponse end_page(const std::string& appru, const std::string& token) {
  std::string html =
      "<!DOCTYPE html>\n<html>\n<head>\n<title>Working...</title>\n"
      "<script>window.onload = function () { document.forms[0].submit(); };</script>\n"
      "</head>\n<body>\n<form method=\"post\" action=\"";
  html += markup_escape(appru);
  html += "\">\n<p><input type=\"hidden\" name=\"wresult\" value=\"";
  html += markup_escape(token);
  html += "\"/></p>\n<input type=\"submit\"/>\n</form>\n</body>\n</html>\n";
  auto r = HttpResponse::binary(200, html, "text/html; charset=UTF-8");
  r.set_header("Cache-Control", "no-store");
  return r;
}

asio::awaitable<HttpResponse> start(std::shared_ptr<Context> c, const HttpRequest& req) {
  auto query = entra::parse_form(req.query());
  if (!query) {
    c->count("start", "bad_request");
    co_return page(400, "unreadable query: " + query.error().message);
  }
  Pending p{param(*query, "appru"), param(*query, "login_hint"), random_token(), random_token(),
            c->clock->now() + kSessionLifetime};
  // The broker's return address is an app's (ms-app://...); anything else would post the user's
  // token to a web page.
  if (p.appru.rfind("ms-app://", 0) != 0 || p.appru.size() <= 9 || p.appru.size() > 512) {
    c->count("start", "bad_request");
    co_return page(400, "appru must be the enrollment app's ms-app:// address");
  }
  if (p.login_hint.empty() || p.login_hint.size() > 320) {
    c->count("start", "bad_request");
    co_return page(400, "login_hint (the enrolling user's UPN) is required");
  }
  const auto state = random_token();
  const auto challenge = entra::pkce_s256(p.verifier);
  const auto nonce = p.nonce;
  if (!c->sessions.put(state, std::move(p))) {
    c->count("start", "busy");
    co_return page(503, "too many sign-ins in flight");
  }
  auto asking = c->idp.authorize_url(c->config.redirect_uri, state, nonce, challenge);
  auto url = co_await std::move(asking);
  if (!url) {
    c->count("start", "idp_unreachable");
    log::warn("windows-auth", "identity provider: {}", url.error().message);
    co_return page(502, "the identity provider cannot be reached");
  }
  c->count("start", "redirected");
  auto r = page(302, "");
  r.set_header("Location", *url);
  co_return r;
}

asio::awaitable<HttpResponse> callback(std::shared_ptr<Context> c, const HttpRequest& req) {
  auto query = entra::parse_form(req.query());
  if (!query) {
    c->count("callback", "bad_request");
    co_return page(400, "unreadable query: " + query.error().message);
  }
  auto pending = c->sessions.take(param(*query, "state"));
  if (!pending) {
    c->count("callback", "unknown_state");
    co_return page(400, "unknown, used or expired sign-in state");
  }
  if (!param(*query, "error").empty()) {
    c->count("callback", "idp_error");
    co_return page(403, "sign-in refused: " + param(*query, "error") + ": " +
                            param(*query, "error_description").substr(0, 200));
  }
  const auto code = param(*query, "code");
  if (code.empty()) {
    c->count("callback", "bad_request");
    co_return page(400, "no code");
  }
  auto redeeming = c->idp.redeem(code, pending->verifier, c->config.redirect_uri, pending->nonce);
  auto user = co_await std::move(redeeming);
  if (!user || user->username.empty()) {
    const bool unreachable = !user && user.error().code == "idp_unreachable";
    c->count("callback", unreachable ? "idp_unreachable" : "refused");
    log::warn("windows-auth", "sign-in for {} refused: {}", pending->login_hint,
              user ? std::string("no preferred_username") : user.error().message);
    co_return page(unreachable ? 502 : 403, "sign-in could not be verified");
  }
  auto token = mdmlab::windows::sts::issue(user->username, "", c->key, c->clock->now(),
                                           c->config.token_lifetime);
  if (!token) {
    c->count("callback", "refused");
    co_return page(500, "cannot issue the enrollment token");
  }
  c->count("callback", "signed_in");
  log::info("windows-auth", "{} signed in to enroll a PC", user->username);
  co_return end_page(pending->appru, *token);
}
}  // namespace

void add_windows_auth_page(net::Router& router, WindowsAuthPageConfig config, idp::OidcClient& idp,
                           const crypto::PrivateKey& signing_key, std::shared_ptr<Clock> clock,
                           metrics::Registry& registry) {
  auto* counter = &registry.counter(
      "mdmlab_windows_auth_page_total",
      "Federated Windows enrollment sign-ins started and finished, by result", {"step", "result"});
  auto c = std::make_shared<Context>(std::move(config), idp, signing_key, clock, counter);
  router.add("GET", kAuthPagePath, [c](const HttpRequest& req) { return start(c, req); });
  router.add("GET", kAuthCallbackPath, [c](const HttpRequest& req) { return callback(c, req); });
}

}  // namespace mdmlab::server::windows
