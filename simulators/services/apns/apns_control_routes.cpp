#include "simulators/services/apns/apns_control_routes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <nlohmann/json.hpp>

#include "simulators/services/apns/apns_simulator.hpp"

namespace mdmlab::simulators::apns {
namespace asio = boost::asio;
using nlohmann::json;
using net::HttpRequest;
using net::HttpResponse;

namespace {
constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

HttpResponse error(int status, const std::string& message) {
  return HttpResponse::json(status, json{{"error", message}}.dump());
}

std::int64_t unix_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// "/device/v1/tokens/<hex>/<rest>" -> {hex (lower case), rest}; hex must look like a token.
std::optional<std::pair<std::string, std::string>> token_path(const std::string& path, std::string_view prefix) {
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

json to_json(const Delivery& d) {
  json j{{"seq", d.seq},         {"apns_id", d.apns_id}, {"token", d.token_hex}, {"topic", d.topic},
         {"payload", d.payload}, {"status", d.status},   {"state", d.state},     {"received_at_ms", unix_ms(d.received_at)}};
  if (!d.reason.empty()) j["reason"] = d.reason;
  if (d.delivered_at != TimePoint{}) j["delivered_at_ms"] = unix_ms(d.delivered_at);
  return j;
}

json counts_json(const ApnsState::Counts& c) {
  return {{"accepted", c.accepted}, {"rejected", c.rejected}, {"delivered", c.delivered},
          {"coalesced", c.coalesced}, {"expired", c.expired}};
}

json parse_object(const std::string& body) {
  auto j = json::parse(body.empty() ? std::string("{}") : body, nullptr, false);
  return j.is_object() ? j : json();
}
}  // namespace

net::Router control_routes(ApnsSimulator& sim) {
  net::Router r;
  const std::string device_prefix = "/device/v1/tokens/";

  r.add("PUT", "/device/v1/tokens/*", [&sim, device_prefix](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    auto tp = token_path(req.path(), device_prefix);
    if (!tp || !tp->second.empty()) co_return error(404, "expected /device/v1/tokens/<hex token>");
    auto body = parse_object(req.body);
    if (body.is_null() || !body.contains("topic") || !body["topic"].is_string() || body["topic"].get<std::string>().empty())
      co_return error(400, "body must be {\"topic\": \"...\"}");
    sim.state().register_token(tp->first, body["topic"].get<std::string>());
    co_return HttpResponse::text(204, "");
  });

  r.add("GET", "/device/v1/tokens/*", [&sim, device_prefix](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    auto tp = token_path(req.path(), device_prefix);
    if (!tp || tp->second != "notifications") co_return error(404, "expected /device/v1/tokens/<hex>/notifications");
    const std::string token = tp->first;
    auto& st = sim.state();
    if (!st.is_registered(token)) co_return error(404, "token not registered");
    long wait_ms = 0;
    if (auto w = req.query_param("wait_ms")) {
      try {
        wait_ms = std::clamp(std::stol(*w), 0L, 120000L);
      } catch (const std::exception&) {
        co_return error(400, "wait_ms must be a number");
      }
    }
    st.connect(token);
    auto got = st.take(token);
    if (got.empty() && wait_ms > 0) {
      auto ex = co_await asio::this_coro::executor;
      auto timer = std::make_shared<asio::steady_timer>(ex, std::chrono::milliseconds(wait_ms));
      st.add_waiter(token, timer);
      got = st.take(token);  // a push may have come in between
      if (got.empty()) co_await timer->async_wait(nothrow_awaitable);
      st.remove_waiter(token, timer);
      if (got.empty()) got = st.take(token);
    }
    json list = json::array();
    for (const auto& n : got) list.push_back({{"apns_id", n.apns_id}, {"payload", n.payload}});
    co_return HttpResponse::json(200, json{{"notifications", list}, {"online", st.is_online(token)}}.dump());
  });

  r.add("DELETE", "/device/v1/tokens/*", [&sim, device_prefix](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    auto tp = token_path(req.path(), device_prefix);
    if (!tp || tp->second != "connection") co_return error(404, "expected /device/v1/tokens/<hex>/connection");
    sim.state().disconnect(tp->first);
    co_return HttpResponse::text(204, "");
  });

  r.add("POST", "/control/v1/tokens/*", [&sim](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    auto tp = token_path(req.path(), "/control/v1/tokens/");
    if (!tp || tp->second != "unregister") co_return error(404, "expected /control/v1/tokens/<hex>/unregister");
    sim.state().unregister(tp->first);
    co_return HttpResponse::text(204, "");
  });

  r.add("GET", "/control/v1/deliveries", [&sim](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    std::string token = req.query_param("token").value_or("");
    for (auto& c : token) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    json list = json::array();
    for (const auto& d : sim.state().deliveries(token)) list.push_back(to_json(d));
    co_return HttpResponse::json(200, json{{"deliveries", list}, {"counts", counts_json(sim.state().counts())}}.dump());
  });

  r.add("POST", "/control/v1/faults", [&sim](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    auto body = parse_object(req.body);
    if (body.is_null() || !body.contains("status") || !body["status"].is_number_integer())
      co_return error(400, "body must be {\"status\": <int>, \"reason\"?, \"token\"?, \"count\"?, \"delay_ms\"?}");
    Fault f;
    f.status = body["status"].get<int>();
    if (f.status < 200 || f.status > 599) co_return error(400, "status must be an HTTP status");
    f.reason = body.value("reason", std::string(f.status == 200 ? "" : "InternalServerError"));
    f.token_hex = body.value("token", std::string());
    for (auto& c : f.token_hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    f.remaining = body.value("count", -1);
    f.delay = std::chrono::milliseconds(std::clamp(body.value("delay_ms", 0), 0, 60000));
    sim.state().add_fault(f);
    co_return HttpResponse::json(201, json{{"added", true}}.dump());
  });

  r.add("DELETE", "/control/v1/faults", [&sim](const HttpRequest&) -> asio::awaitable<HttpResponse> {
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

  r.add("POST", "/control/v1/settings", [&sim](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    auto body = parse_object(req.body);
    if (body.is_null() || !body.contains("max_concurrent_streams") || !body["max_concurrent_streams"].is_number_unsigned())
      co_return error(400, "body must be {\"max_concurrent_streams\": <n>}");
    sim.set_max_concurrent_streams(body["max_concurrent_streams"].get<std::uint32_t>());
    co_return HttpResponse::text(204, "");
  });

  r.add("GET", "/metrics", [&sim](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(200, sim.metrics().render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  r.add("GET", "/healthz", [](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(200, "ok\n");
  });
  return r;
}

}  // namespace mdmlab::simulators::apns
