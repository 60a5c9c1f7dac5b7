// `mdmlab simulate mac --profile <url|file> --count N`: N simulated Macs enroll from any
// enrollment profile (the reference server's or another team's) and keep answering the command
// loop, polling every --poll-interval and, with --apns, whenever a push wakes them.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "apps/commands/commands.hpp"
#include "core/keys/key_pool.hpp"
#include "core/net/io_runtime.hpp"
#include "crypto/random.hpp"
#include "scenarios/engine/scenario.hpp"
#include "simulators/devices/mac/mac_catalog.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"

namespace mdmlab::apps {
namespace asio = boost::asio;
namespace {
struct SimulateMacOptions {
  std::string profile;
  int count = 1;
  std::string poll_interval = "10s";
  std::string duration = "0s";
  int concurrency = 16;
  std::string udid_prefix;  // empty: the model's real UDID form
  std::string model, os;
  std::string apns;
  bool reuse_keys = false;
};

int run_simulate_mac(const SimulateMacOptions& o) {
  auto interval = scenarios::parse_duration(o.poll_interval);
  auto duration = scenarios::parse_duration(o.duration);
  if (!interval || !duration || interval->count() <= 0) {
    std::cerr << "simulate mac: bad --poll-interval or --duration (e.g. 10s, 500ms, 2m)\n";
    return 2;
  }
  std::string profile_bytes;
  const bool from_url = o.profile.rfind("http://", 0) == 0 || o.profile.rfind("https://", 0) == 0;
  if (!from_url) {
    std::ifstream in(o.profile, std::ios::binary);
    if (!in) {
      std::cerr << "simulate mac: cannot read " << o.profile << "\n";
      return 2;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    profile_bytes = ss.str();
  }
  // Keys no device of this server has had (a lease per profile URL or file), unless the
  // operator lets keys repeat: then each enrollment gets a fresh transactionID and so a new
  // certificate, and no key is generated after the first run.
  keys::KeyPool pool;
  std::size_t first = 0;
  if (!o.reuse_keys) {
    auto leased = pool.lease(o.profile, static_cast<std::size_t>(o.count));
    if (!leased) {
      std::cerr << "simulate mac: " << leased.error().message << "\n";
      return 1;
    }
    first = *leased;
  }
  std::cerr << "simulate mac: keys " << first << ".." << first + o.count - 1 << " from "
            << pool.dir().string() << (o.reuse_keys ? " (reused)" : " (leased for this server)")
            << "\n";
  auto made = pool.ensure(
      first + static_cast<std::size_t>(o.count), [](std::size_t done, std::size_t count) {
        if (done % 50 == 0 || done == count)
          std::cerr << "\rkeys: generated " << done << "/" << count << std::flush;
      });
  if (!made) {
    std::cerr << "simulate mac: " << made.error().message << "\n";
    return 1;
  }
  if (*made) std::cerr << "\n";
  net::IoRuntime io(2);
  std::vector<std::unique_ptr<simulators::mac::SimulatedMac>> macs;
  for (int i = 0; i < o.count; ++i) {
    auto id =
        simulators::mac::realistic_identity(crypto::random_bytes(32), o.model, o.os, o.udid_prefix);
    id.device_name = "mdmlab-mac-" + std::to_string(i + 1);
    simulators::mac::MacKnobs knobs;
    knobs.apns_url = o.apns;
    knobs.fresh_transaction_id = o.reuse_keys;
    macs.push_back(std::make_unique<simulators::mac::SimulatedMac>(
        io.executor(), id, pool.get(first + static_cast<std::size_t>(i)).value(), knobs));
  }

  std::atomic<int> enrolled{0}, failed{0}, next{0};
  auto enroll_worker = [&]() -> asio::awaitable<void> {
    for (int i = next++; i < o.count; i = next++) {
      auto& mac = *macs[static_cast<std::size_t>(i)];
      Result<void> r;
      if (from_url) {
        r = co_await mac.enroll_from_url(o.profile);
      } else {
        r = co_await mac.enroll(profile_bytes);
      }
      if (r)
        ++enrolled;
      else {
        ++failed;
        std::cerr << "  " << mac.identity().udid << ": " << mac.last_error() << "\n";
      }
      std::cerr << "\renrolled " << enrolled << "/" << o.count << " (" << failed << " failed)"
                << std::flush;
    }
  };
  std::vector<std::future<void>> workers;
  for (int w = 0; w < std::min(o.concurrency, o.count); ++w)
    workers.push_back(asio::co_spawn(io.executor(), enroll_worker(), asio::use_future));
  for (auto& f : workers) f.get();
  std::cerr << "\n";
  std::cout << "enrolled " << enrolled << " of " << o.count << " Macs, " << failed << " failed"
            << std::endl;
  if (enrolled == 0) return 1;

  // Keep answering: poll every interval until the duration passes or a signal arrives.
  std::atomic<bool> stop{false};
  asio::signal_set signals(io.context(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) stop = true;
  });
  auto deadline = duration->count() > 0 ? std::chrono::steady_clock::now() + *duration
                                        : std::chrono::steady_clock::time_point::max();
  long rounds = 0, answered = 0, errors = 0;
  while (!stop && std::chrono::steady_clock::now() < deadline) {
    std::atomic<long> round_answered{0}, round_errors{0};
    std::vector<std::future<void>> polls;
    for (auto& m : macs) {
      if (m->state() != simulators::mac::MacState::enrolled) continue;
      auto* mac = m.get();
      polls.push_back(asio::co_spawn(
          io.executor(),
          [mac, &round_answered, &round_errors]() -> asio::awaitable<void> {
            auto r = co_await mac->poll();
            if (r)
              round_answered += *r;
            else
              ++round_errors;
          },
          asio::use_future));
    }
    for (auto& f : polls) f.get();
    ++rounds;
    answered += round_answered;
    errors += round_errors;
    std::cerr << "round " << rounds << ": " << round_answered << " commands answered, "
              << round_errors << " poll errors (total " << answered << " / " << errors << ")\n";
    auto wake = std::chrono::steady_clock::now() + *interval;
    while (!stop && std::chrono::steady_clock::now() < std::min(wake, deadline))
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  signals.cancel();
  // Every answer counts, whether a round's poll or a push made the Mac ask.
  long pushes = 0, results = 0;
  for (auto& m : macs) {
    pushes += m->push_counts().received;
    results += m->commands_answered();
    asio::co_spawn(io.executor(), m->shutdown(), asio::use_future).get();
  }
  std::cout << "polled " << rounds << " rounds, " << errors
            << " poll errors; commands answered: " << results << " (results the server accepted)"
            << std::endl;
  if (!o.apns.empty()) std::cout << "pushes received: " << pushes << std::endl;
  std::cout << "devices:\n";
  for (auto& m : macs)
    std::cout << "  " << m->identity().udid << "  " << simulators::mac::to_string(m->state())
              << "  " << m->commands_answered() << " answered\n";
  std::cout << std::flush;
  macs.clear();
  io.stop();
  return errors == 0 ? 0 : 1;
}
}  // namespace

Action add_simulate_command(CLI::App& app) {
  auto* simulate =
      app.add_subcommand("simulate", "Run simulated devices (and, later, cloud services) alone");
  simulate->require_subcommand(1);
  auto o = std::make_shared<SimulateMacOptions>();
  auto* mac = simulate->add_subcommand(
      "mac", "Enroll N simulated Macs from an enrollment profile and keep them answering");
  mac->add_option("--profile", o->profile,
                  "Enrollment profile: http(s) URL or .mobileconfig file (signed or not)")
      ->required();
  mac->add_option("--count", o->count, "How many Macs")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  mac->add_option("--poll-interval", o->poll_interval, "How often each Mac polls the command loop")
      ->capture_default_str();
  mac->add_option("--duration", o->duration, "Stop after this long (0s: until Ctrl-C)")
      ->capture_default_str();
  mac->add_option("--concurrency", o->concurrency, "Enrollments in flight at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  mac->add_option("--model", o->model,
                  "Model identifier of every Mac, e.g. Mac14,2 or MacBookPro16,1 (default: a "
                  "mix of Intel and Apple silicon models)");
  mac->add_option("--os", o->os,
                  "macOS version of every Mac, e.g. 14.5 (default: one each model runs)");
  mac->add_option("--udid-prefix", o->udid_prefix,
                  "UDIDs as this prefix + 16 hex digits, to spot your devices (default: each "
                  "model's real form: a hardware UUID on Intel, 0000<chip>-<ECID> on Apple "
                  "silicon)")
      ->capture_default_str();
  mac->add_flag("--reuse-keys", o->reuse_keys,
                "Reuse cached keys 0..N-1 with a fresh SCEP transactionID each (new certificates, "
                "no key generation; the server must accept one key in several certificates). "
                "Default: keys leased per server, never used twice against it");
  mac->add_option(
      "--apns", o->apns,
      "APNs simulator control URL: Macs register their tokens there and wake on pushes");
  auto apns = add_simulate_apns_command(*simulate);
  auto abm = add_simulate_abm_command(*simulate);
  auto entra = add_simulate_entra_command(*simulate);
  return [o, mac, apns, abm, entra] {
    if (mac->parsed()) return run_simulate_mac(*o);
    if (auto r = apns(); r != -1) return r;
    if (auto r = abm(); r != -1) return r;
    return entra();
  };
}

}  // namespace mdmlab::apps
