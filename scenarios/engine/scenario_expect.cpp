// Expectations: what each party reports (the server through its admin API, the APNs simulator
// through its control API, a simulated device directly), polled until it matches or the
// deadline passes. On failure, describe_parties() attaches what every party last said.
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "scenarios/engine/actions.hpp"
#include "scenarios/engine/matchers.hpp"
#include "scenarios/engine/scenario_run.hpp"

namespace mdmlab::scenarios {
namespace asio = boost::asio;
using nlohmann::json;

namespace {
// The APNs delivery log of one token as a document: count, per state (delivered, stored,
// coalesced, expired, rejected, queued), last_state, last_status, last_reason, deliveries.
json deliveries_document(const json& deliveries) {
  json doc{{"count", deliveries.size()}, {"deliveries", deliveries}};
  for (const char* state : {"delivered", "stored", "coalesced", "expired", "rejected", "queued"}) {
    int n = 0;
    for (const auto& d : deliveries) n += d.value("state", std::string()) == state;
    doc[state] = n;
  }
  if (!deliveries.empty())
    for (const char* field : {"state", "status", "reason"})
      if (deliveries.back().contains(field))
        doc[std::string("last_") + field] = deliveries.back()[field];
  return doc;
}
}  // namespace

// What the expectation's subject reports now, as one JSON document its path reads from
// (null when the party could not be asked).
asio::awaitable<json> ScenarioRun::observe(const json& e) {
  const auto& ep = env_->endpoints();
  const bool user = e.value("channel", "") == "user";
  if (e.contains("server.device")) {
    auto* mac = device(e["server.device"].get<std::string>());
    if (!mac) co_return json(nullptr);
    auto res = co_await call(ep.admin_url, "GET", "/admin/v1/apple/devices", "", true, false);
    if (!res || res->status != 200) co_return json(nullptr);
    auto body =
        json::parse(res->body, nullptr, false);  // named: a range-for over a temporary dangles
    if (body.is_discarded() || !body.contains("devices")) co_return json(nullptr);
    const auto id = mac->enrollment_id(user);
    for (const auto& d : body["devices"])
      if (d["udid"] == id) co_return d;
    co_return json{{"state", "absent"}, {"udid", id}};
  }
  if (e.contains("server.ddm")) {
    auto doc = co_await observe_ddm(e["server.ddm"].get<std::string>());
    co_return doc;
  }
  if (e.contains("server.command")) {
    auto uuid = e["server.command"].get<std::string>();  // $names resolved by run_step
    if (ep.admin_token.empty()) co_return co_await observe_command_results(e, uuid);
    auto target = "/admin/v1/apple/commands/" + net::percent_encode(uuid);
    auto res = co_await call(ep.admin_url, "GET", target, "", true, false);
    if (!res || res->status != 200) co_return json(nullptr);
    std::string udid;
    if (e.contains("device"))
      if (auto* mac = device(e["device"].get<std::string>())) udid = mac->enrollment_id(user);
    auto body = json::parse(res->body, nullptr, false);
    if (body.is_discarded() || !body.contains("results")) co_return json(nullptr);
    for (const auto& r : body["results"])
      if (udid.empty() || r["udid"] == udid) co_return r;
    co_return json(nullptr);
  }
  if (e.contains("apns.deliveries")) {
    auto* mac = device(e["apns.deliveries"].get<std::string>());
    if (!mac) co_return json(nullptr);
    auto target = "/control/v1/deliveries?token=" + hex_encode(mac->push_token());
    auto res = co_await call(ep.apns_control_url, "GET", target, "", false, false);
    if (!res || res->status != 200) co_return json(nullptr);
    auto body = json::parse(res->body, nullptr, false);
    if (body.is_discarded() || !body.contains("deliveries")) co_return json(nullptr);
    co_return deliveries_document(body["deliveries"]);
  }
  if (e.contains("server.windows_device")) {
    auto doc = co_await observe_windows_device(e["server.windows_device"].get<std::string>());
    co_return doc;
  }
  if (e.contains("server.windows_command")) {
    auto uuid = e["server.windows_command"].get<std::string>();  // $names resolved by run_step
    auto target = "/admin/v1/windows/commands/" + net::percent_encode(uuid);
    auto res = co_await call(ep.admin_url, "GET", target, "", true, false);
    if (!res || res->status != 200) co_return json(nullptr);
    auto body = json::parse(res->body, nullptr, false);
    co_return body.is_object() ? body : json(nullptr);
  }
  if (e.contains("abm.api")) {
    auto res = co_await call(ep.abm_control_url, "GET", "/control/v1/stats", "", false, false);
    if (!res || res->status != 200) co_return json(nullptr);
    auto body = json::parse(res->body, nullptr, false);
    co_return body.is_object() ? body : json(nullptr);
  }
  if (e.contains("abm.device")) {
    auto* mac = device(e["abm.device"].get<std::string>());
    if (!mac) co_return json(nullptr);
    auto res = co_await call(ep.abm_control_url, "GET", "/control/v1/devices", "", false, false);
    if (!res || res->status != 200) co_return json(nullptr);
    auto body = json::parse(res->body, nullptr, false);  // named: see server.device
    if (body.is_discarded() || !body.contains("devices")) co_return json(nullptr);
    if (!body["devices"].is_array()) co_return json(nullptr);
    for (const auto& d : body["devices"])
      if (d.is_object() && d.contains("serial_number") &&
          d["serial_number"] == mac->identity().serial_number) {
        json doc = d;
        doc["state"] = "present";
        if (!doc.contains("profile_uuid")) doc["profile_uuid"] = "";
        co_return doc;
      }
    co_return json{{"state", "absent"}, {"serial_number", mac->identity().serial_number}};
  }
  if (auto* windows = pc(e["device"].get<std::string>())) co_return pc_document(*windows);
  auto* mac = device(e["device"].get<std::string>());
  if (!mac) co_return json(nullptr);
  json commands = json::array();
  for (const auto& c : mac->received_commands())
    commands.push_back({{"channel", c.channel},
                        {"request_type", c.request_type},
                        {"command_uuid", c.command_uuid},
                        {"status", c.status},
                        {"command", c.command}});
  json doc{{"state", std::string(simulators::mac::to_string(mac->state()))},
           {"udid", mac->identity().udid},
           {"profiles", mac->responder().profiles().size()},
           {"last_error", mac->last_error()},
           {"pushes_received", mac->push_counts().received},
           {"online", mac->online()},
           {"device_channel_commands", mac->commands_received(false)},
           {"user_channel_commands", mac->commands_received(true)},
           {"scep_retries", mac->scep_retries()},
           {"awaiting_configuration", mac->awaiting_configuration()},
           {"supervised", mac->responder().supervised()},
           {"ddm", mac->declarative_agent().snapshot()},
           {"sso_user", mac->sso_user()},
           {"commands", commands}};
  if (!mac->cloud_configuration().empty())
    doc["cloud_configuration"] = json::parse(mac->cloud_configuration(), nullptr, false);
  // The identity the device installed, and from which payload; the profile it installed.
  const auto& source = mac->identity_source();
  if (!mac->identity_certificate().empty()) {
    const auto& cert = mac->identity_certificate();
    const auto names = cert.subject_alt_names();
    doc["identity"] = {
        {"source", source.payload_type == "com.apple.security.pkcs12" ? "pkcs12" : "scep"},
        {"payload_uuid", source.payload_uuid},
        {"subject", cert.subject()},
        {"issuer", cert.issuer()},
        {"key_bits", EVP_PKEY_get_bits(cert.public_key())},
        {"subject_alt_names",
         {{"dns", names.dns},
          {"rfc822", names.rfc822},
          {"uri", names.uri},
          {"nt_principal", names.nt_principal}}},
        {"requested_key_usage", crypto::key_usage_names(source.requested_key_usage)}};
  }
  if (const auto& p = mac->enrollment_profile()) {
    doc["profile"] = {{"identifier", p->identifier},
                      {"signed", p->signed_by_cms},
                      {"signer", p->signed_by_cms ? p->signer.subject() : ""},
                      {"pinned", p->mdm && !p->mdm->server_pinning_uuids.empty()}};
  }
  if (const auto& f = mac->install_failure())
    doc["install_failure"] = {{"payload", f->payload_type},
                              {"identifier", f->payload_identifier},
                              {"key", f->key},
                              {"reason", f->reason}};
  if (mac->bootstrap_token())  // what the last GetBootstrapToken returned
    doc["bootstrap_token"] = mdmlab::to_string(*mac->bootstrap_token());
  co_return doc;
}

// server.command on a target without mdmlab's admin API: its webhook events or its result URL
// (command_results.hpp). `device` picks whose result; without it, any device's (webhook) or the
// first device's (URL).
asio::awaitable<json> ScenarioRun::observe_command_results(const json& e, const std::string& uuid) {
  const auto& ep = env_->endpoints();
  const bool user = e.value("channel", "") == "user";
  std::string udid;
  if (e.contains("device")) {
    if (auto* mac = device(e["device"].get<std::string>())) udid = mac->enrollment_id(user);
  } else if (!devices_.empty() && !ep.webhook_inbox) {
    udid = devices_.begin()->second->enrollment_id(user);
  }
  if (ep.webhook_inbox) co_return ep.webhook_inbox->command_document(uuid, udid);
  if (!ep.command_results) co_return json(nullptr);
  auto executor = co_await asio::this_coro::executor;
  auto fetched = co_await fetch_command_result(executor, *ep.command_results, udid, uuid, nullptr);
  co_return fetched ? *fetched : json(nullptr);
}

asio::awaitable<Result<void>> ScenarioRun::expect(const Step& step) {
  const bool stays = step.stays.count() > 0;
  auto span = stays ? step.stays : step.within.count() ? step.within : options_.default_within;
  auto deadline = std::chrono::steady_clock::now() + span;
  // Virtual time: the span passes on the scenario's clock in 50 ticks, one per poll, while the
  // real time between polls stays short.
  const auto& clock = env_->endpoints().clock;
  const bool virtual_time = step.virtual_time && clock;
  const auto tick = std::max<std::chrono::nanoseconds>(span / 50, std::chrono::seconds(1));
  const auto virtual_deadline = virtual_time ? clock->now() + span : TimePoint{};
  const auto field = step.expect["field"].get<std::string>();
  const auto path = parse_path(field).value();  // the parser checked it
  std::optional<json> seen;
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  bool held = false;
  for (;;) {
    auto doc = co_await observe(step.expect);
    seen = lookup(doc, path);
    held = matches(step.expect, seen);
    // within: done at the first match; stays: done at the first miss or when the span ends.
    if (held != stays) break;
    if (virtual_time) {
      if (clock->now() >= virtual_deadline) break;
      clock->advance(std::min<std::chrono::nanoseconds>(tick, virtual_deadline - clock->now()));
      timer.expires_after(std::chrono::milliseconds(10));
    } else {
      if (std::chrono::steady_clock::now() >= deadline) break;
      timer.expires_after(std::chrono::milliseconds(50));
    }
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (held) co_return success();
  auto last = seen ? seen->dump() : std::string("nothing (the path is absent)");
  if (last.size() > 400) last = last.substr(0, 397) + "...";
  // The runner's polls stay out of the transcript; the last one that decided the failure goes
  // in, so the report's diagram shows what was seen where the step failed.
  std::string subject = "runner";
  for (const auto& s : subject_table())
    if (step.expect.contains(s.key) && step.expect[s.key].is_string())
      subject = std::string(s.key) == "device"             ? step.expect[s.key].get<std::string>()
                : std::string(s.key) == "apns.deliveries"  ? "apns"
                : std::string(s.key).rfind("abm.", 0) == 0 ? "abm"
                                                           : "server";
  transcript_->event(
      subject, "runner",
      "observed " + field + " = " + last + " (expected " + describe_matchers(step.expect) + ")",
      seen ? seen->dump(2) : std::string(), std::chrono::system_clock::now());
  co_return make_error("expectation",
                       "expected " + field + " " + describe_matchers(step.expect) +
                           (stays ? " throughout " : " within ") + std::to_string(span.count()) +
                           "ms" + (virtual_time ? " of virtual time" : "") +
                           (stays ? ", but it did not hold; seen " : ", last seen ") + last);
}

// What each party said last, for the failure report (no secrets: tokens and challenges are
// never part of these answers).
asio::awaitable<void> ScenarioRun::describe_parties(ScenarioResult& result) {
  const auto& ep = env_->endpoints();
  auto wire = transcript_->lines();
  for (auto& [id, mac] : devices_) {
    result.log.push_back("device " + id + ": udid " + mac->identity().udid + ", state " +
                         std::string(simulators::mac::to_string(mac->state())) + ", online " +
                         (mac->online() ? "yes" : "no") + ", pushes received " +
                         std::to_string(mac->push_counts().received) +
                         (mac->last_error().empty() ? "" : ", last error " + mac->last_error()));
  }
  if (!ep.admin_url.empty()) {
    auto res = co_await call(ep.admin_url, "GET", "/admin/v1/apple/devices", "", true, false);
    if (res) result.log.push_back("server devices: " + res->body);
  }
  if (!ep.apns_control_url.empty()) {
    auto res =
        co_await call(ep.apns_control_url, "GET", "/control/v1/deliveries", "", false, false);
    if (res) result.log.push_back("apns deliveries: " + res->body);
  }
  // The wire, as every party of this scenario saw it (the describing calls above excluded).
  result.log.push_back("wire transcript (" + std::to_string(wire.size()) +
                       " lines, secrets redacted):");
  for (auto& l : wire) result.log.push_back("  " + l);
}

}  // namespace mdmlab::scenarios
