#include "simulators/services/abm/abm_control_routes.hpp"

#include <nlohmann/json.hpp>

#include "protocol/json/strict_json.hpp"
#include "simulators/services/abm/abm_simulator.hpp"

namespace mdmlab::simulators::abm {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;

namespace {
HttpResponse error(int status, const std::string& message) {
  return HttpResponse::json(status, json{{"error", message}}.dump());
}

Result<json> object_body(const HttpRequest& req) {
  auto j = parse_strict_json(req.body);
  if (!j || !j->is_object()) return make_error("bad_request", "the body is not a JSON object");
  return j;
}

std::string text_or(const json& j, const char* key, std::string fallback = {}) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : fallback;
}

std::string serial_of(const HttpRequest& req) {
  auto path = req.path();
  return path.substr(path.rfind('/') + 1);
}
}  // namespace

net::Router control_routes(AbmState& state, metrics::Registry& registry) {
  net::Router r;
  AbmState* s = &state;
  r.add("GET", "/control/v1/token", [s](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::json(200, token_json(s->token()).dump());
  });
  r.add("GET", "/control/v1/devices", [s](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    json devices = json::array();
    const auto counts = s->assignment_counts();
    for (const auto& d : s->devices()) {
      auto j = dep::to_json(d);
      auto it = counts.find(d.serial_number);
      j["assignments"] = it == counts.end() ? 0 : it->second;
      devices.push_back(std::move(j));
    }
    co_return HttpResponse::json(200, json{{"devices", devices}}.dump());
  });
  r.add("POST", "/control/v1/devices",
        [s](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          auto body = object_body(req);
          if (!body || !(*body)["devices"].is_array())
            co_return error(
                400, "body must be {\"devices\": [{\"serial_number\": ..., \"model\": ...}]}");
          std::vector<dep::DepDevice> add;
          for (const auto& d : (*body)["devices"]) {
            if (!d.is_object() || text_or(d, "serial_number").empty())
              co_return error(400, "every device needs a serial_number");
            dep::DepDevice device;
            device.serial_number = text_or(d, "serial_number");
            device.model = text_or(d, "model", "MacBook Air");
            device.description = text_or(d, "description", device.model);
            device.color = text_or(d, "color", "MIDNIGHT");
            device.asset_tag = text_or(d, "asset_tag");
            device.os = text_or(d, "os", "OSX");
            device.device_family = text_or(d, "device_family", "Mac");
            add.push_back(device);
          }
          for (auto& d : add) s->add_device(d);
          co_return HttpResponse::json(201, json{{"added", add.size()}}.dump());
        });
  r.add("PATCH", "/control/v1/devices/*",
        [s](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          auto body = object_body(req);
          if (!body) co_return error(400, body.error().message);
          if (!s->modify_device(serial_of(req), *body)) co_return error(404, "no such device");
          co_return HttpResponse::text(204, "");
        });
  r.add("DELETE", "/control/v1/devices/*",
        [s](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          if (!s->remove_device(serial_of(req))) co_return error(404, "no such device");
          co_return HttpResponse::text(204, "");
        });
  r.add("POST", "/control/v1/faults", [s](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    auto body = object_body(req);
    if (!body) co_return error(400, body.error().message);
    const auto& b = *body;
    DepFault f;
    f.path = text_or(b, "path");
    f.status = b.value("status", 500);
    f.body = text_or(b, "body", f.status == 429 ? "TOO_MANY_REQUESTS" : "SERVER_ERROR");
    f.retry_after = b.value("retry_after", 0);
    f.count = b.value("count", 1);
    f.delay = std::chrono::milliseconds(b.value("delay_ms", 0));
    if (f.status < 100 || f.status > 599 || f.count < 1 || f.retry_after < 0 ||
        f.delay.count() < 0 || f.delay > std::chrono::minutes(5))
      co_return error(400, "status 100..599, count >= 1, retry_after >= 0, delay_ms 0..300000");
    s->add_fault(f);
    co_return HttpResponse::text(204, "");
  });
  r.add("DELETE", "/control/v1/faults", [s](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    s->clear_faults();
    co_return HttpResponse::text(204, "");
  });
  r.add("GET", "/control/v1/requests", [s](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    json calls = json::array();
    for (const auto& c : s->calls())
      calls.push_back({{"wall_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                       c.wall.time_since_epoch())
                                       .count()},
                       {"method", c.method},
                       {"path", c.path},
                       {"status", c.status},
                       {"detail", c.detail}});
    // Details quote request bodies (cut at a byte count): invalid UTF-8 is replaced, not thrown.
    co_return HttpResponse::json(
        200, json{{"requests", calls}}.dump(-1, ' ', false, json::error_handler_t::replace));
  });
  r.add("GET", "/control/v1/stats", [s](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    const auto st = s->stats();
    co_return HttpResponse::json(200, json{{"calls", st.calls},
                                           {"sessions", st.sessions},
                                           {"fetch_pages", st.fetch_pages},
                                           {"sync_pages", st.sync_pages},
                                           {"throttled", st.throttled},
                                           {"early_retries", st.early_retries},
                                           {"expired_cursors", st.expired_cursors},
                                           {"invalid_cursors", st.invalid_cursors}}
                                          .dump());
  });
  r.add("POST", "/control/v1/cursors/expire",
        [s](const HttpRequest&) -> asio::awaitable<HttpResponse> {
          s->expire_cursors();
          co_return HttpResponse::text(204, "");
        });
  r.add("POST", "/control/v1/sessions/expire",
        [s](const HttpRequest&) -> asio::awaitable<HttpResponse> {
          s->expire_sessions();
          co_return HttpResponse::text(204, "");
        });
  r.add("GET", "/device/v1/profile", [s](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    auto serial = req.query_param("serial").value_or("");
    auto p = s->profile_for_boot(serial);
    if (!p) co_return error(404, "no ADE profile is assigned to " + serial);
    co_return HttpResponse::json(200, dep::to_json(*p).dump());
  });
  r.add("GET", "/metrics", [&registry](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(200, registry.render(),
                                 "text/plain; version=0.0.4; charset=utf-8");
  });
  r.add("GET", "/healthz", [](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(200, "ok\n");
  });
  return r;
}

}  // namespace mdmlab::simulators::abm
