#include "simulators/services/entra/entra_control_routes.hpp"

#include <nlohmann/json.hpp>

#include "crypto/jwt.hpp"
#include "protocol/json/strict_json.hpp"
#include "simulators/services/entra/access_token.hpp"
#include "simulators/services/entra/scim_provisioner.hpp"

#include <boost/asio/this_coro.hpp>

namespace mdmlab::simulators::entra {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;

namespace {
HttpResponse error(int status, const std::string& message) {
  return HttpResponse::json(status, json{{"error", message}}.dump());
}

std::optional<json> object_body(const HttpRequest& req) {
  auto j = parse_strict_json(req.body);
  if (!j || !j->is_object()) return std::nullopt;
  return *j;
}

std::string text(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

json user_json(const EntraUser& u) {
  return {{"id", u.id},
          {"userPrincipalName", u.upn},
          {"displayName", u.display_name},
          {"givenName", u.given_name},
          {"surname", u.surname},
          {"mail", u.mail},
          {"accountEnabled", u.enabled}};
}
}  // namespace

json to_json(const EntraTenant& t) {
  json users = json::array(), apps = json::array();
  for (const auto& u : t.users) users.push_back(user_json(u));
  for (const auto& a : t.apps)
    apps.push_back({{"client_id", a.client_id},
                    {"client_secret", a.client_secret},
                    {"name", a.name},
                    {"redirect_uris", a.redirect_uris}});
  return {{"id", t.id}, {"domain", t.domain}, {"name", t.name}, {"users", users}, {"apps", apps}};
}

net::Router control_routes(EntraState& state, metrics::Registry& registry) {
  net::Router r;
  EntraState* s = &state;
  r.add("GET", "/control/v1/tenants", [s](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    json out = json::array();
    for (const auto& t : s->tenants()) out.push_back(to_json(t));
    co_return HttpResponse::json(200, json{{"tenants", out}}.dump());
  });
  r.add("POST", "/control/v1/tenants",
        [s](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          auto body = object_body(req);
          if (!body || text(*body, "domain").empty())
            co_return error(400, "body must be {\"domain\": ..., \"name\": ...}");
          auto t = s->add_tenant(text(*body, "domain"), text(*body, "name"), text(*body, "id"));
          co_return HttpResponse::json(201, to_json(t).dump());
        });
  // /control/v1/tenants/{tenant}/users|apps
  r.add("POST", "/control/v1/tenants/*",
        [s](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          const std::string prefix = "/control/v1/tenants/";
          const auto rest = req.path().substr(prefix.size());
          const auto slash = rest.find('/');
          if (slash == std::string::npos) co_return error(404, "tenants/{tenant}/users|apps");
          const auto tenant = rest.substr(0, slash), what = rest.substr(slash + 1);
          auto body = object_body(req);
          if (!body) co_return error(400, "the body is not a JSON object");
          if (what == "users") {
            EntraUser u;
            u.upn = text(*body, "upn");
            u.password = text(*body, "password");
            u.display_name = text(*body, "display_name");
            u.given_name = text(*body, "given_name");
            u.surname = text(*body, "surname");
            u.mail = text(*body, "mail");
            if (body->contains("enabled") && (*body)["enabled"].is_boolean())
              u.enabled = (*body)["enabled"].get<bool>();
            if (u.upn.empty() || u.password.empty())
              co_return error(400, "a user needs upn and password");
            auto added = s->add_user(tenant, u);
            if (!added) co_return error(409, "unknown tenant, or the UPN is taken");
            co_return HttpResponse::json(201, user_json(*added).dump());
          }
          if (what == "apps") {
            EntraApp a;
            a.name = text(*body, "name");
            a.client_id = text(*body, "client_id");
            a.client_secret = text(*body, "client_secret");
            if (body->contains("redirect_uris") && (*body)["redirect_uris"].is_array())
              for (const auto& u : (*body)["redirect_uris"])
                if (u.is_string()) a.redirect_uris.push_back(u.get<std::string>());
            auto added = s->add_app(tenant, a);
            if (!added) co_return error(409, "unknown tenant, or the client id is taken");
            co_return HttpResponse::json(201, json{{"client_id", added->client_id},
                                                   {"client_secret", added->client_secret},
                                                   {"name", added->name},
                                                   {"redirect_uris", added->redirect_uris}}
                                                  .dump());
          }
          if (what == "device_tokens") {
            // What Windows holds after joining Entra: an access token for the MDM app (the
            // tenant's first app unless `resource` names one) with scp mdm_delegation.
            auto t = s->tenant(tenant);
            if (!t) co_return error(404, "unknown tenant");
            const auto upn = text(*body, "upn");
            const EntraUser* user = nullptr;
            for (const auto& u : t->users)
              if (u.upn == upn) user = &u;
            if (!user || !user->enabled) co_return error(404, "no enabled user " + upn);
            auto resource = text(*body, "resource");
            if (resource.empty() && !t->apps.empty())
              resource = "api://" + t->apps.front().client_id;
            if (resource.empty()) co_return error(400, "no app in the tenant: name a resource");
            const auto now = s->clock()->now();
            // Windows' broker is the client the token was issued to.
            auto claims =
                access_token_claims(*t, "29d9ed98-a469-4536-ade2-f981bc1d605e", user,
                                    resource + "/mdm_delegation", now, now + std::chrono::hours(1));
            auto token = crypto::sign_rs256(claims, s->signing_key(), s->key_id());
            if (!token) co_return error(500, token.error().message);
            co_return HttpResponse::json(
                201,
                json{{"access_token", *token}, {"token_type", "Bearer"}, {"resource", resource}}
                    .dump());
          }
          if (what == "provision") {
            // One provisioning cycle of the tenant's users to a SCIM endpoint.
            ProvisioningTarget target{text(*body, "scim_url"), text(*body, "token"), {}};
            if (!text(*body, "ca_pem").empty()) {
              auto ca = crypto::Certificate::from_pem(text(*body, "ca_pem"));
              if (!ca) co_return error(400, "ca_pem: " + ca.error().message);
              target.roots = {*ca};
            }
            if (target.scim_url.empty() || target.token.empty())
              co_return error(400, "body must be {\"scim_url\": ..., \"token\": ...}");
            auto t = s->tenant(tenant);
            if (!t) co_return error(404, "unknown tenant");
            auto executor = co_await asio::this_coro::executor;
            auto provisioning = provision_users(executor, std::move(target), t->users);
            auto cycle = co_await std::move(provisioning);
            if (!cycle) co_return error(502, "the SCIM endpoint: " + cycle.error().message);
            co_return HttpResponse::json(200, json{{"created", cycle->created},
                                                   {"updated", cycle->updated},
                                                   {"failures", cycle->failures}}
                                                  .dump());
          }
          co_return error(404, "tenants/{tenant}/users|apps|provision");
        });
  r.add("POST", "/control/v1/faults", [s](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    auto body = object_body(req);
    if (!body || !(*body)["status"].is_number_integer())
      co_return error(400, "body must be {\"status\": 429, \"error\": ..., ...}");
    // Read as 64-bit numbers and range-checked: a value narrowed to int could wrap into range.
    auto number = [&](const char* key, std::int64_t fallback) {
      const auto& v = (*body)[key];
      return v.is_number_integer() ? v.get<std::int64_t>() : fallback;
    };
    const auto status = number("status", 0), retry_after = number("retry_after", 0),
               count = number("count", 1);
    if (status < 400 || status > 599) co_return error(400, "status must be 4xx or 5xx");
    if (retry_after < 0 || retry_after > 86400 || count < 1 || count > 1000000)
      co_return error(400, "retry_after 0..86400, count 1..1000000");
    TokenFault f;
    f.status = static_cast<int>(status);
    if (!text(*body, "error").empty()) f.error = text(*body, "error");
    f.retry_after = static_cast<int>(retry_after);
    f.count = static_cast<int>(count);
    s->add_token_fault(f);
    co_return HttpResponse::json(200, json{{"queued", f.count}}.dump());
  });
  auto* reg = &registry;
  r.add("GET", "/metrics", [reg](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(200, reg->render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  return r;
}

}  // namespace mdmlab::simulators::entra
