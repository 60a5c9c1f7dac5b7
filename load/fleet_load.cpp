#include "load/fleet_load.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include "core/keys/key_pool.hpp"
#include "core/net/http_client.hpp"
#include "core/net/io_runtime.hpp"
#include "load/admin_calls.hpp"
#include "scenarios/engine/seeded.hpp"
#include "simulators/devices/mac/mac_catalog.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"

namespace mdmlab::load {
namespace asio = boost::asio;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using simulators::mac::SimulatedMac;

namespace {
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string fixed(double v, int digits = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

Result<LoadReport> run_fleet_load(const LoadOptions& o) {
  auto say = [&](const std::string& line) {
    if (o.progress) o.progress(line);
  };
  LoadReport report;
  report.devices = o.devices;
  net::raise_fd_limit();

  // 1. Keys: generated once, cached for every later run.
  auto stopped = [&] { return o.stop && o.stop->load(); };
  auto t0 = Clock::now();
  keys::KeyPool pool;
  // A target keeps what it certified: lease keys it has never seen (see key_pool.hpp). An
  // embedded server is new every run and takes keys from 0.
  std::size_t first = 0;
  if (o.target && !o.reuse_keys) {
    auto leased = pool.lease(o.target->endpoints.profile_url, static_cast<std::size_t>(o.devices));
    if (!leased) return leased.error();
    first = *leased;
  }
  std::atomic<std::size_t> last_said{0};
  auto made = pool.ensure(
      first + static_cast<std::size_t>(o.devices),
      [&](std::size_t done, std::size_t count) {
        if (done - last_said >= 50) {
          last_said = done;
          say("keys: " + std::to_string(done) + "/" + std::to_string(count) + " (cached in " +
              pool.dir().string() + ")");
        }
      },
      o.stop);
  if (!made && stopped()) {
    report.interrupted = true;
    return report;
  }
  if (!made) return made.error();
  report.keygen_seconds = seconds_since(t0);

  // 2. The server side: embedded reference server + APNs simulator, or the target.
  auto dir = std::filesystem::temp_directory_path() / ("mdmlab-load-" + std::to_string(::getpid()));
  net::IoRuntime env_io(2);
  auto env = o.target ? scenarios::make_target_environment(*o.target)
                      : scenarios::make_embedded_environment(env_io, o.seed, dir);
  if (auto r = env->start(); !r) return r.error();
  const auto& ep = env->endpoints();
  if (ep.admin_url.empty())
    return make_error("load",
                      "the target has no admin API (server_url, admin_token): cannot enqueue");

  // 3. The fleet.
  net::IoRuntime io(2);
  // Declared before the Macs: their callbacks feed it until they are gone.
  LoadTimeline timeline(o.devices, o.sample_interval);
  std::vector<std::unique_ptr<SimulatedMac>> macs;
  for (int i = 0; i < o.devices; ++i) {
    // A mixed fleet, Intel and Apple silicon, each Mac's identity in its model's real forms.
    auto id = simulators::mac::realistic_identity(
        scenarios::seeded_bytes(o.seed, "load/" + std::to_string(i)));
    id.device_name = "load-mac-" + std::to_string(i + 1);
    simulators::mac::MacKnobs knobs;
    knobs.apns_url = ep.apns_control_url;
    knobs.on_command_exchange = [&timeline](std::chrono::microseconds d) {
      timeline.record(Operation::command_exchange, d);
    };
    knobs.fresh_transaction_id = o.reuse_keys;
    macs.push_back(std::make_unique<SimulatedMac>(
        io.executor(), id, pool.get(first + static_cast<std::size_t>(i)).value(), knobs));
  }

  auto t1 = Clock::now();
  timeline.start();
  std::atomic<int> next{0}, enrolled{0}, failed{0};
  std::mutex error_mutex;
  auto note_error = [&](const std::string& e) {
    std::lock_guard lock(error_mutex);
    if (report.first_error.empty()) report.first_error = e;
  };
  auto worker = [&]() -> asio::awaitable<void> {
    for (int i = next++; i < o.devices && !stopped(); i = next++) {
      auto& mac = *macs[static_cast<std::size_t>(i)];
      timeline.move(DeviceState::pending, DeviceState::enrolling);
      const auto began = Clock::now();
      // (if/else, not ?: — GCC 12 miscompiles co_await inside a conditional expression)
      Result<void> r;
      if (o.profile.empty())
        r = co_await mac.enroll_from_url(ep.profile_url);
      else
        r = co_await mac.enroll(o.profile);
      timeline.record(Operation::enroll,
                      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - began));
      if (r) {
        ++enrolled;
        timeline.move(DeviceState::enrolling, DeviceState::enrolled);
      } else {
        ++failed;
        timeline.move(DeviceState::enrolling, DeviceState::failed);
        const auto e = mac.identity().udid + ": " + mac.last_error();
        timeline.error(ErrorKind::enroll, e);
        note_error(e);
      }
    }
  };
  std::vector<std::future<void>> workers;
  for (int w = 0; w < std::min(o.concurrency, o.devices); ++w)
    workers.push_back(asio::co_spawn(io.executor(), worker(), asio::use_future));
  for (auto& f : workers) {
    while (f.wait_for(std::chrono::seconds(1)) != std::future_status::ready)
      say("enrolling: " + std::to_string(enrolled.load()) + "/" + std::to_string(o.devices) +
          " enrolled, " + std::to_string(failed.load()) + " failed, " +
          fixed(enrolled / std::max(seconds_since(t1), 1e-3)) + "/s");
  }
  report.enrolled = enrolled;
  report.enroll_failed = failed;
  for (const auto& m : macs) report.scep_retries += m->scep_retries();
  report.enroll_seconds = seconds_since(t1);
  say("enrolled " + std::to_string(report.enrolled) + "/" + std::to_string(o.devices) + " in " +
      fixed(report.enroll_seconds) + " s (" + std::to_string(report.enroll_failed) + " failed)");

  // 4. Steady state: a command for every device each interval, delivered by push.
  std::vector<std::string> udids;
  for (auto& m : macs)
    if (m->state() == simulators::mac::MacState::enrolled) udids.push_back(m->identity().udid);
  AdminCalls admin(io, ep);
  std::vector<std::string> uuids;
  std::atomic<long> poll_errors{0};
  const auto& latency = timeline.latency(Operation::command_exchange);
  auto answered = [&] {
    long n = 0;
    for (auto& m : macs) n += m->commands_answered();
    return n;
  };
  auto t2 = Clock::now();
  timeline.set_phase(Phase::steady);
  auto deadline = t2 + o.duration;
  auto next_round = t2;
  auto next_report = t2 + std::chrono::seconds(1);
  while (!udids.empty() && Clock::now() < deadline && !stopped()) {
    if (Clock::now() >= next_round) {
      const auto began = Clock::now();
      auto res = admin.call("POST", "/admin/v1/apple/commands",
                            json{{"udids", udids},
                                 {"type", "DeviceInformation"},
                                 {"params", {{"queries", {"OSVersion", "SerialNumber"}}}}}
                                .dump());
      timeline.record(Operation::enqueue,
                      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - began));
      if (res && res->status == 201) {
        uuids.push_back(json::parse(res->body)["command_uuid"].get<std::string>());
        report.commands_enqueued += static_cast<long>(udids.size());
      } else {
        report.errors++;
        const auto e = "enqueue: " +
                       (res ? std::to_string(res->status) + " " + res->body : res.error().message);
        timeline.error(ErrorKind::enqueue, e);
        note_error(e);
      }
      if (ep.apns_control_url.empty())  // no pushes: the devices poll on the interval
        for (auto& m : macs)
          asio::co_spawn(
              io.executor(), m->poll(),
              [&poll_errors, &timeline, began = Clock::now()](std::exception_ptr, Result<int> r) {
                timeline.record(
                    Operation::poll,
                    std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - began));
                if (!r) {
                  ++poll_errors;
                  timeline.error(ErrorKind::poll, r.error().message);
                }
              });
      next_round += o.command_interval;
    }
    if (Clock::now() >= next_report) {
      say("t=" + fixed(seconds_since(t2), 0) + "s  enqueued " +
          std::to_string(report.commands_enqueued) + "  answered " + std::to_string(answered()) +
          "  p50 " + fixed(latency.percentile_ms(50), 2) + " ms  p99 " +
          fixed(latency.percentile_ms(99), 2) + " ms");
      next_report += std::chrono::seconds(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Let the last round finish (bounded).
  timeline.set_phase(Phase::drain);
  auto drain_until = Clock::now() + std::chrono::seconds(15);
  if (stopped()) drain_until = Clock::now() + std::chrono::seconds(2);
  while (answered() < report.commands_enqueued && Clock::now() < drain_until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  report.steady_seconds = seconds_since(t2);
  report.errors += poll_errors;
  report.device_answers = answered();

  // 5. What the server recorded.
  timeline.set_phase(Phase::verify);
  for (const auto& uuid : uuids) {
    auto res = admin.call("GET", "/admin/v1/apple/commands/" + uuid);
    if (!res || res->status != 200) {
      report.errors++;
      timeline.error(
          ErrorKind::verify,
          "GET command " + uuid + ": " + (res ? std::to_string(res->status) : res.error().message));
      continue;
    }
    auto body = json::parse(res->body, nullptr, false);
    if (body.is_discarded()) continue;
    for (const auto& r : body["results"])
      report.commands_acked += r.value("status", std::string()) == "Acknowledged";
  }
  long push_polls_failed = 0;
  for (auto& m : macs) {
    report.pushes_received += m->push_counts().received;
    push_polls_failed += m->push_counts().polls_failed;
  }
  report.errors += push_polls_failed;
  timeline.add_errors(ErrorKind::push_poll, push_polls_failed,
                      "polls after a push that failed (counted by the devices)");
  timeline.stop();
  for (std::size_t i = 0; i < kOperations; ++i)
    report.latency[i] = timeline.overall(static_cast<Operation>(i));
  const auto& exchanges = report.latency[static_cast<std::size_t>(Operation::command_exchange)];
  report.latency_samples = exchanges.count;
  report.p50_ms = exchanges.p50_ms;
  report.p95_ms = exchanges.p95_ms;
  report.p99_ms = exchanges.p99_ms;
  report.max_ms = exchanges.max_ms;
  report.errors_by_kind = timeline.errors();
  report.sample_interval_s = std::chrono::duration<double>(timeline.interval()).count();
  report.timeline = timeline.samples();

  report.interrupted = stopped();
  say(report.interrupted ? "stopped by a signal: stopping the fleet" : "stopping the fleet");
  for (auto& m : macs) asio::co_spawn(io.executor(), m->shutdown(), asio::use_future).get();
  macs.clear();
  io.stop();
  env->stop();
  env.reset();
  env_io.stop();
  std::filesystem::remove_all(dir);
  return report;
}

}  // namespace mdmlab::load
