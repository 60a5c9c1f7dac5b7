#include "scenarios/engine/scenario_run.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <unistd.h>

#include "core/net/body_view.hpp"
#include "protocol/conformance/rules.hpp"
#include "scenarios/engine/capabilities.hpp"
#include "scenarios/engine/profile_edits.hpp"
#include "scenarios/engine/seeded.hpp"
#include "scenarios/engine/variables.hpp"
#include "simulators/devices/mac/mac_catalog.hpp"

namespace mdmlab::scenarios {
namespace asio = boost::asio;
using nlohmann::json;

namespace {
// Who a device of the scenario is: its settings' model and macOS (by default a MacBook Air (M2)
// on 14.5), with a UDID and serial number in that model's real forms, seeded by the run's seed.
simulators::mac::MacIdentity identity_for(std::uint64_t seed, const Scenario& sc,
                                          const DeviceSpec& d) {
  return simulators::mac::realistic_identity(seeded_bytes(seed, sc.name + "/" + d.id),
                                             d.settings.value("model", std::string("Mac14,2")),
                                             d.settings.value("os", std::string("14.5")));
}
}  // namespace

ScenarioResult ScenarioRun::run() {
  ScenarioResult result;
  result.name = scenario_.name;
  result.tags = scenario_.tags;
  auto start = std::chrono::steady_clock::now();
  auto dir = std::filesystem::temp_directory_path() /
             ("mdmlab-run-" +
              seeded_hex(options_.seed, scenario_.name + std::to_string(::getpid())).substr(0, 12));
  std::filesystem::remove_all(dir);
  {
    net::IoRuntime io(2);
    io_ = &io;
    auto env = options_.target
                   ? make_target_environment(*options_.target)
                   : make_embedded_environment(io, options_.seed, dir, scenario_.server,
                                               needs_of(scenario_).count("abm") > 0,
                                               needs_of(scenario_).count("entra") > 0,
                                               needs_of(scenario_).count("windows") > 0);
    env_ = env.get();
    auto missing =
        options_.target ? missing_capability(scenario_, options_.target->endpoints) : std::string();
    if (!missing.empty()) {
      result.outcome = Outcome::skipped;
      result.message = "the target does not offer " + missing;
    } else if (auto started = env->start(); !started) {
      fail(result, -1, "cannot start the environment: " + started.error().message);
    } else {
      try {
        // One strand for the runner: a group's devices and parallel branches interleave on
        // it, so the runner's state (variables, the transcript's step marks) needs no locks.
        asio::co_spawn(asio::make_strand(io.executor()), steps(result), asio::use_future).get();
      } catch (const std::exception& e) {
        // A bug of ours, not the server's: the scenario fails with it instead of the run.
        fail(result, -1, std::string("internal error in the harness: ") + e.what());
      }
      for (auto& [id, mac] : devices_)
        asio::co_spawn(io.executor(), mac->shutdown(), asio::use_future).get();
      devices_.clear();
      pcs_.clear();
    }
    env->stop();
    env.reset();
    io.stop();
  }
  std::filesystem::remove_all(dir);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

asio::awaitable<void> ScenarioRun::steps(ScenarioResult& result) {
  std::size_t key_index = key_base_;
  const auto& ep = env_->endpoints();
  transcript_->add_secret(ep.scep_challenge);
  transcript_->add_secret(ep.admin_token);
  // Arrows in the sequence diagram go to parties, not origins.
  for (const auto& [url, party] :
       {std::pair{ep.profile_url, "server"}, std::pair{ep.admin_url, "server"},
        std::pair{ep.apns_control_url, "apns"}})
    if (auto u = net::Url::parse(url); u) transcript_->name_origin(u->origin(), party);
  for (const auto& d : scenario_.devices) {
    if (d.type == "windows") {
      if (auto added = add_pc(d, key_index++); !added) {
        fail(result, -1, "Windows PC " + d.id + ": " + added.error().message);
        co_return;
      }
      continue;
    }
    auto id = identity_for(options_.seed, scenario_, d);
    // same_udid_as: another device's UDID with this device's own key (a re-enrollment, or an
    // impostor).
    if (d.settings.contains("same_udid_as"))
      for (const auto& other : scenario_.devices)
        if (other.id == d.settings["same_udid_as"])
          id.udid = identity_for(options_.seed, scenario_, other).udid;
    id.device_name = d.id;
    if (d.settings.contains("user")) {
      id.user_short_name = d.settings["user"].get<std::string>();
      id.user_long_name = id.user_short_name + " (mdmlab)";
      id.user_id = seeded_uuid(options_.seed, scenario_.name + "/" + d.id + "/user");
    }
    simulators::mac::MacKnobs knobs;
    knobs.not_now_polls = d.settings.value("not_now_polls", 0);
    if (d.settings.contains("error_for"))
      for (const auto& t : d.settings["error_for"]) knobs.error_for.insert(t.get<std::string>());
    knobs.slow = std::chrono::milliseconds(d.settings.value("slow_ms", 0));
    // "apns": "online" (default when there is an APNs simulator), "offline" or "none".
    auto apns =
        d.settings.value("apns", std::string(ep.apns_control_url.empty() ? "none" : "online"));
    if (apns != "none") knobs.apns_url = ep.apns_control_url;
    knobs.apns_online = apns == "online";
    knobs.transcript = transcript_;
    knobs.conformance = conformance_;
    auto key = pool_.get(key_index++);
    if (!key) {
      fail(result, -1, "key pool: " + key.error().message);
      co_return;
    }
    devices_[d.id] = std::make_unique<Mac>(io_->executor(), id, *key, knobs);
  }
  for (const auto& step : scenario_.steps) result.steps.push_back({step.text, "not_run"});
  for (std::size_t i = 0; i < scenario_.steps.size(); ++i) {
    const auto& step = scenario_.steps[i];
    std::string note;
    auto& record = result.steps[i];
    record.start_ms = transcript_->now_ms();
    auto outcome = co_await run_step(step, note);
    record.ms = transcript_->now_ms() - record.start_ms;
    record.outcome = outcome ? "passed" : "failed";
    record.note = outcome ? (note.empty() ? std::string("ok") : note) : outcome.error().message;
    result.log.push_back("step " + std::to_string(i) + " " + step.text + " -> " + record.note);
    if (options_.progress) options_.progress("    " + result.log.back());
    if (!outcome) {
      fail(result, static_cast<int>(i),
           "scenario '" + scenario_.name + "' step " + std::to_string(i) + " " + step.text + ": " +
               outcome.error().message);
      name_profile_origins();
      co_await describe_parties(result);
      break;
    }
  }
  co_await collect_messages(result);
  collect_verdicts(result);
}

// A broken conformance rule fails the scenario (whatever its steps said), naming the rule, its
// source, the device that saw it and the message it came in.
void ScenarioRun::collect_verdicts(ScenarioResult& result) {
  result.rules_checked = conformance_->checks();
  for (const auto& v : conformance_->violations()) {
    const auto* rule = conformance::find_rule(v.rule);
    ScenarioResult::RuleViolation out{v.rule, rule ? rule->says : "", rule ? rule->source : "",
                                      v.party, v.detail};
    for (const auto& m : result.messages)
      if (m.to == v.party && m.t_ms <= v.at_ms + 0.001 && m.kind != "request")
        out.message_seq = m.seq;
    result.violations.push_back(std::move(out));
  }
  if (result.violations.empty()) return;
  const auto& first = result.violations.front();
  std::string message =
      "conformance: " + std::to_string(result.violations.size()) + " violation(s); first [" +
      first.rule + "] " + first.says + " (" + first.source + "): " + first.party + " saw " +
      first.detail +
      (first.message_seq ? " in message #" + std::to_string(first.message_seq) : std::string());
  result.log.push_back(message);
  if (result.outcome == Outcome::passed)
    fail(result, -1, message);
  else
    result.message += "; " + message;
}

// The transcript, with the pushes APNs accepted from the server (the server's HTTP/2 client is
// not ours to transcribe, so the APNs simulator's delivery log stands in for those arrows).
asio::awaitable<void> ScenarioRun::collect_messages(ScenarioResult& result) {
  const auto& ep = env_->endpoints();
  name_profile_origins();
  if (!ep.apns_control_url.empty()) {
    auto res =
        co_await call(ep.apns_control_url, "GET", "/control/v1/deliveries", "", false, false);
    auto body = res && res->status == 200 ? json::parse(res->body, nullptr, false) : json();
    if (body.is_object() && body.contains("deliveries") && body["deliveries"].is_array()) {
      std::map<std::string, std::string> device_of_token;
      for (auto& [id, mac] : devices_) device_of_token[hex_encode(mac->push_token())] = id;
      for (const auto& d : body["deliveries"]) {
        auto token = d.value("token", std::string());
        auto who = device_of_token.count(token) ? device_of_token[token] : "an unknown token";
        auto payload = json::parse(d.value("payload", std::string()), nullptr, false);
        if (payload.is_object() && payload.contains("mdm")) payload["mdm"] = "[redacted]";
        auto at = std::chrono::system_clock::time_point(
            std::chrono::milliseconds(d.value("received_wall_ms", std::int64_t{0})));
        transcript_->event("server", "apns",
                           "push for " + who + ": " + std::to_string(d.value("status", 0)) + " " +
                               d.value("reason", std::string()) + " (" +
                               d.value("state", std::string()) + ")",
                           payload.is_discarded() ? std::string() : payload.dump(2), at);
      }
    }
  }
  // The DEP calls the server made to the ABM simulator while this scenario ran.
  if (!ep.abm_control_url.empty()) {
    auto res = co_await call(ep.abm_control_url, "GET", "/control/v1/requests", "", false, false);
    auto body = res && res->status == 200 ? json::parse(res->body, nullptr, false) : json();
    if (body.is_object() && body.contains("requests") && body["requests"].is_array()) {
      for (const auto& c : body["requests"]) {
        auto at = std::chrono::system_clock::time_point(
            std::chrono::milliseconds(c.value("wall_ms", std::int64_t{0})));
        if (at < started_wall_) continue;
        transcript_->event("server", "abm",
                           c.value("method", std::string()) + " " + c.value("path", std::string()) +
                               ": " + std::to_string(c.value("status", 0)) + " " +
                               c.value("detail", std::string()),
                           "", at);
      }
    }
  }
  // Webhook events the target posted to the run's receiver while this scenario ran.
  if (ep.webhook_inbox) {
    std::map<std::string, std::string> device_of_udid;
    for (auto& [id, mac] : devices_) device_of_udid[mac->identity().udid] = id;
    for (const auto& [event, at] : ep.webhook_inbox->since(started_wall_)) {
      auto udid = event.udid.empty() ? event.enrollment_id : event.udid;
      auto who = device_of_udid.count(udid) ? device_of_udid[udid] : udid;
      auto summary =
          event.topic + " for " + who +
          (event.acknowledge
               ? ": " + event.status +
                     (event.command_uuid.empty() ? std::string() : " " + event.command_uuid)
               : std::string());
      // The raw payload of a TokenUpdate holds the push token and magic: redacted here.
      transcript_->event(
          "server", "webhook", summary,
          net::readable_body("application/xml",
                             std::string(event.raw_payload.begin(), event.raw_payload.end())),
          at);
    }
  }
  result.messages = transcript_->entries();
}

// The MDM and SCEP URLs come from the enrollment profile and may use other origins than the
// profile's own: they are the server too.
void ScenarioRun::name_profile_origins() {
  for (auto& [id, mac] : devices_) {
    const auto& profile = mac->enrollment_profile();
    if (!profile) continue;
    std::vector<std::string> urls;
    if (profile->mdm) urls = {profile->mdm->server_url, profile->mdm->checkin_url};
    if (profile->scep) urls.push_back(profile->scep->url);
    for (const auto& url : urls)
      if (auto u = net::Url::parse(url); u) transcript_->name_origin(u->origin(), "server");
  }
  if (auto u = net::Url::parse(env_->endpoints().abm_control_url); u)
    transcript_->name_origin(u->origin(), "abm");
  for (const auto& url : {env_->endpoints().entra_control_url, env_->endpoints().entra_url})
    if (auto u = net::Url::parse(url); u) transcript_->name_origin(u->origin(), "entra");
}

void ScenarioRun::fail(ScenarioResult& r, int step, std::string message) {
  r.outcome = Outcome::failed;
  r.failed_step = step;
  r.message = std::move(message);
}

ScenarioRun::Mac* ScenarioRun::device(const std::string& id) {
  auto it = devices_.find(id);
  return it == devices_.end() ? nullptr : it->second.get();
}

// By value: the frame owns its arguments (GCC 12 and temporaries in co_await, see README).
asio::awaitable<Result<net::HttpResponse>> ScenarioRun::call(std::string base, std::string method,
                                                             std::string target, std::string body,
                                                             bool admin, bool transcribe) {
  net::HttpClientOptions options;
  if (transcribe) options.transcript = transcript_;  // expectation polls would drown the wire
  options.party = "runner";
  net::HttpClient http(io_->executor(), base, options);
  net::HttpRequest req;
  req.method = method;
  req.target = target;
  req.headers = {{"Content-Type", "application/json"}};
  if (admin) req.headers.emplace_back("Authorization", "Bearer " + env_->endpoints().admin_token);
  req.body = body;
  auto res = co_await http.send(req);
  co_return res;
}

std::vector<std::string> ScenarioRun::device_names(const json& with) const {
  std::vector<std::string> ids;
  if (with.contains("device")) ids.push_back(with["device"].get<std::string>());
  if (with.contains("devices"))
    for (const auto& d : with["devices"]) ids.push_back(d.get<std::string>());
  // A group stands for its members.
  std::vector<std::string> expanded;
  for (const auto& id : ids)
    if (auto g = scenario_.groups.find(id); g != scenario_.groups.end())
      expanded.insert(expanded.end(), g->second.begin(), g->second.end());
    else
      expanded.push_back(id);
  return expanded;
}

Result<std::vector<std::string>> ScenarioRun::udids_of(const json& with) {
  std::vector<std::string> udids;
  const bool user = with.value("channel", "") == "user";
  for (const auto& id : device_names(with)) {
    auto* mac = device(id);
    if (!mac) return make_error("unknown_party", "no device " + id);
    if (user && mac->identity().user_id.empty())
      return make_error("bad_step", "device " + id + " has no logged-in user");
    // Enrollment ids: "UDID" for the device channel, "UDID:UserID" for the user's.
    udids.push_back(mac->enrollment_id(user));
  }
  if (udids.empty()) return make_error("bad_step", "name a device or devices");
  return udids;
}

// One step: variables resolved, then a parallel block, a group's fan-out, an expectation or a
// single party's action.
asio::awaitable<Result<void>> ScenarioRun::run_step(const Step& written, std::string& note) {
  if (written.action == "parallel") {
    auto r = co_await run_parallel(written, note);
    co_return r;
  }
  Step step = written;
  step.with = substitute_variables(written.with, vars_);
  step.expect = substitute_variables(written.expect, vars_);
  if (step.action == "expect") {
    auto r = co_await expect_step(step, note);
    co_return r;
  }
  auto party = step.action.substr(0, step.action.find('.'));
  if (auto g = scenario_.groups.find(party); g != scenario_.groups.end()) {
    auto r = co_await run_group(step, g->second, note);
    co_return r;
  }
  auto r = co_await run_one(step, note);
  co_return r;
}

// A do step of one party, with its timeout and what its failure must have been.
asio::awaitable<Result<void>> ScenarioRun::run_one(const Step& step, std::string& note) {
  const double since = transcript_->now_ms();
  Result<void> r;
  if (step.timeout.count() > 0) {
    using namespace boost::asio::experimental::awaitable_operators;
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor, step.timeout);
    auto action = run_action(step, note);
    auto wait = timer.async_wait(asio::use_awaitable);
    auto first = co_await (std::move(action) || std::move(wait));
    if (first.index() == 0)
      r = std::get<0>(std::move(first));
    else
      r = make_error("timeout", "the step did not finish within " +
                                    std::to_string(step.timeout.count()) + "ms");
  } else {
    r = co_await run_action(step, note);
  }
  if (!step.expect_failure) co_return r;
  if (r.ok())
    co_return make_error("expected_failure", "expected this step to fail, but it succeeded");
  auto facts = failure_facts(step, r.error(), since);
  for (const auto& [key, want] : step.fail.items()) {
    bool ok = key == "message"
                  ? facts.value("message", "").find(want.get<std::string>()) != std::string::npos
                  : facts.contains(key) && facts[key] == want;
    if (!ok)
      co_return make_error("wrong_failure", "expected a failure with " + key + " " + want.dump() +
                                                ", but it failed with " + facts.dump());
  }
  note = "failed as expected: " + r.error().message;
  co_return success();
}

// What a failed step's failure was, in the terms of failure_table(): the HTTP status of the
// last refused exchange of the acting party during the step, the transport stage, the SCEP
// answer, and our error code and message.
json ScenarioRun::failure_facts(const Step& step, const Error& error, double since) const {
  json facts{{"code", error.code}, {"message", error.message}};
  auto party = step.action.substr(0, step.action.find('.'));
  const auto* mac = devices_.count(party) ? devices_.at(party).get() : nullptr;
  const std::string acting = mac ? party : "runner";
  for (const auto& e : transcript_->entries())
    if (e.t_ms >= since && e.kind == "response" && e.to == acting && e.status >= 400)
      facts["status"] = e.status;
  static const std::map<std::string, std::string> transport = {{"connect_failed", "connect"},
                                                               {"tls_failed", "tls"},
                                                               {"send_failed", "send"},
                                                               {"receive_failed", "receive"}};
  if (auto t = transport.find(error.code); t != transport.end()) facts["transport"] = t->second;
  if (mac && step.action == party + ".enroll" && mac->install_failure()) {
    facts["payload"] = mac->install_failure()->payload_type;
    facts["key"] = mac->install_failure()->key;
  }
  if (mac && step.action == party + ".enroll" && !mac->scep_status().empty()) {
    facts["scep_status"] = mac->scep_status();
    if (!mac->scep_fail_info().empty()) facts["scep_fail_info"] = mac->scep_fail_info();
  }
  return facts;
}

asio::awaitable<Result<void>> ScenarioRun::run_action(const Step& step, std::string& note) {
  auto dot = step.action.find('.');
  auto party = step.action.substr(0, dot);
  auto verb = step.action.substr(dot + 1);
  if (party == "server") {
    auto r = co_await server_action(verb, step, note);
    co_return r;
  }
  if (party == "apns") {
    auto r = co_await apns_action(verb, step);
    co_return r;
  }
  if (party == "abm") {
    auto r = co_await abm_action(verb, step);
    co_return r;
  }
  if (party == "clock") co_return advance_clock(verb, step);
  if (party == "entra") {
    auto r = co_await entra_action(verb, step);
    co_return r;
  }
  if (auto* mac = device(party)) {
    auto r = co_await device_action(*mac, verb, step);
    co_return r;
  }
  if (auto* windows = pc(party)) {
    auto r = co_await windows_action(*windows, verb, step);
    co_return r;
  }
  co_return make_error("unknown_party", "no device or service named '" + party + "'");
}

// A GET by the runner (drawn as "runner" in the report), e.g. a profile a step then changes.
asio::awaitable<Result<std::string>> ScenarioRun::runner_get(const std::string& url_text) {
  auto url = net::Url::parse(url_text);
  if (!url) co_return url.error();
  net::HttpClientOptions options;
  options.transcript = transcript_;
  options.party = "runner";
  net::HttpClient http(io_->executor(), url->origin(), options);
  auto res = co_await http.get(url->target);
  if (!res) co_return res.error();
  if (res->status != 200)
    co_return make_error("profile_download",
                         "GET " + url_text + " answered " + std::to_string(res->status));
  co_return std::move(res->body);
}

asio::awaitable<Result<void>> ScenarioRun::device_action(Mac& mac, const std::string& verb,
                                                         const Step& step) {
  const auto& ep = env_->endpoints();
  if (verb == "enroll") {
    const auto form = step.with.value("profile", std::string("signed"));
    const bool identity_only = step.with.value("until", "") == "identity";
    if (form == "tampered") {
      auto body = co_await runner_get(ep.profile_url);
      if (!body) co_return body.error();
      auto tampered = tamper_signed_profile(std::move(*body));
      if (!tampered) co_return tampered.error();
      auto r = co_await mac.enroll(std::move(*tampered), identity_only);
      co_return r;
    }
    if (step.with.contains("challenge") || has_profile_edits(step.with)) {
      // The unsigned profile, changed the way the step says (a wrong or a special profile).
      auto body = co_await runner_get(ep.unsigned_profile_url);
      if (!body) co_return body.error();
      if (step.with.contains("challenge")) {
        auto pos = body->find(ep.scep_challenge);
        if (pos != std::string::npos)
          body->replace(pos, ep.scep_challenge.size(), step.with["challenge"].get<std::string>());
      }
      if (has_profile_edits(step.with)) {
        // (Named, not braced in the co_await: GCC 12 destroys such temporaries twice.)
        ProfileEditContext context{io_->executor(), transcript_, mac.identity().udid};
        auto edit = edit_profile(std::move(context), std::move(*body), step.with);
        auto edited = co_await std::move(edit);
        if (!edited) co_return edited.error();
        body = std::move(*edited);
      }
      auto r = co_await mac.enroll(std::move(*body), identity_only);
      co_return r;
    }
    std::string url = form == "unsigned" ? ep.unsigned_profile_url : ep.profile_url;
    auto r = co_await mac.enroll_from_url(url, identity_only);
    co_return r;
  }
  if (verb == "enroll_ota") {
    std::optional<std::string> challenge;
    if (step.with.contains("challenge")) challenge = step.with["challenge"].get<std::string>();
    auto r = co_await mac.enroll_ota(ep.ota_profile_url, std::move(challenge),
                                     step.with.value("forge", std::string()));
    co_return r;
  }
  if (verb == "ota_replay") {
    auto r = co_await mac.replay_ota(step.with.value("phase", 2));
    co_return r;
  }
  if (verb == "enroll_ade") {
    // The web view trusts the IdP (as a Mac trusts Microsoft's); no username: no account.
    std::optional<simulators::web::WebSignIn> sign_in;
    if (step.with.contains("username") || !ep.entra_roots.empty())
      sign_in =
          simulators::web::WebSignIn{step.with.value("username", std::string()),
                                     step.with.value("password", std::string()), ep.entra_roots};
    auto r = co_await mac.enroll_ade(ep.abm_control_url, std::move(sign_in));
    co_return r;
  }
  if (verb == "poll") {
    auto r = co_await mac.poll(step.with.value("channel", "") == "user");
    if (!r) co_return r.error();
    co_return success();
  }
  if (verb == "checkout") {
    auto r = co_await mac.check_out();
    co_return r;
  }
  if (verb == "go_online") {
    auto r = co_await mac.go_online();
    co_return r;
  }
  if (verb == "go_offline") {
    co_await mac.go_offline();
    co_return success();
  }
  if (verb == "ddm_sync") {
    auto r = co_await mac.sync_declarations();
    co_return r;
  }
  // Single check-in messages; "udid_of": another device's UDID (an impersonation attempt).
  using mdmlab::apple::CheckinType;
  static const std::map<std::string, CheckinType> messages = {
      {"token_update", CheckinType::token_update},
      {"authenticate", CheckinType::authenticate},
      {"set_bootstrap_token", CheckinType::set_bootstrap_token},
      {"get_bootstrap_token", CheckinType::get_bootstrap_token}};
  if (auto m = messages.find(verb); m != messages.end()) {
    std::string udid;
    if (step.with.contains("udid_of")) {
      auto* other = device(step.with["udid_of"].get<std::string>());
      if (!other) co_return make_error("unknown_party", "no device " + step.with["udid_of"].dump());
      udid = other->identity().udid;
    }
    auto res =
        co_await mac.send_checkin_message(m->second, udid, to_bytes(step.with.value("token", "")));
    if (!res) co_return res.error();
    if (res->status != 200)
      co_return make_error("checkin_refused", std::string(mdmlab::apple::to_string(m->second)) +
                                                  " answered " + std::to_string(res->status) +
                                                  (res->body.empty() ? "" : ": " + res->body));
    co_return success();
  }
  co_return make_error("unknown_action", "a mac cannot '" + verb + "'");
}

asio::awaitable<Result<void>> ScenarioRun::server_action(const std::string& verb, const Step& step,
                                                         std::string& note) {
  if (verb.rfind("ddm_", 0) == 0) {
    auto r = co_await ddm_action(verb, step, note);
    co_return r;
  }
  if (verb == "windows_command") {
    auto r = co_await windows_command(step, note);
    co_return r;
  }
  if (verb == "idp_account") {
    auto r = co_await idp_account(step);
    co_return r;
  }
  auto udids = udids_of(step.with);
  if (!udids) co_return udids.error();
  const auto& ep = env_->endpoints();
  if (verb == "push") {
    auto body = json{{"udids", *udids}}.dump();
    auto res = co_await call(ep.admin_url, "POST", "/admin/v1/apple/push", body, true);
    if (!res) co_return res.error();
    if (res->status != 200)
      co_return make_error("push_failed",
                           "admin API answered " + std::to_string(res->status) + ": " + res->body);
    note = res->body;
    co_return success();
  }
  if (verb == "unbind_certificate") {
    auto target = "/admin/v1/apple/devices/" + net::percent_encode(udids->front()) + "/certificate";
    auto res = co_await call(ep.admin_url, "DELETE", target, "", true);
    if (!res) co_return res.error();
    if (res->status != 204)
      co_return make_error("unbind_failed",
                           "admin API answered " + std::to_string(res->status) + ": " + res->body);
    co_return success();
  }
  if (verb == "dep_sync") {
    auto r = co_await dep_sync(step);
    co_return r;
  }
  if (verb != "enqueue") co_return make_error("unknown_action", "the server cannot '" + verb + "'");
  if (ep.admin_token.empty() && ep.command_api) {
    // Another server: the command is built here and queued through its own API.
    auto built = build_command(step.with);
    if (!built) co_return built.error();
    for (const auto& udid : *udids) {
      auto executor = co_await asio::this_coro::executor;
      auto r = co_await enqueue_with_adapter(executor, *ep.command_api, udid, *built, transcript_);
      if (!r) co_return r.error();
    }
    if (!step.as.empty()) vars_[step.as] = built->command_uuid;
    note = built->request_type + " " + built->command_uuid + " queued through command_api";
    co_return success();
  }
  json body{{"udids", *udids}};
  for (const char* key : {"command", "type", "params", "priority", "no_push", "plist"})
    if (step.with.contains(key)) body[key] = step.with[key];
  auto text = body.dump();
  auto res = co_await call(ep.admin_url, "POST", "/admin/v1/apple/commands", text, true);
  if (!res) co_return res.error();
  if (res->status != 201)
    co_return make_error("enqueue_failed",
                         "admin API answered " + std::to_string(res->status) + ": " + res->body);
  if (!step.as.empty()) vars_[step.as] = json::parse(res->body)["command_uuid"].get<std::string>();
  co_return success();
}

}  // namespace mdmlab::scenarios
