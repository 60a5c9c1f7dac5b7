#include "server/admin/apple_admin_routes.hpp"

#include <boost/asio/this_coro.hpp>

#include <nlohmann/json.hpp>

#include "crypto/random.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/apple/typed_commands.hpp"
#include "protocol/plist/json.hpp"
#include "protocol/plist/xml.hpp"
#include "server/admin/bearer_auth.hpp"
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
    if (!u.is_string() || u.get<std::string>().empty()) return make_error("bad_request", "udids must be strings");
    udids.push_back(u.get<std::string>());
  }
  return udids;
}
}  // namespace

void add_apple_admin_routes(net::Router& router, store::AppleStore& store, std::shared_ptr<Clock> clock,
                            const std::string& token, apple::BackgroundPush& push) {
  router.add("GET", "/admin/v1/apple/devices",
             require_bearer(token, [&store](const HttpRequest&) -> asio::awaitable<HttpResponse> {
               auto list = co_await store.list_enrollments();
               json out = json::array();
               for (const auto& e : list) {
                 out.push_back({{"udid", e.udid},
                                {"serial_number", e.serial_number},
                                {"model", e.model},
                                {"os_version", e.os_version},
                                {"device_name", e.device_name},
                                {"topic", e.topic},
                                {"enabled", e.enabled},
                                {"state", e.enabled ? "enrolled" : (e.token_update_count ? "checked_out" : "authenticated")},
                                {"has_push_token", !e.push_token.empty()},
                                {"token_update_count", e.token_update_count},
                                {"push_status", e.push_status.empty() ? "none" : e.push_status},
                                {"push_error", e.push_error},
                                {"push_count", e.push_count},
                                {"last_seen_at", unix_seconds(e.last_seen_at)}});
               }
               co_return HttpResponse::json(200, json{{"devices", out}}.dump());
             }));

  router.add("POST", "/admin/v1/apple/commands",
             require_bearer(token, [&store, clock, &push](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
               auto body = json::parse(req.body, nullptr, false);
               if (body.is_discarded() || !body.is_object()) co_return json_error(400, "bad_json", "body is not a JSON object");
               auto listed = udid_list(body);
               if (!listed) co_return json_error(400, listed.error().code, listed.error().message);
               std::vector<std::string> udids = std::move(*listed);
               if (body.contains("no_push") && !body["no_push"].is_boolean())
                 co_return json_error(400, "bad_request", "no_push must be a boolean");
               mdmlab::apple::Command cmd;
               if (body.contains("plist")) {
                 if (!body["plist"].is_string()) co_return json_error(400, "bad_request", "plist must be a string");
                 auto parsed = mdmlab::apple::decode_command(body["plist"].get<std::string>());
                 if (!parsed) co_return json_error(400, "bad_command", parsed.error().message);
                 cmd = std::move(*parsed);
               } else if (body.contains("command") && body["command"].is_object()) {
                 auto v = plist::from_json(body["command"]);
                 if (!v) co_return json_error(400, "bad_command", v.error().message);
                 cmd.command = std::move(*v);
               } else if (body.contains("type") && body["type"].is_string()) {
                 auto v = mdmlab::apple::build_typed_command(body["type"].get<std::string>(), body.value("params", json::object()));
                 if (!v) co_return json_error(400, "bad_command", v.error().message);
                 cmd.command = std::move(*v);
               } else {
                 co_return json_error(400, "bad_request", "give type (+ params), command (object) or plist (string)");
               }
               if (body.contains("command_uuid")) {
                 if (!body["command_uuid"].is_string()) co_return json_error(400, "bad_request", "command_uuid must be a string");
                 cmd.command_uuid = body["command_uuid"].get<std::string>();
               }
               if (cmd.command_uuid.empty()) cmd.command_uuid = crypto::random_uuid();
               std::int64_t priority = 0;
               if (body.contains("priority")) {
                 if (!body["priority"].is_number_integer()) co_return json_error(400, "bad_request", "priority must be an integer");
                 priority = body["priority"].get<std::int64_t>();
               }
               auto xml = mdmlab::apple::encode_command(cmd);
               if (!xml) co_return json_error(400, "bad_command", xml.error().message);
               store::QueuedCommand q{cmd.command_uuid, cmd.request_type(), *xml, priority, 0};
               bool ok = co_await store.enqueue(udids, q, clock->now());
               if (!ok) co_return json_error(409, "duplicate", "a command with this CommandUUID exists");
               if (!body.value("no_push", false)) {
                 auto ex = co_await asio::this_coro::executor;
                 push.push(ex, udids);
               }
               co_return HttpResponse::json(201, json{{"command_uuid", cmd.command_uuid},
                                                      {"request_type", cmd.request_type()},
                                                      {"queued_for", udids.size()}}.dump());
             }));

  router.add("POST", "/admin/v1/apple/push",
             require_bearer(token, [&push](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
               auto body = json::parse(req.body, nullptr, false);
               if (body.is_discarded() || !body.is_object()) co_return json_error(400, "bad_json", "body is not a JSON object");
               auto listed = udid_list(body);
               if (!listed) co_return json_error(400, listed.error().code, listed.error().message);
               auto udids = std::move(*listed);
               auto outcomes = co_await push.pusher().push(std::move(udids));
               json out = json::array();
               for (const auto& o : outcomes) out.push_back({{"udid", o.udid}, {"status", o.status}, {"detail", o.detail}});
               co_return HttpResponse::json(200, json{{"results", out}}.dump());
             }));

  router.add("GET", "/admin/v1/apple/commands/*",
             require_bearer(token, [&store](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
               const std::string prefix = "/admin/v1/apple/commands/";
               auto uuid = req.path().substr(prefix.size());
               if (uuid.empty()) co_return json_error(404, "not_found", "no command UUID");
               auto results = co_await store.command_results(uuid);
               if (results.empty()) co_return json_error(404, "not_found", "no such command");
               json out = json::array();
               for (const auto& r : results) {
                 out.push_back({{"udid", r.udid},
                                {"status", r.status.empty() ? "Queued" : r.status},
                                {"active", r.active},
                                {"not_now_count", r.not_now_count},
                                {"result", r.result_plist}});
               }
               co_return HttpResponse::json(200, json{{"command_uuid", uuid}, {"results", out}}.dump());
             }));
}

}  // namespace mdmlab::server::admin
