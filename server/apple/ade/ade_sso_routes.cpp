#include "server/apple/ade/ade_sso_routes.hpp"

#include "core/log/log.hpp"
#include "crypto/random.hpp"
#include "protocol/apple/machine_info.hpp"
#include "protocol/entra/oauth_form.hpp"
#include "server/idp/sign_in_sessions.hpp"

namespace mdmlab::server::apple::ade {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;

namespace {
constexpr auto kSessionLifetime = std::chrono::minutes(10);

struct Pending {
  std::string udid, serial, nonce, verifier;
  TimePoint expires{};
};

HttpResponse page(int status, const std::string& message) {
  return HttpResponse::text(status, message + "\n");
}

std::string token() {
  return base64url_encode(crypto::random_bytes(32));
}
}  // namespace

void add_ade_sso_routes(net::Router& router, AdeSsoConfig config, idp::OidcClient& idp,
                        store::IdpUserStore& users, std::shared_ptr<Clock> clock,
                        metrics::Registry& registry) {
  auto sessions = std::make_shared<idp::SignInSessions<Pending>>(clock);
  auto cfg = std::make_shared<AdeSsoConfig>(std::move(config));
  auto& counter = registry.counter("mdmlab_ade_sso_total",
                                   "Authenticated ADE: sign-ins started and finished, by result",
                                   {"step", "result"});
  auto* count = &counter;

  router.add(
      "GET", kAdeSsoPath,
      [sessions, cfg, &idp, clock, count](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
        const auto header = req.header("x-apple-aspen-deviceinfo");
        if (header.empty()) {
          count->with({"start", "no_device_info"}).inc();
          co_return page(400,
                         "x-apple-aspen-deviceinfo is missing: open this page from "
                         "Setup Assistant");
        }
        auto der = base64_decode(header);
        auto info = der ? mdmlab::apple::parse_machine_info(*der)
                        : Result<mdmlab::apple::SignedMachineInfo>(der.error());
        if (!info) {
          count->with({"start", "bad_device_info"}).inc();
          co_return page(400, "bad device info: " + info.error().message);
        }
        Pending p{info->info.udid, info->info.serial, token(), token(),
                  clock->now() + kSessionLifetime};
        const auto state = token();
        const auto challenge = entra::pkce_s256(p.verifier);
        const auto nonce = p.nonce;
        if (!sessions->put(state, std::move(p))) {
          count->with({"start", "busy"}).inc();
          co_return page(503, "too many sign-ins in flight");
        }
        auto url = co_await idp.authorize_url(cfg->redirect_uri, state, nonce, challenge);
        if (!url) {
          count->with({"start", "idp_unreachable"}).inc();
          log::warn("ade-sso", "identity provider: {}", url.error().message);
          co_return page(502, "the identity provider cannot be reached");
        }
        count->with({"start", "redirected"}).inc();
        HttpResponse r;
        r.status = 302;
        r.set_header("Location", *url);
        r.set_header("Cache-Control", "no-store");
        co_return r;
      });

  router.add(
      "GET", kAdeSsoCallbackPath,
      [sessions, cfg, &idp, &users, clock,
       count](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
        auto query = entra::parse_form(req.query());
        if (!query) {
          count->with({"callback", "bad_request"}).inc();
          co_return page(400, "unreadable query: " + query.error().message);
        }
        auto get = [&](const char* k) {
          auto it = query->find(k);
          return it == query->end() ? std::string() : it->second;
        };
        auto pending = sessions->take(get("state"));
        if (!pending) {
          count->with({"callback", "unknown_state"}).inc();
          co_return page(400, "unknown, used or expired sign-in state");
        }
        if (!get("error").empty()) {
          count->with({"callback", "idp_error"}).inc();
          co_return page(403, "sign-in refused: " + get("error") + ": " +
                                  get("error_description").substr(0, 200));
        }
        if (get("code").empty()) {
          count->with({"callback", "bad_request"}).inc();
          co_return page(400, "no code");
        }
        auto user =
            co_await idp.redeem(get("code"), pending->verifier, cfg->redirect_uri, pending->nonce);
        if (!user) {
          const bool unreachable = user.error().code == "idp_unreachable";
          count->with({"callback", unreachable ? "idp_unreachable" : "refused"}).inc();
          log::warn("ade-sso", "sign-in for {} refused: {}", pending->udid, user.error().message);
          co_return page(unreachable ? 502 : 403, "sign-in could not be verified");
        }
        store::IdpUserRecord record{pending->udid, pending->serial, user->username, user->name,
                                    user->subject, user->tenant,    clock->now()};
        auto stored = co_await users.record_idp_user(std::move(record));
        if (!stored) {
          count->with({"callback", "store_unavailable"}).inc();
          auto r = page(503, "service unavailable, try again later");
          r.set_header("Retry-After", "5");
          co_return r;
        }
        count->with({"callback", "enrolled"}).inc();
        log::info("ade-sso", "{} signed in on {} ({})", user->username, pending->serial,
                  pending->udid);
        co_return enrollment_profile_answer(cfg->profile, true);
      });
}

}  // namespace mdmlab::server::apple::ade
