#include "server/admin/apple_admin_routes.hpp"

#include <nlohmann/json.hpp>

#include "crypto/random.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/plist/xml.hpp"
#include "server/admin/bearer_auth.hpp"
#include "server/admin/json_responses.hpp"

namespace mdmlab::server::admin {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;

namespace {
Result<plist::Value> to_plist(const json& j, int depth = 0) {
  if (depth > 64) return make_error("bad_command", "command nested too deeply");
  if (j.is_string()) return plist::Value(j.get<std::string>());
  if (j.is_boolean()) return plist::Value(j.get<bool>());
  if (j.is_number_integer()) return plist::Value(j.get<std::int64_t>());
  if (j.is_number_unsigned()) {
    auto u = j.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return make_error("bad_command", "integer out of range");
    return plist::Value(static_cast<std::int64_t>(u));
  }
  if (j.is_number_float()) return plist::Value(j.get<double>());
  if (j.is_array()) {
    plist::Array a;
    for (const auto& item : j) {
      auto v = to_plist(item, depth + 1);
      if (!v) return v.error();
      a.push_back(std::move(*v));
    }
    return plist::Value(std::move(a));
  }
  if (j.is_object()) {
    if (j.size() == 1 && j.contains("$data") && j["$data"].is_string()) {
      auto bytes = base64_decode(j["$data"].get<std::string>());
      if (!bytes) return make_error("bad_command", "$data is not base64");
      return plist::Value(std::move(*bytes));
    }
    plist::Value d{plist::Dict{}};
    for (const auto& [k, item] : j.items()) {
      auto v = to_plist(item, depth + 1);
      if (!v) return v.error();
      d.set(k, std::move(*v));
    }
    return d;
  }
  return make_error("bad_command", "null is not a plist value");
}
}  // namespace

void add_apple_admin_routes(net::Router& router, store::AppleStore& store, std::shared_ptr<Clock> clock,
                            const std::string& token) {
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
                                {"last_seen_at", unix_seconds(e.last_seen_at)}});
               }
               co_return HttpResponse::json(200, json{{"devices", out}}.dump());
             }));

  router.add("POST", "/admin/v1/apple/commands",
             require_bearer(token, [&store, clock](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
               auto body = json::parse(req.body, nullptr, false);
               if (body.is_discarded() || !body.is_object()) co_return json_error(400, "bad_json", "body is not a JSON object");
               if (!body.contains("udids") || !body["udids"].is_array() || body["udids"].empty())
                 co_return json_error(400, "bad_request", "udids must be a non-empty array");
               std::vector<std::string> udids;
               for (const auto& u : body["udids"]) {
                 if (!u.is_string() || u.get<std::string>().empty())
                   co_return json_error(400, "bad_request", "udids must be strings");
                 udids.push_back(u.get<std::string>());
               }
               mdmlab::apple::Command cmd;
               if (body.contains("plist")) {
                 if (!body["plist"].is_string()) co_return json_error(400, "bad_request", "plist must be a string");
                 auto parsed = mdmlab::apple::decode_command(body["plist"].get<std::string>());
                 if (!parsed) co_return json_error(400, "bad_command", parsed.error().message);
                 cmd = std::move(*parsed);
               } else if (body.contains("command") && body["command"].is_object()) {
                 auto v = to_plist(body["command"]);
                 if (!v) co_return json_error(400, "bad_command", v.error().message);
                 cmd.command = std::move(*v);
               } else {
                 co_return json_error(400, "bad_request", "give command (object) or plist (string)");
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
               co_return HttpResponse::json(201, json{{"command_uuid", cmd.command_uuid},
                                                      {"request_type", cmd.request_type()},
                                                      {"queued_for", udids.size()}}.dump());
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
