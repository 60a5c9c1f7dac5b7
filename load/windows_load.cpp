#include "load/windows_load.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <future>
#include <mutex>

#include "core/keys/key_pool.hpp"
#include "core/net/io_runtime.hpp"
#include "load/latency_recorder.hpp"
#include "scenarios/engine/seeded.hpp"
#include "simulators/devices/windows/simulated_windows_pc.hpp"
#include "simulators/devices/windows/windows_catalog.hpp"

namespace mdmlab::load {
namespace asio = boost::asio;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using simulators::windows_pc::SimulatedWindowsPc;

namespace {
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::chrono::microseconds since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t);
}

// The two commands every PC gets: a read and a policy write its CSP tree accepts.
const json kCommands[] = {{{"verb", "Get"}, {"target", "./DevInfo/DevId"}},
                          {{"verb", "Replace"},
                           {"target", "./Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera"},
                           {"format", "int"},
                           {"type", "text/plain"},
                           {"data", "0"}}};

net::HttpRequest admin_request(const scenarios::Endpoints& ep, std::string method,
                               std::string target, std::string body = {}) {
  net::HttpRequest req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.headers = {{"Authorization", "Bearer " + ep.admin_token},
                 {"Content-Type", "application/json"}};
  req.body = std::move(body);
  return req;
}
}  // namespace

