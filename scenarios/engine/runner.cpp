#include "scenarios/engine/runner.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <openssl/sha.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>

#include "core/keys/key_pool.hpp"
#include "core/net/http_client.hpp"
#include "server/reference_server.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"

namespace mdmlab::scenarios {
namespace asio = boost::asio;
using nlohmann::json;

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::passed: return "passed";
    case Outcome::failed: return "failed";
    case Outcome::skipped: return "skipped";
  }
  return "unknown";
}

int SuiteResult::count(Outcome o) const {
  int n = 0;
  for (const auto& s : scenarios) n += s.outcome == o;
  return n;
}

namespace {
// Deterministic bytes from (seed, label): SHA-256 of both.
Bytes derive(std::uint64_t seed, const std::string& label) {
  std::string input = std::to_string(seed) + "/" + label;
  Bytes out(SHA256_DIGEST_LENGTH);
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), out.data());
  return out;
}

std::string udid_for(std::uint64_t seed, const std::string& scenario, const std::string& id) {
  auto h = hex_encode(derive(seed, scenario + "/" + id), true);
  return "0000FE00-" + h.substr(0, 16);  // the modern Mac UDID shape: 8 + 16 hex digits
}

struct StepFailure {
  std::string message;
};

class ScenarioRun {
 public:
  ScenarioRun(const Scenario& sc, const RunOptions& opts, std::size_t key_base)
      : scenario_(sc), options_(opts), key_base_(key_base) {}

  ScenarioResult run() {
    ScenarioResult result;
    result.name = scenario_.name;
    result.tags = scenario_.tags;
    auto start = std::chrono::steady_clock::now();
    dir_ = std::filesystem::temp_directory_path() /
           ("mdmlab-run-" + hex_encode(derive(options_.seed, scenario_.name + std::to_string(::getpid()))).substr(0, 12));
    std::filesystem::remove_all(dir_);
    {
      net::IoRuntime io(2);
      server::ReferenceServerConfig cfg;
      cfg.data_dir = dir_;
      cfg.https_port = 0;
      cfg.scep.challenge = "challenge-" + hex_encode(derive(options_.seed, "challenge")).substr(0, 16);
      cfg.admin_token = hex_encode(derive(options_.seed, "admin-token"));
      challenge_ = cfg.scep.challenge;
      token_ = cfg.admin_token;
      server::ReferenceServer srv(io, cfg);
      auto started = srv.start();
      if (!started) {
        result.outcome = Outcome::failed;
        result.message = "cannot start the reference server: " + started.error().message;
      } else {
        server_ = &srv;
        io_ = &io;
        auto fut = asio::co_spawn(io.executor(), steps(result), asio::use_future);
        fut.get();
        devices_.clear();
        srv.stop();
      }
      io.stop();
    }
    std::filesystem::remove_all(dir_);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
  }

 private:
  asio::awaitable<void> steps(ScenarioResult& result) {
    std::size_t key_index = key_base_;
    for (const auto& d : scenario_.devices) {
      simulators::mac::MacIdentity id;
      id.udid = udid_for(options_.seed, scenario_.name, d.id);
      id.serial_number = "C02" + hex_encode(derive(options_.seed, scenario_.name + d.id + "serial"), true).substr(0, 9);
      id.model = d.settings.value("model", std::string("Mac14,2"));
      id.os_version = d.settings.value("os", std::string("14.5"));
      id.device_name = d.id;
      simulators::mac::MacKnobs knobs;
      knobs.not_now_polls = d.settings.value("not_now_polls", 0);
      if (d.settings.contains("error_for"))
        for (const auto& t : d.settings["error_for"]) knobs.error_for.insert(t.get<std::string>());
      knobs.slow = std::chrono::milliseconds(d.settings.value("slow_ms", 0));
      auto key = pool_.get(key_index++);
      if (!key) {
        fail(result, -1, "key pool: " + key.error().message);
        co_return;
      }
      auto executor = co_await asio::this_coro::executor;
      devices_[d.id] = std::make_unique<simulators::mac::SimulatedMac>(executor, id, *key, knobs);
    }
    for (std::size_t i = 0; i < scenario_.steps.size(); ++i) {
      const auto& step = scenario_.steps[i];
      note_.clear();
      auto outcome = co_await run_step(step);
      std::string what = outcome ? (note_.empty() ? std::string("ok") : note_) : outcome.error().message;
      result.log.push_back("step " + std::to_string(i) + " " + step.text + " -> " + what);
      if (options_.progress) options_.progress("    " + result.log.back());
      if (!outcome) {
        fail(result, static_cast<int>(i), "scenario '" + scenario_.name + "' step " + std::to_string(i) + " " + step.text +
                                            ": " + outcome.error().message);
        co_return;
      }
    }
  }

