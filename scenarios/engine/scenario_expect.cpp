// Expectations: what each party reports (the server through its admin API, the APNs simulator
// through its control API, a simulated device directly), polled until it matches or the
// deadline passes. On failure, describe_parties() attaches what every party last said.
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "scenarios/engine/scenario_run.hpp"

namespace mdmlab::scenarios {
namespace asio = boost::asio;
using nlohmann::json;

namespace {
bool matches(const json& e, const json& seen) {
  if (e.contains("equals")) {
    const auto& want = e["equals"];
    if (want.is_number() && seen.is_number()) return want.get<double>() == seen.get<double>();
    return want == seen;
  }
  auto needle = e["contains"].is_string() ? e["contains"].get<std::string>() : e["contains"].dump();
  auto hay = seen.is_string() ? seen.get<std::string>() : seen.dump();
  return hay.find(needle) != std::string::npos;
}

// Fields of the APNs delivery log of one token: count, and per state (delivered, stored,
// coalesced, expired, rejected, queued), last_state, last_status, last_reason.
json delivery_field(const json& deliveries, const std::string& field) {
  if (field == "count") return deliveries.size();
  if (field.rfind("last_", 0) == 0) {
    if (deliveries.empty()) return nullptr;
    return deliveries.back().value(field.substr(5), json(nullptr));
  }
  int n = 0;
  for (const auto& d : deliveries) n += d.value("state", std::string()) == field;
  return n;
}
}  // namespace

asio::awaitable<json> ScenarioRun::observe(const json& e) {
  const std::string field = e["field"].get<std::string>();
  const auto& ep = env_->endpoints();
  if (e.contains("server.device")) {
    auto* mac = device(e["server.device"].get<std::string>());
    if (!mac) co_return json("no such device in the scenario");
    auto res = co_await call(ep.admin_url, "GET", "/admin/v1/apple/devices", "", true);
    if (!res || res->status != 200) co_return json(nullptr);
    auto body =
        json::parse(res->body, nullptr, false);  // named: a range-for over a temporary dangles
    if (body.is_discarded() || !body.contains("devices")) co_return json(nullptr);
    const auto id = mac->enrollment_id(e.value("channel", "") == "user");
    for (const auto& d : body["devices"])
      if (d["udid"] == id) co_return d.value(field, json(nullptr));
    co_return field == "state" ? json("absent") : json(nullptr);
  }
  if (e.contains("server.command")) {
    auto uuid = resolve(e["server.command"].get<std::string>());
    auto target = "/admin/v1/apple/commands/" + net::percent_encode(uuid);
    auto res = co_await call(ep.admin_url, "GET", target, "", true);
    if (!res || res->status != 200) co_return json(nullptr);
    std::string udid;
    if (e.contains("device"))
      if (auto* mac = device(e["device"].get<std::string>()))
        udid = mac->enrollment_id(e.value("channel", "") == "user");
    auto body = json::parse(res->body, nullptr, false);
    if (body.is_discarded() || !body.contains("results")) co_return json(nullptr);
    for (const auto& r : body["results"])
      if (udid.empty() || r["udid"] == udid) co_return r.value(field, json(nullptr));
    co_return json(nullptr);
  }
  if (e.contains("apns.deliveries")) {
    auto* mac = device(e["apns.deliveries"].get<std::string>());
    if (!mac) co_return json("no such device in the scenario");
    auto target = "/control/v1/deliveries?token=" + hex_encode(mac->push_token());
    auto res = co_await call(ep.apns_control_url, "GET", target, "", false);
    if (!res || res->status != 200) co_return json(nullptr);
    auto body = json::parse(res->body, nullptr, false);
    if (body.is_discarded() || !body.contains("deliveries")) co_return json(nullptr);
    co_return delivery_field(body["deliveries"], field);
  }
  if (e.contains("device")) {
    auto* mac = device(e["device"].get<std::string>());
    if (!mac) co_return json(nullptr);
    if (field == "state") co_return json(std::string(simulators::mac::to_string(mac->state())));
    if (field == "profiles") co_return json(mac->responder().profiles().size());
    if (field == "last_error") co_return json(mac->last_error());
    if (field == "pushes_received") co_return json(mac->push_counts().received);
    if (field == "online") co_return json(mac->online());
    if (field == "device_channel_commands") co_return json(mac->commands_received(false));
    if (field == "user_channel_commands") co_return json(mac->commands_received(true));
    if (field == "bootstrap_token")  // what the last GetBootstrapToken returned
      co_return mac->bootstrap_token() ? json(mdmlab::to_string(*mac->bootstrap_token()))
                                       : json(nullptr);
    co_return json(nullptr);
  }
  co_return json(nullptr);
}

asio::awaitable<Result<void>> ScenarioRun::expect(const Step& step) {
  auto within = step.within.count() ? step.within : options_.default_within;
  auto deadline = std::chrono::steady_clock::now() + within;
  json seen;
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  observing_ = true;
  for (;;) {
    seen = co_await observe(step.expect);
    if (matches(step.expect, seen)) {
      observing_ = false;
      co_return success();
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    timer.expires_after(std::chrono::milliseconds(50));
    co_await timer.async_wait(asio::use_awaitable);
  }
  observing_ = false;
  auto want = step.expect.contains("equals") ? "equals " + step.expect["equals"].dump()
                                             : "contains " + step.expect["contains"].dump();
  co_return make_error("expectation", "expected " + step.expect["field"].get<std::string>() + " " +
                                          want + " within " + std::to_string(within.count()) +
                                          "ms, last seen " + seen.dump());
}

// What each party said last, for the failure report (no secrets: tokens and challenges are
// never part of these answers).
asio::awaitable<void> ScenarioRun::describe_parties(ScenarioResult& result) {
  const auto& ep = env_->endpoints();
  auto wire = transcript_->lines();
  observing_ = true;  // the describing calls below stay out of it
  for (auto& [id, mac] : devices_) {
    result.log.push_back("device " + id + ": udid " + mac->identity().udid + ", state " +
                         std::string(simulators::mac::to_string(mac->state())) + ", online " +
                         (mac->online() ? "yes" : "no") + ", pushes received " +
                         std::to_string(mac->push_counts().received) +
                         (mac->last_error().empty() ? "" : ", last error " + mac->last_error()));
  }
  if (!ep.admin_url.empty()) {
    auto res = co_await call(ep.admin_url, "GET", "/admin/v1/apple/devices", "", true);
    if (res) result.log.push_back("server devices: " + res->body);
  }
  if (!ep.apns_control_url.empty()) {
    auto res = co_await call(ep.apns_control_url, "GET", "/control/v1/deliveries", "", false);
    if (res) result.log.push_back("apns deliveries: " + res->body);
  }
  // The wire, as every party of this scenario saw it (the describing calls above excluded).
  observing_ = false;
  result.log.push_back("wire transcript (" + std::to_string(wire.size()) +
                       " lines, secrets redacted):");
  for (auto& l : wire) result.log.push_back("  " + l);
}

}  // namespace mdmlab::scenarios