Result<WindowsLoadReport> run_windows_load(const WindowsLoadOptions& o) {
  auto say = [&](const std::string& line) {
    if (o.progress) o.progress(line);
  };
  auto stopped = [&] { return o.stop && o.stop->load(); };
  WindowsLoadReport report;
  report.devices = o.devices;
  net::raise_fd_limit();

  // 1. Keys (RSA 2048, the policy's minimal length), generated once and cached.
  auto t0 = Clock::now();
  keys::KeyPool pool;
  auto made = pool.ensure(static_cast<std::size_t>(o.devices), nullptr, o.stop);
  if (!made && stopped()) {
    report.interrupted = true;
    return report;
  }
  if (!made) return made.error();
  report.keygen_seconds = seconds_since(t0);

  // 2. The server: embedded (HTTPS for the PCs) or the target.
  auto dir = std::filesystem::temp_directory_path() /
             ("mdmlab-load-windows-" + std::to_string(::getpid()));
  net::IoRuntime env_io(2);
  auto env = o.target ? scenarios::make_target_environment(*o.target)
                      : scenarios::make_embedded_environment(env_io, o.seed, dir, json::object(),
                                                             false, false, true);
  if (auto r = env->start(); !r) return r.error();
  const auto& ep = env->endpoints();
  if (ep.windows_discovery_url.empty() || ep.windows_enrollment_secret.empty())
    return make_error("load",
                      "the target enrolls no Windows PCs (windows_discovery_url, "
                      "windows_enrollment_secret)");
  if (ep.admin_url.empty())
    return make_error("load", "the target has no admin API (server_url, admin_token)");

  // 3. The fleet.
  net::IoRuntime io(2);
  std::vector<std::unique_ptr<SimulatedWindowsPc>> pcs;
  for (int i = 0; i < o.devices; ++i) {
    const auto seed = to_bytes(scenarios::seeded_hex(o.seed, "windows-load/" + std::to_string(i)));
    auto identity = simulators::windows_pc::realistic_windows_identity(seed);
    identity.enrollment_secret = ep.windows_enrollment_secret;
    simulators::windows_pc::WindowsKnobs knobs;
    knobs.auth_policies = {"OnPremise"};
    knobs.trusted_roots = ep.windows_roots;
    auto key = pool.get(static_cast<std::size_t>(i));
    if (!key) return key.error();
    pcs.push_back(std::make_unique<SimulatedWindowsPc>(io.executor(), std::move(identity),
                                                       std::move(knobs), std::move(*key)));
  }

  std::mutex mutex;
  auto note_error = [&](const std::string& e) {
    std::lock_guard lock(mutex);
    if (report.first_error.empty()) report.first_error = e;
  };
  LatencyRecorder enroll_latency, session_latency;
  std::atomic<int> next{0}, enrolled{0}, enroll_failed{0}, synced{0}, sync_failed{0};
  std::atomic<long> enqueued{0}, answered{0}, ok{0};
  // Runs `body` for every PC, `concurrency` at a time, with progress every second.
  auto for_each_pc = [&](auto body, const std::string& what, auto counts) {
    next = 0;
    auto worker = [&]() -> asio::awaitable<void> {
      for (int i = next++; i < o.devices && !stopped(); i = next++) {
        auto step = body(*pcs[static_cast<std::size_t>(i)]);
        co_await std::move(step);
      }
    };
    const auto began = Clock::now();
    std::vector<std::future<void>> workers;
    for (int w = 0; w < std::min(o.concurrency, o.devices); ++w)
      workers.push_back(asio::co_spawn(io.executor(), worker(), asio::use_future));
    for (auto& f : workers)
      while (f.wait_for(std::chrono::seconds(1)) != std::future_status::ready)
        say(what + ": " + counts() + " (" + std::to_string(static_cast<int>(seconds_since(began))) +
            " s)");
    for (auto& f : workers) f.get();
    return seconds_since(began);
  };

  report.enroll_seconds = for_each_pc(
      [&](SimulatedWindowsPc& pc) -> asio::awaitable<void> {
        const auto began = Clock::now();
        auto enrolling = pc.enroll(ep.windows_discovery_url);
        auto r = co_await std::move(enrolling);
        enroll_latency.record(since(began));
        if (r) {
          ++enrolled;
        } else {
          ++enroll_failed;
          note_error(pc.identity().device_id + ": " + r.error().message);
        }
      },
      "enrolling",
      [&] {
        return std::to_string(enrolled.load()) + "/" + std::to_string(o.devices) + " enrolled, " +
               std::to_string(enroll_failed.load()) + " failed";
      });

  // 4. Two commands per enrolled PC, one session each, the answers read back from the server.
  const auto admin_url = net::Url::parse(ep.admin_url);
  if (!admin_url) return admin_url.error();
  report.session_seconds = for_each_pc(
      [&](SimulatedWindowsPc& pc) -> asio::awaitable<void> {
        if (pc.state() != simulators::windows_pc::WindowsState::enrolled) co_return;
        net::HttpClient admin(io.executor(), admin_url->origin());
        std::vector<std::string> uuids;
        for (const auto& command : kCommands) {
          auto body = command;
          body["device_id"] = pc.identity().device_id;
          auto posting =
              admin.send(admin_request(ep, "POST", "/admin/v1/windows/commands", body.dump()));
          auto res = co_await std::move(posting);
          auto answer = res ? json::parse(res->body, nullptr, false) : json();
          if (!res || res->status != 201 || !answer.contains("command_uuid")) {
            note_error("enqueue for " + pc.identity().device_id + ": " +
                       (res ? std::to_string(res->status) + " " + res->body : res.error().message));
            ++sync_failed;
            co_return;
          }
          ++enqueued;
          uuids.push_back(answer["command_uuid"].get<std::string>());
        }
        const auto began = Clock::now();
        auto syncing = pc.sync();
        auto session = co_await std::move(syncing);
        session_latency.record(since(began));
        if (!session) {
          ++sync_failed;
          note_error(pc.identity().device_id + ": " + session.error().message);
          co_return;
        }
        ++synced;
        for (const auto& uuid : uuids) {
          auto reading = admin.send(admin_request(ep, "GET", "/admin/v1/windows/commands/" + uuid));
          auto res = co_await std::move(reading);
          auto answer = res ? json::parse(res->body, nullptr, false) : json();
          if (!res || res->status != 200 || !answer.is_object()) continue;
          const auto status = answer.value("status", std::string());
          if (!status.empty() && status != "sent") ++answered;
          if (status == "200") ++ok;
        }
      },
      "sessions",
      [&] {
        return std::to_string(synced.load()) + "/" + std::to_string(enrolled.load()) + " synced, " +
               std::to_string(ok.load()) + "/" + std::to_string(enqueued.load()) +
               " commands answered 200";
      });

  report.enrolled = enrolled;
  report.enroll_failed = enroll_failed;
  report.synced = synced;
  report.sync_failed = sync_failed;
  report.commands_enqueued = enqueued;
  report.commands_answered = answered;
  report.commands_ok = ok;
  report.enroll_p50_ms = enroll_latency.percentile_ms(50);
  report.enroll_p99_ms = enroll_latency.percentile_ms(99);
  report.session_p50_ms = session_latency.percentile_ms(50);
  report.session_p99_ms = session_latency.percentile_ms(99);
  report.interrupted = stopped();
  pcs.clear();  // before the runtime they run on
  env->stop();
  std::filesystem::remove_all(dir);
  return report;
}

}  // namespace mdmlab::load
