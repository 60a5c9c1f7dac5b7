// Steps that act on the simulated services around the server: APNs (apns.*), ABM (abm.*, and
// server.dep_sync, which has the server sync and waits for the assignments to show at ABM) and
// the virtual clock (clock.advance).
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/net/http_message.hpp"
#include "scenarios/engine/scenario_run.hpp"

namespace mdmlab::scenarios {
namespace asio = boost::asio;
using nlohmann::json;

// server.dep_sync: mdmlab's admin API (when the target has it) runs a sync pass now (a pass
// that failed fails the step); any server then has 30 s to get its ADE profile (the one the
// admin API names, when there is one) assigned to the named devices at the ABM simulator. A
// pass ABM throttled is not a failure: the server must try again once the Retry-After passed.
asio::awaitable<Result<void>> ScenarioRun::dep_sync(const Step& step) {
  const auto& ep = env_->endpoints();
  std::string ours;  // the server's ADE profile, when its admin API says which
  if (!ep.admin_url.empty() && !ep.admin_token.empty()) {
    auto res = co_await call(ep.admin_url, "POST", "/admin/v1/apple/dep/sync", "", true);
    if (!res) co_return res.error();
    if (res->status != 200)
      co_return make_error("dep_sync_failed",
                           "admin API answered " + std::to_string(res->status) + ": " + res->body);
    auto status = json::parse(res->body, nullptr, false);
    if (!status.is_object()) co_return make_error("dep_sync_failed", "unreadable status");
    const auto last_error = status.value("last_error", std::string());
    // Throttled (429 + Retry-After) is no failure: the server waits and tries again itself.
    if (!last_error.empty() && last_error.rfind("dep_throttled", 0) != 0)
      co_return make_error("dep_sync_failed", "the pass failed: " + last_error);
    if (status.contains("profile_uuid") && status["profile_uuid"].is_string())
      ours = status["profile_uuid"].get<std::string>();
  }
  std::vector<std::string> serials;
  for (const auto& name : device_names(step.with)) {
    auto* mac = device(name);
    if (!mac) co_return make_error("unknown_party", "no device " + name);
    serials.push_back(mac->identity().serial_number);
  }
  std::string waiting;
  for (int attempt = 0; attempt < 300; ++attempt) {
    auto res = co_await call(ep.abm_control_url, "GET", "/control/v1/devices", "", false, false);
    if (!res) co_return res.error();
    auto body = json::parse(res->body, nullptr, false);
    if (!body.is_object() || !body.contains("devices") || !body["devices"].is_array())
      co_return make_error("abm_control", "the ABM simulator's device list is unreadable");
    waiting.clear();
    for (const auto& serial : serials) {
      bool assigned = false;
      for (const auto& d : body["devices"]) {
        if (!d.is_object() || !d.contains("serial_number") || d["serial_number"] != serial)
          continue;
        const auto uuid = d.contains("profile_uuid") && d["profile_uuid"].is_string()
                              ? d["profile_uuid"].get<std::string>()
                              : std::string();
        assigned = !uuid.empty() && (ours.empty() || uuid == ours);
      }
      if (!assigned) waiting += (waiting.empty() ? "" : ", ") + serial;
    }
    if (waiting.empty()) co_return success();
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(100));
    co_await timer.async_wait(asio::use_awaitable);
    // While the step waits, scenario time passes as fast as real time (a server waiting out a
    // Retry-After on the harness clock gets there).
    if (ep.clock) ep.clock->advance(std::chrono::milliseconds(100));
  }
  co_return make_error("dep_not_assigned",
                       "30 s on, ABM shows no ADE profile assigned to " + waiting);
}

// entra.add_user: a user in the Entra simulator's tenant (its control API). entra.provision:
// one provisioning cycle of the tenant's users to the server's SCIM endpoint.
asio::awaitable<Result<void>> ScenarioRun::entra_action(const std::string& verb, const Step& step) {
  const auto& ep = env_->endpoints();
  if (verb == "provision") {
    json body{{"scim_url", ep.admin_url + "/api/latest/fleet/scim"}, {"token", ep.admin_token}};
    if (ep.admin_url.rfind("https://", 0) == 0 && !ep.windows_roots.empty())
      body["ca_pem"] = ep.windows_roots.front().to_pem();
    auto res =
        co_await call(ep.entra_control_url, "POST",
                      "/control/v1/tenants/" + net::percent_encode(ep.entra_tenant) + "/provision",
                      body.dump(), false);
    if (!res) co_return res.error();
    auto cycle = json::parse(res->body, nullptr, false);
    if (res->status != 200 || !cycle.is_object())
      co_return make_error(
          "entra_provisioning",
          "the Entra simulator answered " + std::to_string(res->status) + ": " + res->body);
    if (cycle.contains("failures") && cycle["failures"].is_array() && !cycle["failures"].empty())
      co_return make_error("entra_provisioning",
                           "the server's SCIM endpoint refused users: " + cycle["failures"].dump());
    co_return success();
  }
  if (verb != "add_user") co_return make_error("unknown_action", "entra cannot '" + verb + "'");
  json body{{"upn", step.with.value("upn", std::string())},
            {"password", step.with.value("password", std::string())}};
  if (step.with.contains("display_name")) body["display_name"] = step.with["display_name"];
  if (step.with.contains("enabled")) body["enabled"] = step.with["enabled"];
  if (step.with.contains("given_name")) body["given_name"] = step.with["given_name"];
  if (step.with.contains("surname")) body["surname"] = step.with["surname"];
  auto res = co_await call(ep.entra_control_url, "POST",
                           "/control/v1/tenants/" + net::percent_encode(ep.entra_tenant) + "/users",
                           body.dump(), false);
  if (!res) co_return res.error();
  if (res->status != 201)
    co_return make_error("entra_control", "the Entra simulator answered " +
                                              std::to_string(res->status) + ": " + res->body);
  co_return success();
}

