#include "server/admin/windows_admin_routes.hpp"

#include <nlohmann/json.hpp>

#include "crypto/random.hpp"
#include "protocol/windows/syncml.hpp"
#include "server/admin/bearer_auth.hpp"
#include "server/admin/json_request.hpp"
#include "server/admin/json_responses.hpp"

namespace mdmlab::server::admin {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;
namespace syncml = mdmlab::windows::syncml;

namespace {
std::string text_of(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

json to_json(const store::WindowsEnrollment& e) {
  return {{"device_id", e.device_id},
          {"hw_dev_id", e.hw_dev_id},
          {"upn", e.upn},
          {"enrollment_type", e.enrollment_type},
          {"device_name", e.device_name},
          {"os_version", e.os_version},
          {"model", e.model},
          {"manufacturer", e.manufacturer},
          {"state", e.enabled ? "enrolled" : "unenrolled"},
          {"cert_serial", e.cert_serial},
          {"enrolled_at", unix_seconds(e.enrolled_at)},
          {"last_seen_at", unix_seconds(e.last_seen_at)}};
}

// The command element the body asks for, checked by parsing it as the device would get it.
Result<syncml::Command> command_from(const json& body) {
  if (body.contains("syncml")) {
    const auto xml = text_of(body, "syncml");
    auto c = syncml::parse_command(xml);
    if (!c) return make_error("bad_command", c.error().message);
    return c;
  }
  syncml::Command c;
  c.name = text_of(body, "verb");
  c.cmd_id = "1";
  if (c.name != "Get" && c.name != "Replace" && c.name != "Add" && c.name != "Delete" &&
      c.name != "Exec")
    return make_error("bad_command", "verb is Get, Replace, Add, Delete or Exec (or send syncml)");
  syncml::Item item;
  item.target = text_of(body, "target");
  if (item.target.empty() || item.target.size() > 1024)
    return make_error("bad_command", "target is the CSP node's LocURI, e.g. ./DevDetail/SwV");
  if (body.contains("format") || body.contains("type")) {
    item.meta = syncml::Meta{};
    item.meta->format = text_of(body, "format");
    item.meta->type = text_of(body, "type");
  }
  if (body.contains("data")) {
    if (!body["data"].is_string()) return make_error("bad_command", "data is a string");
    item.data = body["data"].get<std::string>();
    item.data_is_xml = item.meta && item.meta->format == "xml";
  }
  c.items.push_back(std::move(item));
  // What the device will parse must parse here too.
  syncml::Message probe;
  probe.header.session_id = probe.header.msg_id = "1";
  probe.header.target = probe.header.source = "x";
  probe.body.push_back(c);
  auto xml = syncml::serialize(probe);
  if (!xml || !syncml::parse(*xml)) return make_error("bad_command", "the command does not form");
  return c;
}

}  // namespace

void add_windows_admin_routes(net::Router& router, store::WindowsStore& store,
                              store::AgentStore& agents, store::ScimStore& scim,
                              std::shared_ptr<Clock> clock, const std::string& token) {
  router.add(
      "GET", "/admin/v1/windows/devices",
      require_bearer(token,
                     [&store, &agents, &scim](const HttpRequest&) -> asio::awaitable<HttpResponse> {
                       auto all = co_await store.windows_enrollments();
                       if (!all) co_return store_failure(all.error());
                       json out = json::array();
                       for (const auto& e : *all) {
                         auto j = to_json(e);
                         std::string id = e.device_id;
                         auto host = co_await agents.windows_host(id);
                         if (!host) co_return store_failure(host.error());
                         j["host_uuid"] = *host;
                         if (!host->empty()) {
                           std::string host_uuid = *host;
                           auto account = co_await agents.host_account(host_uuid);
                           if (!account) co_return store_failure(account.error());
                           if (*account)
                             j["idp_account"] = {{"email", (*account)->email},
                                                 {"first_name", (*account)->first_name},
                                                 {"last_name", (*account)->last_name}};
                           auto scim_user = co_await scim.host_scim_user(host_uuid);
                           if (!scim_user) co_return store_failure(scim_user.error());
                           if (*scim_user)
                             j["scim_user"] = {{"id", (*scim_user)->user.id},
                                               {"user_name", (*scim_user)->user.user_name},
                                               {"given_name", (*scim_user)->user.given_name},
                                               {"family_name", (*scim_user)->user.family_name},
                                               {"active", (*scim_user)->user.active}};
                         }
                         out.push_back(std::move(j));
                       }
                       co_return json_answer(200, json{{"devices", out}});
                     }));
  router.add(
      "PUT", "/admin/v1/idp/accounts",
      require_bearer(token, [&agents](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
        json body;
        if (auto refusal = read_json_object(req, body)) co_return std::move(*refusal);
        store::IdpAccount a;
        a.email = text_of(body, "email");
        a.first_name = text_of(body, "first_name");
        a.last_name = text_of(body, "last_name");
        if (a.email.empty() || a.email.size() > 320 || a.email.find('@') == std::string::npos)
          co_return json_error(400, "bad_request", "email is an address");
        auto stored = co_await agents.upsert_idp_account(a);
        if (!stored) co_return store_failure(stored.error());
        co_return json_answer(200, json{{"email", stored->email},
                                        {"first_name", stored->first_name},
                                        {"last_name", stored->last_name}});
      }));
  router.add(
      "POST", "/admin/v1/windows/commands",
      require_bearer(
          token, [&store, clock](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
            json body;
            if (auto refusal = read_json_object(req, body)) co_return std::move(*refusal);
            const auto device_id = text_of(body, "device_id");
            if (device_id.empty())
              co_return json_error(400, "bad_request", "device_id is required");
            auto command = command_from(body);
            if (!command) co_return json_error(400, command.error().code, command.error().message);
            auto enrollment = co_await store.windows_enrollment(device_id);
            if (!enrollment) co_return store_failure(enrollment.error());
            if (!*enrollment)
              co_return json_error(404, "not_found", "no Windows device " + device_id);
            store::WindowsCommand c;
            c.command_uuid = crypto::random_uuid();
            c.device_id = device_id;
            c.verb = command->name;
            auto element = syncml::serialize_command(*command);
            if (!element) co_return json_error(400, "bad_command", element.error().message);
            c.syncml = std::move(*element);
            c.created_at = clock->now();
            auto queued = co_await store.enqueue_windows_command(c);
            if (!queued) co_return store_failure(queued.error());
            co_return json_answer(201, json{{"command_uuid", c.command_uuid}, {"verb", c.verb}});
          }));
  router.add(
      "GET", "/admin/v1/windows/commands/*",
      require_bearer(token, [&store](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
        const auto path = req.path();
        const auto uuid = path.substr(path.rfind('/') + 1);
        auto c = co_await store.windows_command(uuid);
        if (!c) co_return store_failure(c.error());
        if (!*c) co_return json_error(404, "not_found", "no command " + uuid);
        auto results = json::parse((*c)->results, nullptr, false);
        co_return json_answer(200, json{{"command_uuid", (*c)->command_uuid},
                                        {"device_id", (*c)->device_id},
                                        {"verb", (*c)->verb},
                                        {"status", (*c)->status},
                                        {"results", results.is_array() ? results : json::array()},
                                        {"syncml", (*c)->syncml},
                                        {"answered_at", unix_seconds((*c)->answered_at)}});
      }));
}

}  // namespace mdmlab::server::admin
