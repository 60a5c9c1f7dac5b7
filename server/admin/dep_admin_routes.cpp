#include "server/admin/dep_admin_routes.hpp"

#include <nlohmann/json.hpp>

#include <cctype>

#include "server/admin/bearer_auth.hpp"
#include "server/admin/json_responses.hpp"

namespace mdmlab::server::admin {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;

namespace {
json time_or_null(TimePoint t) {
  return t == TimePoint{} ? json(nullptr) : json(unix_seconds(t));
}

json to_json(const apple::ade::DepSyncStatus& s) {
  return {{"phase", s.phase},
          {"profile_uuid", s.profile_uuid},
          {"cursor", s.cursor_state},
          {"last_run_at", time_or_null(s.last_run_at)},
          {"last_success_at", time_or_null(s.last_success_at)},
          {"next_run_at", time_or_null(s.next_run_at)},
          {"last_error", s.last_error},
          {"passes", s.passes},
          {"devices_seen", s.devices_seen},
          {"assigned", s.assigned}};
}

json to_json(const store::DepDeviceRecord& d) {
  return {{"serial_number", d.serial_number},
          {"model", d.model},
          {"os", d.os},
          {"device_family", d.device_family},
          {"description", d.description},
          {"color", d.color},
          {"op_type", d.op_type},
          {"op_date", d.op_date},
          {"profile_uuid", d.profile_uuid},
          {"profile_status", d.profile_status},
          {"assign_result", d.assign_result},
          {"deleted", d.deleted},
          {"updated_at", unix_seconds(d.updated_at)}};
}
}  // namespace

void add_dep_admin_routes(net::Router& router, apple::ade::DepSyncer& syncer,
                          store::DepStore& store, const std::string& token) {
  router.add("GET", "/admin/v1/apple/dep",
             require_bearer(token, [&syncer](const HttpRequest&) -> asio::awaitable<HttpResponse> {
               co_return json_answer(200, to_json(syncer.status()));
             }));
  router.add("POST", "/admin/v1/apple/dep/sync",
             require_bearer(token, [&syncer](const HttpRequest&) -> asio::awaitable<HttpResponse> {
               auto status = co_await syncer.sync_now();
               co_return json_answer(200, to_json(status));
             }));
  router.add("GET", "/admin/v1/apple/dep/devices",
             require_bearer(token, [&store](const HttpRequest&) -> asio::awaitable<HttpResponse> {
               auto list = co_await store.dep_devices();
               if (!list) co_return store_failure(list.error());
               json out = json::array();
               for (const auto& d : *list) out.push_back(to_json(d));
               co_return json_answer(200, json{{"devices", out}});
             }));
  router.add(
      "DELETE", "/admin/v1/apple/dep/devices/*",
      require_bearer(token, [&syncer](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
        const std::string prefix = "/admin/v1/apple/dep/devices/";
        const auto serial = req.path().substr(prefix.size());
        if (serial.empty() || serial.find('/') != std::string::npos)
          co_return json_error(404, "not_found", "no such device path");
        // Apple serial numbers are letters and digits; anything else names no device.
        for (char c : serial)
          if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
            co_return json_error(400, "bad_serial", "a serial number is letters and digits");
        std::vector<std::string> serials = {serial};
        auto r = co_await syncer.remove(std::move(serials));
        if (!r) {
          if (store::is_store_unavailable(r.error())) co_return store_failure(r.error());
          co_return json_error(502, r.error().code, r.error().message);
        }
        co_return json_answer(200, json{{"devices", *r}});
      }));
}

}  // namespace mdmlab::server::admin
