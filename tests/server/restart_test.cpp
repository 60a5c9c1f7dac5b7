// Restarts lose nothing: `mdmlab serve` is stopped (SIGTERM, and separately SIGKILL) while Macs
// enroll and commands are queued, NotNow'd and acknowledged; a new `mdmlab serve` on the same
// data directory delivers every pending command exactly once, still answers acknowledged
// results, still accepts the identities it issued, and holds no half-written enrollment
// (every Mac caught mid-enrollment completes it; SQLite's integrity_check says ok).
#include <boost/test/unit_test.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <csignal>
#include <future>

#include <nlohmann/json.hpp>

#include "core/net/http_client.hpp"
#include "core/net/io_runtime.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"
#include "tests/server/scep_fixture.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using nlohmann::json;
using simulators::mac::SimulatedMac;
namespace asio = boost::asio;

namespace {
struct Serve {
  std::string dir;
  unsigned short http_port, https_port;
  std::unique_ptr<BackgroundProcess> process;
  std::string token;

  void start(const std::string& log) {
    process = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{
            mdmlab_cli(), "--log-level", "warn", "serve", "--data-dir", dir + "/data", "--listen",
            "127.0.0.1:" + std::to_string(http_port), "--https-listen",
            "127.0.0.1:" + std::to_string(https_port), "--scep-challenge", "restart-secret"},
        dir + "/" + log);
    BOOST_REQUIRE(wait_for_port(http_port) && wait_for_port(https_port));
    token = read_file(dir + "/data/admin-token");
    token.erase(token.find_last_not_of('\n') + 1);
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(http_port); }
};

template <typename T>
T run(net::IoRuntime& io, asio::awaitable<T> aw) {
  return asio::co_spawn(io.executor(), std::move(aw), asio::use_future).get();
}

Result<net::HttpResponse> admin(net::IoRuntime& io, const Serve& s, std::string method,
                                std::string target, std::string body = {}) {
  auto call = [](asio::any_io_executor ex, std::string base, std::string token, std::string method,
                 std::string target,
                 std::string body) -> asio::awaitable<Result<net::HttpResponse>> {
    net::HttpClient http(ex, base);
    net::HttpRequest req;
    req.method = method;
    req.target = target;
    req.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    req.body = body;
    auto res = co_await http.send(req);
    co_return res;
  };
  return run(io, call(io.executor(), s.base(), s.token, method, target, body));
}

std::string enqueue(net::IoRuntime& io, const Serve& s, const std::string& udid,
                    const std::string& type) {
  auto res = admin(io, s, "POST", "/admin/v1/apple/commands",
                   json{{"udids", {udid}}, {"type", type}, {"no_push", true}}.dump());
  BOOST_REQUIRE(res.ok());
  BOOST_REQUIRE_MESSAGE(res->status == 201, res->body);
  return json::parse(res->body)["command_uuid"].get<std::string>();
}

json command(net::IoRuntime& io, const Serve& s, const std::string& uuid) {
  auto res = admin(io, s, "GET", "/admin/v1/apple/commands/" + uuid);
  BOOST_REQUIRE(res.ok() && res->status == 200);
  return json::parse(res->body)["results"][0];
}

std::unique_ptr<SimulatedMac> make_mac(net::IoRuntime& io, const std::string& udid, std::size_t key,
                                       int not_now = 0) {
  simulators::mac::MacIdentity id;
  id.udid = udid;
  id.serial_number = "C02" + udid.substr(udid.size() - 9);
  id.device_name = udid;
  simulators::mac::MacKnobs knobs;
  knobs.not_now_polls = not_now;
  return std::make_unique<SimulatedMac>(io.executor(), id, test_key_pool().get(key).value(), knobs);
}

