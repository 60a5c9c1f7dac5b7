#include "simulators/services/abm/abm_dep_routes.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <nlohmann/json.hpp>

#include "core/net/media_type.hpp"

namespace mdmlab::simulators::abm {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;

namespace {
constexpr const char* kJson = "application/json;charset=UTF8";

HttpResponse answer(int status, std::string body) {
  return HttpResponse::binary(status, std::move(body), kJson);
}

// Apple answers DEP errors with the code in the body (nanodep looks for it there).
HttpResponse problem(int status, const std::string& code, const std::string& detail = "") {
  return HttpResponse::text(status, detail.empty() ? code : code + ": " + detail);
}

// The query's parameters, decoded (they are part of the OAuth signature base string).
dep::OAuthParams query_params(const HttpRequest& req) {
  dep::OAuthParams out;
  const auto q = req.query();
  std::size_t start = 0;
  while (start < q.size()) {
    auto end = q.find('&', start);
    auto part = q.substr(start, end == std::string::npos ? std::string::npos : end - start);
    auto eq = part.find('=');
    auto name = part.substr(0, eq);
    if (!name.empty()) out.emplace_back(name, req.query_param(name).value_or(""));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// One line of what a call achieved, for the report's diagram (no secrets: session tokens and
// OAuth values stay out).
std::string summary(const HttpRequest& req, const HttpResponse& res) {
  if (res.status != 200) return res.body.substr(0, 120);
  auto j = json::parse(res.body, nullptr, false);
  if (!j.is_object()) return "";
  std::string out;
  if (j.contains("devices") && j["devices"].is_array())
    out = std::to_string(j["devices"].size()) + " devices" +
          (j.value("more_to_follow", false) ? ", more to follow" : "");
  else if (j.contains("devices") && j["devices"].is_object())
    for (const auto& [serial, result] : j["devices"].items())
      out += (out.empty() ? "" : ", ") + serial +
             (result.is_string() ? " " + result.get<std::string>() : std::string());
  if (j.contains("profile_uuid") && req.path() == "/profile" && req.method == "POST")
    out = "profile " + j["profile_uuid"].get<std::string>() + (out.empty() ? "" : ": " + out);
  return out.substr(0, 200);
}

struct Api {
  AbmState& state;
  metrics::Family<metrics::Counter>* calls;

  // Authentication, faults and counting around each DEP call.
  net::HttpHandler guarded(std::string route,
                           std::function<HttpResponse(const HttpRequest&)> handle) {
    return [this, route, handle](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
      HttpResponse res;
      if (auto wait = state.throttled_for(req.path())) {
        // Called again before the Retry-After it was given: still throttled.
        res = HttpResponse::text(429, "TOO_MANY_REQUESTS");
        res.set_header("Retry-After", std::to_string(*wait));
      } else if (auto fault = state.take_fault(req.path())) {
        if (fault->delay.count() > 0) {
          asio::steady_timer timer(co_await asio::this_coro::executor, fault->delay);
          co_await timer.async_wait(asio::use_awaitable);
        }
        res = HttpResponse::text(fault->status, fault->body);
        if (fault->retry_after > 0) {
          res.set_header("Retry-After", std::to_string(fault->retry_after));
          if (fault->status == 429) state.throttle(fault->path, fault->retry_after);
        }
      } else if (!state.session_valid(req.header("X-ADM-Auth-Session"))) {
        res = problem(401, "UNAUTHORIZED", "no valid X-ADM-Auth-Session; GET /session again");
      } else if (!req.body.empty() && !req.header("Content-Type").empty() &&
                 !net::media_type_is(req.header("Content-Type"), "application/json")) {
        // Every DEP request body is application/json;charset=UTF8.
        res = problem(415, "UNSUPPORTED_MEDIA_TYPE", "the body must be application/json");
      } else {
        res = handle(req);
      }
      calls->with({route, std::to_string(res.status)}).inc();
      state.record_call({std::chrono::system_clock::now(), req.method, req.path(),
                         summary(req, res), res.status});
      co_return res;
    };
  }

  HttpResponse page(const HttpRequest& req, bool sync) {
    auto r = dep::parse_fetch_request(req.body);
    if (!r) return problem(400, "BAD_REQUEST", r.error().message);
    auto page = sync ? state.sync(*r) : state.fetch(*r);
    if (!page) return problem(400, page.error().code, page.error().message);
    return answer(200, dep::encode_fetch_response(*page));
  }
};
}  // namespace

net::Router dep_routes(AbmState& state, metrics::Registry& registry) {
  auto api = std::make_shared<Api>(
      Api{state, &registry.counter("mdmlab_abm_sim_requests_total",
                                   "DEP API calls the ABM simulator answered, by route and status",
                                   {"route", "status"})});
  net::Router r;
  r.add("GET", "/session", [api](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    // The URI the client signed: this host as it named it, plain HTTP (RFC 5849 3.4.1.2).
    const auto base_uri = "http://" + req.header("Host") + req.path();
    auto outcome =
        api->state.authenticate("GET", base_uri, query_params(req), req.header("Authorization"));
    HttpResponse res =
        outcome.status == 200
            ? answer(200, json{{"auth_session_token", outcome.session_token}}.dump())
            : problem(outcome.status, outcome.status == 403 ? "T_C_NOT_SIGNED" : "UNAUTHORIZED",
                      outcome.reason);
    api->calls->with({"/session", std::to_string(res.status)}).inc();
    api->state.record_call({std::chrono::system_clock::now(), req.method, req.path(),
                            res.status == 200 ? "auth_session_token" : res.body, res.status});
    co_return res;
  });
  r.add("GET", "/account", api->guarded("/account", [api](const HttpRequest&) {
    return answer(200, dep::encode_account(api->state.account()));
  }));
  r.add("POST", "/server/devices", api->guarded("/server/devices", [api](const HttpRequest& req) {
    return api->page(req, false);
  }));
  r.add("POST", "/devices/sync", api->guarded("/devices/sync", [api](const HttpRequest& req) {
    return api->page(req, true);
  }));
  r.add("POST", "/profile", api->guarded("/profile", [api](const HttpRequest& req) {
    auto p = dep::parse_profile(req.body);
    if (!p) return problem(400, "BAD_REQUEST", p.error().message);
    std::map<std::string, std::string> results;
    auto uuid = api->state.define_profile(*p, results);
    return answer(200, dep::encode_profile_result(uuid, results));
  }));
  r.add("GET", "/profile", api->guarded("/profile", [api](const HttpRequest& req) {
    auto uuid = req.query_param("profile_uuid").value_or("");
    auto p = api->state.profile(uuid);
    if (!p) return problem(400, "PROFILE_NOT_FOUND", uuid);
    auto j = dep::to_json(*p);
    j["profile_uuid"] = uuid;
    return answer(200, j.dump());
  }));
  auto assign = [api](const HttpRequest& req) {
    auto s = dep::parse_serials_request(req.body, true);
    if (!s) return problem(400, "BAD_REQUEST", s.error().message);
    return answer(200, dep::encode_profile_result(s->profile_uuid,
                                                  api->state.assign(s->profile_uuid, s->devices)));
  };
  // nanodep PUTs, Apple's documentation POSTs: both assign.
  r.add("PUT", "/profile/devices", api->guarded("/profile/devices", assign));
  r.add("POST", "/profile/devices", api->guarded("/profile/devices", assign));
  r.add("DELETE", "/profile/devices",
        api->guarded("/profile/devices", [api](const HttpRequest& req) {
          auto s = dep::parse_serials_request(req.body, false);
          if (!s) return problem(400, "BAD_REQUEST", s.error().message);
          return answer(200, json{{"devices", api->state.unassign(s->devices)}}.dump());
        }));
  r.add("POST", "/devices", api->guarded("/devices", [api](const HttpRequest& req) {
    auto s = dep::parse_serials_request(req.body, false);
    if (!s) return problem(400, "BAD_REQUEST", s.error().message);
    json devices = json::object();
    for (const auto& serial : s->devices) {
      auto d = api->state.device(serial);
      json entry = d ? dep::to_json(*d) : json{{"serial_number", serial}};
      entry["response_status"] = d ? "SUCCESS" : "NOT_ACCESSIBLE";
      devices[serial] = entry;
    }
    return answer(200, json{{"devices", devices}}.dump());
  }));
  r.add("POST", "/devices/disown", api->guarded("/devices/disown", [api](const HttpRequest& req) {
    auto s = dep::parse_serials_request(req.body, false);
    if (!s) return problem(400, "BAD_REQUEST", s.error().message);
    return answer(200, json{{"devices", api->state.disown(s->devices)}}.dump());
  }));
  return r;
}

}  // namespace mdmlab::simulators::abm
