#include "simulators/services/apns/apns_control_routes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>

#include "simulators/services/apns/apns_simulator.hpp"

namespace mdmlab::simulators::apns {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;

namespace {
constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

HttpResponse error(int status, const std::string& message) {
  return HttpResponse::json(status, json{{"error", message}}.dump());
}

std::int64_t unix_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// "/device/v1/tokens/<hex>/<rest>" -> {hex (lower case), rest}; hex must look like a token.
std::optional<std::pair<std::string, std::string>> token_path(const std::string& path,
                                                              std::string_view prefix) {
  if (!path.starts_with(prefix)) return std::nullopt;
  auto tail = path.substr(prefix.size());
  auto slash = tail.find('/');
  std::string token = tail.substr(0, slash);
  std::string rest = slash == std::string::npos ? "" : tail.substr(slash + 1);
  if (token.size() < 64 || token.size() > 200 || token.size() % 2) return std::nullopt;
  for (auto& c : token) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return std::make_pair(token, rest);
}

bool is_token(const std::string& t) {
  return t.size() >= 64 && t.size() <= 200 && t.size() % 2 == 0 &&
         std::all_of(t.begin(), t.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// An integer member within [lo, hi], or `fallback` when absent; nullopt when present but not an
// integer (floats, strings, ...) or out of range (checked before any narrowing).
std::optional<std::int64_t> int_member(const json& body, const char* key, std::int64_t lo,
                                       std::int64_t hi, std::int64_t fallback) {
  auto it = body.find(key);
  if (it == body.end()) return fallback;
  if (it->is_number_unsigned()) {
    auto u = it->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(hi) || static_cast<std::int64_t>(u) < lo)
      return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (!it->is_number_integer()) return std::nullopt;
  auto v = it->get<std::int64_t>();
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

json to_json(const Delivery& d) {
  json j{{"seq", d.seq},         {"apns_id", d.apns_id},
         {"token", d.token_hex}, {"topic", d.topic},
         {"payload", d.payload}, {"status", d.status},
         {"state", d.state},     {"received_at_ms", unix_ms(d.received_at)}};
  if (!d.reason.empty()) j["reason"] = d.reason;
  if (d.delivered_at != TimePoint{}) j["delivered_at_ms"] = unix_ms(d.delivered_at);
  j["received_wall_ms"] = unix_ms(d.received_wall);
  return j;
}

json counts_json(const ApnsState::Counts& c) {
  return {{"accepted", c.accepted},
          {"rejected", c.rejected},
          {"delivered", c.delivered},
          {"coalesced", c.coalesced},
          {"expired", c.expired}};
}

json parse_object(const std::string& body) {
  auto j = json::parse(body.empty() ? std::string("{}") : body, nullptr, false);
  return j.is_object() ? j : json();
}
}  // namespace

net::Router control_routes(ApnsSimulator& sim) {
  net::Router r;
  const std::string device_prefix = "/device/v1/tokens/";

  r.add("PUT", "/device/v1/tokens/*",
        [&sim, device_prefix](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          auto tp = token_path(req.path(), device_prefix);
          if (!tp || !tp->second.empty())
            co_return error(404, "expected /device/v1/tokens/<hex token>");
          auto body = parse_object(req.body);
          if (body.is_null() || !body.contains("topic") || !body["topic"].is_string() ||
              body["topic"].get<std::string>().empty())
            co_return error(400, "body must be {\"topic\": \"...\"}");
          sim.state().register_token(tp->first, body["topic"].get<std::string>());
          co_return HttpResponse::text(204, "");
        });

  r.add("GET", "/device/v1/tokens/*",
        [&sim, device_prefix](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          auto tp = token_path(req.path(), device_prefix);
          if (!tp || tp->second != "notifications")
            co_return error(404, "expected /device/v1/tokens/<hex>/notifications");
          const std::string token = tp->first;
          auto& st = sim.state();
          if (!st.is_registered(token)) co_return error(404, "token not registered");
          long wait_ms = 0;
          if (auto w = req.query_param("wait_ms")) {
            // Digits only, 0..120000: no sign, no trailing junk, no waits the caller cannot mean.
            bool digits =
                !w->empty() && w->size() <= 6 &&
                std::all_of(w->begin(), w->end(), [](char c) { return c >= '0' && c <= '9'; });
            if (!digits || std::stol(*w) > 120000)
              co_return error(400, "wait_ms must be 0..120000");
            wait_ms = std::stol(*w);
          }
          st.connect(token);
          auto got = st.take(token);
          if (got.empty() && wait_ms > 0) {
            auto ex = co_await asio::this_coro::executor;
            auto timer =
                std::make_shared<asio::steady_timer>(ex, std::chrono::milliseconds(wait_ms));
            st.add_waiter(token, timer);
            got = st.take(token);  // a push may have come in between
            if (got.empty()) co_await timer->async_wait(nothrow_awaitable);
            st.remove_waiter(token, timer);
            if (got.empty()) got = st.take(token);
          }
          json list = json::array();
          for (const auto& n : got)
            list.push_back({{"apns_id", n.apns_id}, {"payload", n.payload}});
          co_return HttpResponse::json(
              200, json{{"notifications", list}, {"online", st.is_online(token)}}.dump(
                       -1, ' ', false, json::error_handler_t::replace));
        });

  r.add("DELETE", "/device/v1/tokens/*",
        [&sim, device_prefix](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          auto tp = token_path(req.path(), device_prefix);
          if (!tp || tp->second != "connection")
            co_return error(404, "expected /device/v1/tokens/<hex>/connection");
          if (!sim.state().is_registered(tp->first)) co_return error(404, "token not registered");
          sim.state().disconnect(tp->first);
          co_return HttpResponse::text(204, "");
        });

  r.add("POST", "/control/v1/tokens/*",
        [&sim](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          auto tp = token_path(req.path(), "/control/v1/tokens/");
          if (!tp || tp->second != "unregister")
            co_return error(404, "expected /control/v1/tokens/<hex>/unregister");
          sim.state().unregister(tp->first);
          co_return HttpResponse::text(204, "");
        });

  r.add("GET", "/control/v1/deliveries",
        [&sim](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          std::string token = req.query_param("token").value_or("");
          for (auto& c : token) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          json list = json::array();
          for (const auto& d : sim.state().deliveries(token)) list.push_back(to_json(d));
          // The log holds what providers sent (paths, payloads), valid UTF-8 or not: replace bad
          // bytes.
          co_return HttpResponse::json(
              200, json{{"deliveries", list}, {"counts", counts_json(sim.state().counts())}}.dump(
                       -1, ' ', false, json::error_handler_t::replace));
        });

  r.add("POST", "/control/v1/faults",
        [&sim](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          auto body = parse_object(req.body);
          const std::string usage =
              "body must be {\"status\": 200..599, \"reason\"?: string, \"token\"?: hex token, "
              "\"count\"?: -1 or 1.., "
              "\"delay_ms\"?: 0..60000}";
          if (body.is_null() || !body.contains("status")) co_return error(400, usage);
          auto status = int_member(body, "status", 200, 599, 0);
          auto count = int_member(body, "count", -1, INT32_MAX, -1);
          auto delay = int_member(body, "delay_ms", 0, 60000, 0);
          if (!status || !count || *count == 0 || !delay) co_return error(400, usage);
          for (const char* key : {"reason", "token"})
            if (body.contains(key) && !body[key].is_string()) co_return error(400, usage);
          Fault f;
          f.status = static_cast<int>(*status);
          f.reason =
              body.value("reason", std::string(f.status == 200 ? "" : "InternalServerError"));
          f.token_hex = body.value("token", std::string());
          if (!f.token_hex.empty() && !is_token(f.token_hex))
            co_return error(400, "token must be a hex device token");
          for (auto& c : f.token_hex)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          f.remaining = static_cast<int>(*count);
          f.delay = std::chrono::milliseconds(*delay);
          sim.state().add_fault(f);
          co_return HttpResponse::json(201, json{{"added", true}}.dump());
        });

  r.add("GET", "/control/v1/faults", [&sim](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    json list = json::array();
    for (const auto& f : sim.state().faults())
      list.push_back({{"token", f.token_hex},
                      {"status", f.status},
                      {"reason", f.reason},
                      {"remaining", f.remaining},
                      {"delay_ms", f.delay.count()}});
    co_return HttpResponse::json(200, json{{"faults", list}}.dump());
  });

  r.add("GET", "/control/v1/tokens", [&sim](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    json list = json::array();
    for (const auto& t : sim.state().tokens())
      list.push_back({{"token", t.token_hex},
                      {"topic", t.topic},
                      {"online", t.online},
                      {"unregistered", t.unregistered},
                      {"pending", t.pending}});
    co_return HttpResponse::json(200, json{{"tokens", list}}.dump());
  });

  r.add("DELETE", "/control/v1/faults",
        [&sim](const HttpRequest&) -> asio::awaitable<HttpResponse> {
          sim.state().clear_faults();
          co_return HttpResponse::text(204, "");
        });

  r.add("GET", "/control/v1/stats", [&sim](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    auto h2 = sim.http2_stats();
    json j = counts_json(sim.state().counts());
    j["connections"] = sim.open_connections();
    j["streams_opened"] = h2.streams_opened;
    j["streams_refused"] = h2.streams_refused;
    j["peak_concurrent_streams"] = h2.peak_open_streams;
    j["max_concurrent_streams"] = sim.max_concurrent_streams();
    co_return HttpResponse::json(200, j.dump());
  });

  r.add("POST", "/control/v1/settings",
        [&sim](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          auto body = parse_object(req.body);
          // 0 would stall every connection; above 2^32-1 does not fit
          // SETTINGS_MAX_CONCURRENT_STREAMS.
          auto n = body.is_null() || !body.contains("max_concurrent_streams")
                       ? std::nullopt
                       : int_member(body, "max_concurrent_streams", 1, UINT32_MAX, 0);
          if (!n) co_return error(400, "body must be {\"max_concurrent_streams\": 1..4294967295}");
          sim.set_max_concurrent_streams(static_cast<std::uint32_t>(*n));
          co_return HttpResponse::text(204, "");
        });

  r.add("GET", "/metrics", [&sim](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(200, sim.metrics().render(),
                                 "text/plain; version=0.0.4; charset=utf-8");
  });
  r.add("GET", "/healthz", [](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(200, "ok\n");
  });
  return r;
}

}  // namespace mdmlab::simulators::apns
