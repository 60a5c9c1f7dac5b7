#include "server/windows/agent_enroll_route.hpp"

#include <nlohmann/json.hpp>

#include "core/log/log.hpp"
#include "core/net/media_type.hpp"
#include "crypto/digest.hpp"
#include "crypto/random.hpp"
#include "crypto/secret.hpp"
#include "protocol/json/strict_json.hpp"
#include "protocol/windows/sts_token.hpp"

namespace mdmlab::server::windows {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;

namespace {
struct Route {
  AgentSettings settings;
  const crypto::PrivateKey& sts_key;
  store::AgentStore& agents;
  store::WindowsStore& windows;
  std::shared_ptr<Clock> clock;
  metrics::Family<metrics::Counter>* results;
};

HttpResponse refuse(Route& r, int status, const std::string& error, const char* result) {
  r.results->with({result}).inc();
  return HttpResponse::json(status, json{{"error", error}}.dump());
}

std::string text_of(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

asio::awaitable<HttpResponse> enroll(std::shared_ptr<Route> r, const HttpRequest& req) {
  if (!net::media_type_is(req.header("Content-Type"), "application/json"))
    co_return refuse(*r, 415, "the body must be application/json", "refused");
  auto body = parse_strict_json(req.body);
  if (!body || !body->is_object())
    co_return refuse(*r, 400, "the body is not a JSON object", "refused");
  const auto& b = *body;
  if (!crypto::constant_time_equals(text_of(b, "enroll_secret"), r->settings.enroll_secret))
    co_return refuse(*r, 401, "invalid enroll secret", "unauthenticated");
  const auto uuid = text_of(b, "hardware_uuid");
  if (uuid.empty() || uuid.size() > 128)
    co_return refuse(*r, 400, "hardware_uuid is required", "refused");
  const auto platform = text_of(b, "platform");
  const auto token = text_of(b, "eua_token");
  const auto now = r->clock->now();

  store::AgentEnrollment e;
  e.host.uuid = uuid;
  e.host.serial = text_of(b, "hardware_serial");
  e.host.hostname = text_of(b, "hostname");
  e.host.platform = platform;
  e.host.enrolled_at = now;
  if (!token.empty() || (r->settings.require_end_user_auth && platform == "windows")) {
    auto claims = mdmlab::windows::sts::verify(token, r->sts_key, now);
    if (!claims || claims->device_id.empty()) {
      log::info("agent", "END_USER_AUTH_REQUIRED for {}: {}", uuid,
                claims ? std::string("the token names no device") : claims.error().code);
      co_return refuse(*r, 401, "END_USER_AUTH_REQUIRED", "end_user_auth_required");
    }
    auto enrollment = co_await r->windows.windows_enrollment(claims->device_id);
    if (!enrollment) co_return refuse(*r, 503, "try again later", "store_error");
    if (!*enrollment || !(*enrollment)->enabled)
      co_return refuse(*r, 401, "END_USER_AUTH_REQUIRED", "end_user_auth_required");
    e.account_email = claims->upn;
    e.windows_device_id = claims->device_id;
  }
  const auto node_key = hex_encode(crypto::random_bytes(24));
  e.host.node_key_hash = crypto::sha256_hex(to_bytes(node_key));
  auto stored = co_await r->agents.enroll_agent(e);
  if (!stored) {
    if (stored.error().code == "already_linked" || stored.error().code == "no_enrollment")
      co_return refuse(*r, 401, "END_USER_AUTH_REQUIRED", "end_user_auth_required");
    co_return refuse(*r, 503, "try again later", "store_error");
  }
  log::info("agent", "host {} enrolled{}", uuid,
            e.account_email.empty() ? std::string() : " for " + e.account_email);
  r->results->with({"ok"}).inc();
  co_return HttpResponse::json(200, json{{"orbit_node_key", node_key}}.dump());
}
}  // namespace

void add_agent_enroll_route(net::Router& router, const AgentSettings& settings,
                            const crypto::PrivateKey& sts_key, store::AgentStore& agents,
                            store::WindowsStore& windows, std::shared_ptr<Clock> clock,
                            metrics::Registry& registry) {
  auto r = std::make_shared<Route>(
      Route{settings, sts_key, agents, windows, std::move(clock),
            &registry.counter("mdmlab_agent_enrollments_total",
                              "Agent enrollments, by result (ok, end_user_auth_required, "
                              "unauthenticated, refused, store_error)",
                              {"result"})});
  router.add("POST", "/api/fleet/orbit/enroll",
             [r](const HttpRequest& req) { return enroll(r, req); });
}

}  // namespace mdmlab::server::windows