  void fail(ScenarioResult& r, int step, std::string message) {
    r.outcome = Outcome::failed;
    r.failed_step = step;
    r.message = std::move(message);
  }

  simulators::mac::SimulatedMac* device(const std::string& id) {
    auto it = devices_.find(id);
    return it == devices_.end() ? nullptr : it->second.get();
  }

  std::string resolve(const std::string& s) const {
    if (!s.empty() && s[0] == '$') {
      auto it = vars_.find(s.substr(1));
      if (it != vars_.end()) return it->second;
    }
    return s;
  }

  // By value: the frame owns its arguments (GCC 12 and temporaries in co_await, see README).
  asio::awaitable<Result<net::HttpResponse>> admin(std::string method, std::string target, std::string body = {}) {
    net::HttpClient http(io_->executor(), server_->http_url());
    net::HttpRequest req;
    req.method = method;
    req.target = target;
    req.headers = {{"Authorization", "Bearer " + token_}, {"Content-Type", "application/json"}};
    req.body = body;
    auto res = co_await http.send(req);
    co_return res;
  }

  asio::awaitable<Result<void>> run_step(const Step& step) {
    if (step.action == "expect") {
      auto r = co_await expect(step);
      co_return r;
    }
    auto dot = step.action.find('.');
    auto party = step.action.substr(0, dot);
    auto verb = step.action.substr(dot + 1);
    Result<void> r;
    if (party == "server") {
      r = co_await server_action(verb, step);
    } else if (auto* mac = device(party)) {
      r = co_await device_action(*mac, verb, step);
    } else {
      co_return make_error("unknown_party", "no device or service named '" + party + "'");
    }
    if (step.expect_failure) {
      if (r.ok()) co_return make_error("expected_failure", "expected this step to fail, but it succeeded");
      note_ = "failed as expected: " + r.error().message;
      co_return Result<void>{};
    }
    co_return r;
  }

  asio::awaitable<Result<void>> device_action(simulators::mac::SimulatedMac& mac, const std::string& verb, const Step& step) {
    if (verb == "enroll") {
      std::string url = server_->enrollment_profile_url();
      bool unsigned_profile = step.with.value("profile", std::string("signed")) == "unsigned";
      if (step.with.contains("challenge")) {
        // Fetch the profile and swap the challenge (a device given a wrong profile).
        net::HttpClient http(io_->executor(), server_->http_url());
        std::string target = "/mdm/apple/enroll?signed=0";
        auto res = co_await http.get(target);
        if (!res) co_return res.error();
        auto body = res->body;
        auto pos = body.find(challenge_);
        if (pos != std::string::npos) body.replace(pos, challenge_.size(), step.with["challenge"].get<std::string>());
        auto r = co_await mac.enroll(body);
        co_return r;
      }
      if (unsigned_profile) url += "?signed=0";
      auto r = co_await mac.enroll_from_url(url);
      co_return r;
    }
    if (verb == "poll") {
      auto r = co_await mac.poll();
      if (!r) co_return r.error();
      co_return Result<void>{};
    }
    if (verb == "checkout") {
      auto r = co_await mac.check_out();
      co_return r;
    }
    if (verb == "token_update") {
      std::string udid;  // "udid_of": another device's UDID (an impersonation attempt)
      if (step.with.contains("udid_of")) {
        auto* other = device(step.with["udid_of"].get<std::string>());
        if (!other) co_return make_error("unknown_party", "no device " + step.with["udid_of"].dump());
        udid = other->identity().udid;
      }
      auto r = co_await mac.send_token_update(udid);
      if (!r) co_return r.error();
      if (*r != 200) co_return make_error("token_update", "server answered " + std::to_string(*r));
      co_return Result<void>{};
    }
    co_return make_error("unknown_action", "a mac cannot '" + verb + "'");
  }

  asio::awaitable<Result<void>> server_action(const std::string& verb, const Step& step) {
    if (verb != "enqueue") co_return make_error("unknown_action", "the server cannot '" + verb + "'");
    json udids = json::array();
    auto add = [&](const std::string& id) -> bool {
      auto* mac = device(id);
      if (!mac) return false;
      udids.push_back(mac->identity().udid);
      return true;
    };
    if (step.with.contains("device") && !add(step.with["device"].get<std::string>()))
      co_return make_error("unknown_party", "no device " + step.with["device"].dump());
    if (step.with.contains("devices"))
      for (const auto& d : step.with["devices"])
        if (!add(d.get<std::string>())) co_return make_error("unknown_party", "no device " + d.dump());
    json body{{"udids", udids}, {"command", step.with.value("command", json::object())}};
    if (step.with.contains("priority")) body["priority"] = step.with["priority"];
    auto res = co_await admin("POST", "/admin/v1/apple/commands", body.dump());
    if (!res) co_return res.error();
    if (res->status != 201) co_return make_error("enqueue_failed", "admin API answered " + std::to_string(res->status) + ": " + res->body);
    if (!step.as.empty()) vars_[step.as] = json::parse(res->body)["command_uuid"].get<std::string>();
    co_return Result<void>{};
  }

