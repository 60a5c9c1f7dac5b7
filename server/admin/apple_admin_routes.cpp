#include "server/admin/apple_admin_routes.hpp"

#include <boost/asio/this_coro.hpp>

#include <nlohmann/json.hpp>

#include "crypto/random.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/apple/typed_commands.hpp"
#include "protocol/plist/json.hpp"
#include "protocol/plist/xml.hpp"
#include "server/admin/bearer_auth.hpp"
#include "server/admin/json_request.hpp"
#include "server/admin/json_responses.hpp"

namespace mdmlab::server::admin {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;

namespace {
// "udids": a non-empty array of non-empty strings.
Result<std::vector<std::string>> udid_list(const json& body) {
  if (!body.contains("udids") || !body["udids"].is_array() || body["udids"].empty())
    return make_error("bad_request", "udids must be a non-empty array");
  std::vector<std::string> udids;
  for (const auto& u : body["udids"]) {
    if (!u.is_string() || u.get<std::string>().empty())
      return make_error("bad_request", "udids must be strings");
    udids.push_back(u.get<std::string>());
  }
  return udids;
}

struct Enqueue {
  std::vector<std::string> udids;
  mdmlab::apple::Command cmd;
  std::string xml;  // the command plist to queue
  std::int64_t priority = 0;
  bool no_push = false;
};

// "priority": an integer within int64. nlohmann reads every non-negative integer as unsigned,
// and is_number_integer() is true for those too, so the unsigned case comes first.
Result<std::int64_t> priority_of(const json& body) {
  if (!body.contains("priority")) return std::int64_t{0};
  const auto& p = body["priority"];
  if (p.is_number_unsigned()) {
    auto u = p.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX))
      return make_error("bad_request", "priority is out of range");
    return static_cast<std::int64_t>(u);
  }
  if (p.is_number_integer()) return p.get<std::int64_t>();
  return make_error("bad_request", "priority must be an integer");
}

// The whole POST /admin/v1/apple/commands request, checked; the refusal to send if it is not.
std::optional<HttpResponse> read_enqueue(const HttpRequest& req, Enqueue& e) {
  json body;
  if (auto refusal = read_json_object(req, body)) return refusal;
  auto listed = udid_list(body);
  if (!listed) return json_error(400, listed.error().code, listed.error().message);
  e.udids = std::move(*listed);
  if (body.contains("no_push")) {
    if (!body["no_push"].is_boolean())
      return json_error(400, "bad_request", "no_push must be a boolean");
    e.no_push = body["no_push"].get<bool>();
  }
  if (body.contains("plist")) {
    if (!body["plist"].is_string()) return json_error(400, "bad_request", "plist must be a string");
    auto parsed = mdmlab::apple::decode_command(body["plist"].get<std::string>());
    if (!parsed) return json_error(400, "bad_command", parsed.error().message);
    e.cmd = std::move(*parsed);
  } else if (body.contains("command") && body["command"].is_object()) {
    auto v = plist::from_json(body["command"]);
    if (!v) return json_error(400, "bad_command", v.error().message);
    e.cmd.command = std::move(*v);
  } else if (body.contains("type") && body["type"].is_string()) {
    auto params = body.contains("params") ? body["params"] : json::object();
    auto v = mdmlab::apple::build_typed_command(body["type"].get<std::string>(), params);
    if (!v) return json_error(400, "bad_command", v.error().message);
    e.cmd.command = std::move(*v);
  } else {
    return json_error(400, "bad_request",
                      "give type (+ params), command (object) or plist (string)");
  }
  if (body.contains("command_uuid")) {
    if (!body["command_uuid"].is_string())
      return json_error(400, "bad_request", "command_uuid must be a string");
    e.cmd.command_uuid = body["command_uuid"].get<std::string>();
  }
  if (e.cmd.command_uuid.empty()) e.cmd.command_uuid = crypto::random_uuid();
  auto priority = priority_of(body);
  if (!priority) return json_error(400, priority.error().code, priority.error().message);
  e.priority = *priority;
  auto xml = mdmlab::apple::encode_command(e.cmd);
  if (!xml) return json_error(400, "bad_command", xml.error().message);
  e.xml = std::move(*xml);
  return std::nullopt;
}
}  // namespace