asio::awaitable<Result<void>> ScenarioRun::abm_action(const std::string& verb, const Step& step) {
  const auto& ep = env_->endpoints();
  Result<net::HttpResponse> res;
  if (verb == "add_device") {
    json devices = json::array();
    for (const auto& name : device_names(step.with)) {
      auto* mac = device(name);
      if (!mac) co_return make_error("unknown_party", "no device " + name);
      devices.push_back({{"serial_number", mac->identity().serial_number},
                         {"model", mac->identity().model_name},
                         {"description", mac->identity().model}});
    }
    auto text = json{{"devices", devices}}.dump();
    res = co_await call(ep.abm_control_url, "POST", "/control/v1/devices", text, false);
  } else if (verb == "remove_device") {
    auto names = device_names(step.with);
    auto* mac = names.empty() ? nullptr : device(names.front());
    if (!mac) co_return make_error("bad_step", "abm.remove_device needs a device");
    auto target = "/control/v1/devices/" + net::percent_encode(mac->identity().serial_number);
    res = co_await call(ep.abm_control_url, "DELETE", target, "", false);
  } else if (verb == "fault") {
    auto text = step.with.dump();
    res = co_await call(ep.abm_control_url, "POST", "/control/v1/faults", text, false);
  } else if (verb == "expire_cursors") {
    res = co_await call(ep.abm_control_url, "POST", "/control/v1/cursors/expire", "", false);
  } else if (verb == "expire_sessions") {
    res = co_await call(ep.abm_control_url, "POST", "/control/v1/sessions/expire", "", false);
  } else {
    co_return make_error("unknown_action", "ABM cannot '" + verb + "'");
  }
  if (!res) co_return res.error();
  if (res->status >= 300)
    co_return make_error(
        "abm_control", "ABM simulator answered " + std::to_string(res->status) + ": " + res->body);
  co_return success();
}

// clock.advance {"by": "400d"}: moves the server's (and APNs') virtual time forward.
Result<void> ScenarioRun::advance_clock(const std::string& verb, const Step& step) {
  const auto& clock = env_->endpoints().clock;
  if (!clock) return make_error("no_clock", "this environment's clock cannot be moved");
  if (verb != "advance" || !step.with.contains("by") || !step.with["by"].is_string())
    return make_error("bad_step", "use clock.advance with {\"by\": \"2h\"}");
  auto by = parse_duration(step.with["by"].get<std::string>());
  if (!by) return by.error();
  clock->advance(*by);
  return success();
}

asio::awaitable<Result<void>> ScenarioRun::apns_action(const std::string& verb, const Step& step) {
  const auto& ep = env_->endpoints();
  std::string token;
  if (step.with.contains("device")) {
    auto* mac = device(step.with["device"].get<std::string>());
    if (!mac) co_return make_error("unknown_party", "no device " + step.with["device"].dump());
    if (mac->push_token().empty())
      co_return make_error("no_token", "the device has no push token yet");
    token = hex_encode(mac->push_token());
  }
  Result<net::HttpResponse> res;
  if (verb == "fault") {
    json body = step.with;
    body.erase("device");
    if (!token.empty()) body["token"] = token;
    auto text = body.dump();
    res = co_await call(ep.apns_control_url, "POST", "/control/v1/faults", text, false);
  } else if (verb == "clear_faults") {
    res = co_await call(ep.apns_control_url, "DELETE", "/control/v1/faults", "", false);
  } else if (verb == "unregister") {
    if (token.empty()) co_return make_error("bad_step", "apns.unregister needs a device");
    auto target = "/control/v1/tokens/" + token + "/unregister";
    res = co_await call(ep.apns_control_url, "POST", target, "", false);
  } else {
    co_return make_error("unknown_action", "APNs cannot '" + verb + "'");
  }
  if (!res) co_return res.error();
  if (res->status >= 300)
    co_return make_error("apns_control", "APNs simulator answered " + std::to_string(res->status) +
                                             ": " + res->body);
  co_return success();
}

}  // namespace mdmlab::scenarios