void restart_loses_nothing(int signal) {
  Serve s{make_temp_dir("mdmlab-restart-"), free_port(), free_port(), nullptr, {}};
  s.start("serve-1.log");
  net::IoRuntime io(2);
  const auto profile = s.base() + "/mdm/apple/enroll";
  auto acked_mac = make_mac(io, "RESTART-MAC-ACKED", 80);
  auto not_now_mac = make_mac(io, "RESTART-MAC-NOTNOW", 81, 1);
  auto queued_mac = make_mac(io, "RESTART-MAC-QUEUED", 82);
  for (auto* m : {acked_mac.get(), not_now_mac.get(), queued_mac.get()})
    BOOST_REQUIRE(run(io, m->enroll_from_url(profile)).ok());

  auto acked = enqueue(io, s, acked_mac->identity().udid, "ProfileList");
  BOOST_REQUIRE(run(io, acked_mac->poll()).value() == 1);
  auto not_now = enqueue(io, s, not_now_mac->identity().udid, "SecurityInfo");
  BOOST_REQUIRE(run(io, not_now_mac->poll()).value() == 1);  // answered NotNow
  BOOST_REQUIRE(command(io, s, not_now)["status"] == "NotNow");
  auto queued = enqueue(io, s, queued_mac->identity().udid, "DeviceInformation");

  // Macs caught mid-enrollment: started, then the server goes away under them.
  std::vector<std::unique_ptr<SimulatedMac>> inflight;
  std::vector<std::future<Result<void>>> enrolling;
  for (int i = 0; i < 6; ++i) {
    inflight.push_back(make_mac(io, "RESTART-INFLIGHT-" + std::to_string(i), 83 + i));
    enrolling.push_back(
        asio::co_spawn(io.executor(), inflight.back()->enroll_from_url(profile), asio::use_future));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  int code = s.process->stop(signal);
  BOOST_TEST(code == (signal == SIGTERM ? 0 : 128 + SIGKILL), "serve exited with " << code);
  for (auto& e : enrolling) (void)e.get();  // whatever happened, they have finished

  auto integrity = run_command("sqlite3 " + s.dir + "/data/mdmlab.db 'PRAGMA integrity_check'");
  BOOST_TEST(integrity.output == "ok\n", integrity.output);

  s.start("serve-2.log");
  // Acknowledged results are still there.
  auto a = command(io, s, acked);
  BOOST_TEST(a["status"] == "Acknowledged");
  BOOST_TEST(a["result"].get<std::string>().find("ProfileList") != std::string::npos);
  // Identities issued before the restart still work; pending commands come exactly once.
  BOOST_TEST(run(io, acked_mac->poll()).value() == 0);
  BOOST_TEST(run(io, not_now_mac->poll()).value() == 1);
  BOOST_TEST(run(io, not_now_mac->poll()).value() == 0);
  BOOST_TEST(command(io, s, not_now)["status"] == "Acknowledged");
  BOOST_TEST(command(io, s, not_now)["not_now_count"] == 1);
  BOOST_TEST(run(io, queued_mac->poll()).value() == 1);
  BOOST_TEST(run(io, queued_mac->poll()).value() == 0);
  BOOST_TEST(command(io, s, queued)["status"] == "Acknowledged");
  // No half-written enrollment: every Mac caught mid-way enrolls now, with the same key.
  for (std::size_t i = 0; i < inflight.size(); ++i) {
    auto again = make_mac(io, inflight[i]->identity().udid, 83 + i);
    auto r = run(io, again->enroll_from_url(profile));
    BOOST_TEST(r.ok(), inflight[i]->identity().udid << ": " << again->last_error());
    BOOST_TEST(run(io, again->poll()).ok());
    run(io, again->shutdown());
  }
  for (auto* m : {acked_mac.get(), not_now_mac.get(), queued_mac.get()}) run(io, m->shutdown());
  for (auto& m : inflight) run(io, m->shutdown());
  s.process.reset();
  io.stop();
  std::filesystem::remove_all(s.dir);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(restart)

BOOST_AUTO_TEST_CASE(sigterm_drains_and_a_restart_loses_nothing) {
  restart_loses_nothing(SIGTERM);
}

BOOST_AUTO_TEST_CASE(sigkill_mid_work_and_a_restart_loses_nothing) {
  restart_loses_nothing(SIGKILL);
}

BOOST_AUTO_TEST_SUITE_END()