void add_apple_admin_routes(net::Router& router, store::AppleStore& store,
                            std::shared_ptr<Clock> clock, const std::string& token,
                            apple::BackgroundPush& push) {
  router.add("GET", "/admin/v1/apple/devices",
             require_bearer(token, [&store](const HttpRequest&) -> asio::awaitable<HttpResponse> {
               auto list = co_await store.list_enrollments();
               if (!list) co_return store_failure(list.error());
               auto idp_users = co_await store.idp_users();
               if (!idp_users) co_return store_failure(idp_users.error());
               json out = json::array();
               for (const auto& e : *list) {
                 // Who signed in at the IdP for this device (authenticated ADE), if anyone.
                 auto signed_in = idp_users->find(e.device_udid);
                 json idp_user =
                     signed_in == idp_users->end()
                         ? json(nullptr)
                         : json{{"username", signed_in->second.username},
                                {"name", signed_in->second.name},
                                {"subject", signed_in->second.subject},
                                {"tenant", signed_in->second.tenant},
                                {"signed_in_at", unix_seconds(signed_in->second.signed_in_at)}};
                 out.push_back({{"udid", e.udid},
                                {"device_udid", e.device_udid},
                                {"channel", e.user_id.empty() ? "device" : "user"},
                                {"user_id", e.user_id},
                                {"user_short_name", e.user_short_name},
                                {"serial_number", e.serial_number},
                                {"model", e.model},
                                {"os_version", e.os_version},
                                {"device_name", e.device_name},
                                {"topic", e.topic},
                                {"enabled", e.enabled},
                                {"state", e.enabled ? "enrolled"
                                                    : (e.token_update_count ? "checked_out"
                                                                            : "authenticated")},
                                {"has_push_token", !e.push_token.empty()},
                                {"token_update_count", e.token_update_count},
                                {"push_status", e.push_status.empty() ? "none" : e.push_status},
                                {"push_error", e.push_error},
                                {"push_count", e.push_count},
                                {"last_seen_at", unix_seconds(e.last_seen_at)},
                                {"idp_user", idp_user}});
               }
               json answer{{"devices", out}};
               co_return json_answer(200, answer);
             }));

  router.add(
      "POST", "/admin/v1/apple/commands",
      require_bearer(
          token, [&store, clock, &push](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
            Enqueue e;
            if (auto refusal = read_enqueue(req, e)) co_return std::move(*refusal);
            store::QueuedCommand q{e.cmd.command_uuid, e.cmd.request_type(), e.xml, e.priority, 0};
            auto now = clock->now();
            auto queued = co_await store.enqueue(e.udids, q, now);
            if (!queued) co_return store_failure(queued.error());
            if (!*queued)
              co_return json_error(409, "duplicate", "a command with this CommandUUID exists");
            if (!e.no_push) {
              auto ex = co_await asio::this_coro::executor;
              push.push(ex, e.udids);
            }
            json out{{"command_uuid", e.cmd.command_uuid},
                     {"request_type", e.cmd.request_type()},
                     {"queued_for", e.udids.size()}};
            co_return json_answer(201, out);
          }));

  router.add(
      "POST", "/admin/v1/apple/push",
      require_bearer(token, [&push](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
        json body;
        if (auto refusal = read_json_object(req, body)) co_return std::move(*refusal);
        auto listed = udid_list(body);
        if (!listed) co_return json_error(400, listed.error().code, listed.error().message);
        auto udids = std::move(*listed);
        auto outcomes = co_await push.pusher().push(std::move(udids));
        json out = json::array();
        for (const auto& o : outcomes)
          out.push_back({{"udid", o.udid}, {"status", o.status}, {"detail", o.detail}});
        json answer{{"results", out}};
        co_return json_answer(200, answer);
      }));

  // Forgets a device's certificate binding, e.g. after devices moved to another identity CA:
  // with the allow-retroactive policy its next message binds the certificate it presents;
  // otherwise it must Authenticate again.
  router.add(
      "DELETE", "/admin/v1/apple/devices/*",
      require_bearer(token, [&store](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
        const std::string prefix = "/admin/v1/apple/devices/", suffix = "/certificate";
        auto path = req.path();
        if (path.size() <= prefix.size() + suffix.size() ||
            path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0)
          co_return json_error(404, "not_found", "use /admin/v1/apple/devices/UDID/certificate");
        auto udid = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
        auto removed = co_await store.unbind_certificate(udid);
        if (!removed) co_return store_failure(removed.error());
        if (!*removed) co_return json_error(404, "not_found", "no certificate bound to " + udid);
        co_return HttpResponse::text(204, "");
      }));

  router.add(
      "GET", "/admin/v1/apple/commands/*",
      require_bearer(token, [&store](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
        // The router also sends "/admin/v1/apple/commands" (no slash, no UUID) here.
        const std::string prefix = "/admin/v1/apple/commands/";
        auto path = req.path();
        if (path.size() <= prefix.size()) co_return json_error(404, "not_found", "no command UUID");
        auto uuid = path.substr(prefix.size());
        auto results = co_await store.command_results(uuid);
        if (!results) co_return store_failure(results.error());
        if (results->empty()) co_return json_error(404, "not_found", "no such command");
        json out = json::array();
        for (const auto& r : *results) {
          out.push_back({{"udid", r.udid},
                         {"status", r.status.empty() ? "Queued" : r.status},
                         {"active", r.active},
                         {"not_now_count", r.not_now_count},
                         {"result", r.result_plist}});
        }
        json answer{{"command_uuid", uuid}, {"results", out}};
        co_return json_answer(200, answer);
      }));
}

}  // namespace mdmlab::server::admin