  // The current value of what an expectation looks at; null when absent.
  asio::awaitable<json> observe(const json& e) {
    const std::string field = e["field"].get<std::string>();
    if (e.contains("server.device")) {
      auto* mac = device(e["server.device"].get<std::string>());
      if (!mac) co_return json("no such device in the scenario");
      auto res = co_await admin("GET", "/admin/v1/apple/devices");
      if (!res || res->status != 200) co_return json(nullptr);
      auto body = json::parse(res->body, nullptr, false);  // named: a range-for over a temporary dangles
      if (body.is_discarded() || !body.contains("devices")) co_return json(nullptr);
      for (const auto& d : body["devices"])
        if (d["udid"] == mac->identity().udid) co_return d.value(field, json(nullptr));
      co_return field == "state" ? json("absent") : json(nullptr);
    }
    if (e.contains("server.command")) {
      auto uuid = resolve(e["server.command"].get<std::string>());
      auto res = co_await admin("GET", "/admin/v1/apple/commands/" + net::percent_encode(uuid));
      if (!res || res->status != 200) co_return json(nullptr);
      std::string udid;
      if (e.contains("device"))
        if (auto* mac = device(e["device"].get<std::string>())) udid = mac->identity().udid;
      auto body = json::parse(res->body, nullptr, false);
      if (body.is_discarded() || !body.contains("results")) co_return json(nullptr);
      for (const auto& r : body["results"])
        if (udid.empty() || r["udid"] == udid) co_return r.value(field, json(nullptr));
      co_return json(nullptr);
    }
    if (e.contains("device")) {
      auto* mac = device(e["device"].get<std::string>());
      if (!mac) co_return json(nullptr);
      if (field == "state") co_return json(std::string(simulators::mac::to_string(mac->state())));
      if (field == "profiles") co_return json(mac->responder().profiles().size());
      if (field == "last_error") co_return json(mac->last_error());
      co_return json(nullptr);
    }
    co_return json(nullptr);
  }

  static bool matches(const json& e, const json& seen) {
    if (e.contains("equals")) {
      const auto& want = e["equals"];
      if (want.is_number() && seen.is_number()) return want.get<double>() == seen.get<double>();
      return want == seen;
    }
    auto needle = e["contains"].is_string() ? e["contains"].get<std::string>() : e["contains"].dump();
    auto hay = seen.is_string() ? seen.get<std::string>() : seen.dump();
    return hay.find(needle) != std::string::npos;
  }

  asio::awaitable<Result<void>> expect(const Step& step) {
    auto within = step.within.count() ? step.within : options_.default_within;
    auto deadline = std::chrono::steady_clock::now() + within;
    json seen;
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor);
    for (;;) {
      seen = co_await observe(step.expect);
      if (matches(step.expect, seen)) co_return Result<void>{};
      if (std::chrono::steady_clock::now() >= deadline) break;
      timer.expires_after(std::chrono::milliseconds(50));
      co_await timer.async_wait(asio::use_awaitable);
    }
    auto want = step.expect.contains("equals") ? "equals " + step.expect["equals"].dump()
                                               : "contains " + step.expect["contains"].dump();
    co_return make_error("expectation", "expected " + step.expect["field"].get<std::string>() + " " + want +
                                            " within " + std::to_string(within.count()) + "ms, last seen " + seen.dump());
  }

  const Scenario& scenario_;
  const RunOptions& options_;
  std::size_t key_base_;
  keys::KeyPool pool_;
  std::filesystem::path dir_;
  std::string challenge_, token_;
  server::ReferenceServer* server_ = nullptr;
  net::IoRuntime* io_ = nullptr;
  std::map<std::string, std::unique_ptr<simulators::mac::SimulatedMac>> devices_;
  std::map<std::string, std::string> vars_;
  std::string note_;  // what an expected failure said, for the step log
};
}  // namespace

SuiteResult run_suite(const Suite& suite, const RunOptions& options) {
  SuiteResult out;
  out.name = suite.name;
  out.seed = options.seed;
  auto start = std::chrono::steady_clock::now();
  std::size_t key_base = 0;
  for (const auto& sc : suite.scenarios) {
    if (options.progress) options.progress("scenario: " + sc.name);
    ScenarioRun run(sc, options, key_base);
    key_base += sc.devices.size();
    out.scenarios.push_back(run.run());
    const auto& r = out.scenarios.back();
    if (options.progress)
      options.progress("  " + std::string(to_string(r.outcome)) + " in " + std::to_string(r.seconds).substr(0, 5) + " s" +
                       (r.message.empty() ? "" : ": " + r.message));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace mdmlab::scenarios
