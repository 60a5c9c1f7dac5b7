// The reference server's ADE side against the ABM simulator, over loopback: the server signs
// GET /session with its token, defines its ADE profile, fetches and assigns, follows
// /devices/sync from the stored cursor (also across a restart), authenticates again when the
// session ends, waits out a 429 as Retry-After asks, starts over when the cursor expires (7
// virtual days), and removes the profile on request. Both sides share one virtual clock.
#include <boost/test/unit_test.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <thread>

#include "core/net/http_client.hpp"
#include "core/net/io_runtime.hpp"
#include "crypto/init.hpp"
#include "protocol/apple/dep/server_token.hpp"
#include "server/reference_server.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"
#include "simulators/services/abm/abm_simulator.hpp"
#include "simulators/services/abm/server_token_file.hpp"
#include "tests/server/scep_fixture.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using nlohmann::json;

namespace {
struct DepFixture {
  std::string dir = make_temp_dir("mdmlab-dep-");
  std::shared_ptr<VirtualClock> clock = std::make_shared<VirtualClock>();
  net::IoRuntime io{2};
  simulators::abm::AbmSimulator sim{io, {}, clock};
  std::unique_ptr<server::ReferenceServer> server;
  const std::string admin_token = "dep-admin-token";

  explicit DepFixture(int devices = 5, bool smime = false) {
    crypto::init_openssl();
    BOOST_REQUIRE(sim.start().ok());
    for (int i = 1; i <= devices; ++i) add_device("C02DEP" + std::to_string(1000 + i));
    start_server(smime);
  }
  ~DepFixture() {
    if (server) server->stop();
    server.reset();
    sim.stop();
    io.stop();
    std::filesystem::remove_all(dir);
  }
  void start_server(bool smime = false) {
    server::ReferenceServerConfig cfg;
    cfg.data_dir = dir;
    cfg.admin_token = admin_token;
    server::DepSettings dep;
    dep.url = sim.dep_url();
    dep.interval = std::chrono::hours(24);
    dep.poll = std::chrono::milliseconds(20);
    dep.token_text = apple::dep::encode_server_token(sim.state().token());
    if (smime) {
      // As an operator would: first start writes dep.pem, ABM encrypts the token to it.
      server::ReferenceServerConfig first = cfg;
      first.dep = server::DepSettings{};
      first.dep->url = sim.dep_url();
      server::ReferenceServer bootstrap(io, first, clock);
      BOOST_REQUIRE(bootstrap.start().ok());
      bootstrap.stop();
      auto cert = crypto::Certificate::from_pem(read_file(dir + "/dep.pem"));
      BOOST_REQUIRE(cert.ok());
      auto file = simulators::abm::smime_token_file(sim.state().token(), *cert);
      BOOST_REQUIRE(file.ok());
      dep.token_text = *file;
    }
    cfg.dep = dep;
    server = std::make_unique<server::ReferenceServer>(io, cfg, clock);
    auto started = server->start();
    BOOST_REQUIRE_MESSAGE(started.ok(), (started.ok() ? std::string() : started.error().message));
  }
  void add_device(const std::string& serial) {
    apple::dep::DepDevice d;
    d.serial_number = serial;
    d.model = "MacBook Air";
    sim.state().add_device(d);
  }
  net::HttpResponse call(const std::string& origin, const std::string& method,
                         const std::string& target) {
    net::HttpClient http(io.executor(), origin);
    net::HttpRequest req;
    req.method = method;
    req.target = target;
    req.headers = {{"Authorization", "Bearer " + admin_token}};
    return boost::asio::co_spawn(io.executor(), http.send(req), boost::asio::use_future)
        .get()
        .value();
  }
  json admin(const std::string& method, const std::string& target, int expect = 200) {
    auto res = call(server->http_url(), method, target);
    BOOST_REQUIRE_MESSAGE(res.status == expect,
                          target + ": " + std::to_string(res.status) + " " + res.body);
    return json::parse(res.body);
  }
  json sync() { return admin("POST", "/admin/v1/apple/dep/sync"); }
  // Waits for the loop's first pass (it starts with the server).
  json first_pass() {
    for (int i = 0; i < 500; ++i) {
      auto s = admin("GET", "/admin/v1/apple/dep");
      if (s["passes"].get<int>() >= 1) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    BOOST_FAIL("the DEP sync loop never ran");
    return {};
  }
  std::map<std::string, json> devices() {
    std::map<std::string, json> out;
    const auto listed = admin("GET", "/admin/v1/apple/dep/devices");
    for (const auto& d : listed["devices"]) out[d["serial_number"].get<std::string>()] = d;
    return out;
  }
  // A series' value; -1 when /metrics has no such series.
  double metric(const std::string& line_prefix) {
    auto text = call(server->http_url(), "GET", "/metrics").body;
    auto at = text.find("\n" + line_prefix + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + line_prefix.size() + 2));
  }
  int abm_requests(const std::string& route, const std::string& status) {
    auto text = call(sim.control_url(), "GET", "/metrics").body;
    const auto key =
        "mdmlab_abm_sim_requests_total{route=\"" + route + "\",status=\"" + status + "\"} ";
    auto at = text.find(key);
    return at == std::string::npos ? 0 : std::stoi(text.substr(at + key.size()));
  }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(dep_sync)

BOOST_AUTO_TEST_CASE(first_pass_defines_the_ade_profile_fetches_and_assigns_every_device) {
  DepFixture f(5);
  auto status = f.first_pass();
  BOOST_TEST(status["last_error"] == "", status.dump());
  BOOST_TEST(status["phase"] == "sync");
  BOOST_TEST(status["assigned"] == 5);
  const auto uuid = status["profile_uuid"].get<std::string>();
  BOOST_REQUIRE(!uuid.empty());
  // ABM now has our profile, pointing Setup Assistant at the server, on every device.
  auto profile = f.sim.state().profile(uuid);
  BOOST_REQUIRE(profile.has_value());
  BOOST_TEST(profile->url == f.server->ade_enrollment_url());
  BOOST_TEST(profile->await_device_configured);
  BOOST_TEST(profile->is_supervised);
  for (const auto& d : f.sim.state().devices()) {
    BOOST_TEST(d.profile_uuid == uuid, d.serial_number);
    BOOST_TEST(d.profile_status == "assigned");
  }
  auto ours = f.devices();
  BOOST_TEST(ours.size() == 5u);
  for (const auto& [serial, d] : ours) {
    BOOST_TEST(d["assign_result"] == "SUCCESS", serial);
    BOOST_TEST(d["profile_uuid"] == uuid);
  }
  BOOST_TEST(f.abm_requests("/session", "200") == 1);
  BOOST_TEST(f.metric("mdmlab_dep_sync_devices_total{op_type=\"fetched\"}") == 5);
  BOOST_TEST(f.metric("mdmlab_dep_profile_assignments_total{result=\"SUCCESS\"}") == 5);
  BOOST_TEST(f.metric("mdmlab_dep_requests_total{operation=\"define_profile\",status=\"200\"}") ==
             1);
}

BOOST_AUTO_TEST_CASE(the_sync_brings_added_and_deleted_devices_and_assigns_only_the_new) {
  DepFixture f(3);
  f.first_pass();
  f.add_device("C02NEW0001");
  f.add_device("C02NEW0002");
  BOOST_REQUIRE(f.sim.state().remove_device("C02DEP1001"));
  auto status = f.sync();
  BOOST_TEST(status["last_error"] == "", status.dump());
  BOOST_TEST(status["assigned"] == 5);  // 3 at first, then only the two new ones
  auto ours = f.devices();
  BOOST_TEST(ours["C02NEW0001"]["assign_result"] == "SUCCESS");
  const auto op = ours["C02NEW0002"]["op_type"].get<std::string>();
  BOOST_TEST((op == "added" || op == "modified"), op);
  BOOST_TEST(ours["C02DEP1001"]["deleted"] == true);
  BOOST_TEST(f.sim.state().device("C02NEW0002")->profile_uuid == status["profile_uuid"]);
  // No second profile definition, no full fetch again.
  BOOST_TEST(f.metric("mdmlab_dep_requests_total{operation=\"define_profile\",status=\"200\"}") ==
             1);
  BOOST_TEST(f.metric("mdmlab_dep_sync_devices_total{op_type=\"fetched\"}") == 3);
}

BOOST_AUTO_TEST_CASE(an_ended_session_is_replaced_by_authenticating_again) {
  DepFixture f(2);
  f.first_pass();
  f.sim.state().expire_sessions();
  f.add_device("C02AFTER001");
  auto status = f.sync();
  BOOST_TEST(status["last_error"] == "", status.dump());
  BOOST_TEST(f.sim.state().device("C02AFTER001")->profile_status == "assigned");
  BOOST_TEST(f.abm_requests("/session", "200") == 2);
  BOOST_TEST(f.abm_requests("/devices/sync", "401") == 1);
}

BOOST_AUTO_TEST_CASE(a_429_waits_as_long_as_retry_after_asks_and_a_500_is_reported) {
  DepFixture f(1);
  f.first_pass();
  simulators::abm::DepFault throttle;
  throttle.path = "/devices/sync";
  throttle.status = 429;
  throttle.retry_after = 120;
  throttle.body = "TOO_MANY_REQUESTS";
  f.sim.state().add_fault(throttle);
  auto status = f.sync();
  BOOST_TEST(status["last_error"].get<std::string>().starts_with("dep_throttled"), status.dump());
  BOOST_TEST(
      status["next_run_at"].get<std::int64_t>() - status["last_run_at"].get<std::int64_t>() == 120);
  BOOST_TEST(f.metric("mdmlab_dep_sync_passes_total{result=\"throttled\"}") == 1);
  // A pass asked for inside the Retry-After makes no call (ABM would count it against us).
  const auto calls = f.abm_requests("/devices/sync", "429");
  const auto answered = f.abm_requests("/devices/sync", "200");
  f.clock->advance(std::chrono::seconds(60));
  status = f.sync();
  BOOST_TEST(status["last_error"].get<std::string>().starts_with("dep_throttled"));
  BOOST_TEST(f.abm_requests("/devices/sync", "429") == calls);
  BOOST_TEST(f.abm_requests("/devices/sync", "200") == answered);
  f.clock->advance(std::chrono::seconds(60));
  simulators::abm::DepFault broken;
  broken.path = "/devices/sync";
  broken.status = 500;
  broken.body = "INTERNAL_ERROR";
  f.sim.state().add_fault(broken);
  status = f.sync();
  BOOST_TEST(status["last_error"].get<std::string>().starts_with("dep_unavailable"));
  // Nothing was lost: the next pass picks up from the stored cursor.
  f.add_device("C02LATE0001");
  status = f.sync();
  BOOST_TEST(status["last_error"] == "");
  BOOST_TEST(f.sim.state().device("C02LATE0001")->profile_status == "assigned");
}

BOOST_AUTO_TEST_CASE(the_cursor_survives_a_restart_and_an_expired_one_starts_over) {
  DepFixture f(4);
  f.first_pass();
  f.server->stop();
  f.server.reset();
  f.add_device("C02RESTART1");
  f.start_server();
  auto status = f.first_pass();
  BOOST_TEST(status["last_error"] == "", status.dump());
  // The restarted server synced from the stored cursor: one new device, no full fetch.
  BOOST_TEST(f.metric("mdmlab_dep_sync_devices_total{op_type=\"fetched\"}") == -1);
  BOOST_TEST(f.metric("mdmlab_dep_sync_devices_total{op_type=\"added\"}") >= 1);
  BOOST_TEST(f.sim.state().device("C02RESTART1")->profile_status == "assigned");
  // Its ADE URL moved (a new port), so it defined the profile again and moved every device
  // to it.
  BOOST_TEST(f.metric("mdmlab_dep_requests_total{operation=\"define_profile\",status=\"200\"}") ==
             1);
  BOOST_TEST(f.sim.state().profile(status["profile_uuid"])->url == f.server->ade_enrollment_url());
  for (const auto& d : f.sim.state().devices())
    BOOST_TEST(d.profile_uuid == status["profile_uuid"].get<std::string>(), d.serial_number);
  // Eight days on, ABM refuses the cursor: the server fetches everything again.
  f.clock->advance(std::chrono::hours(24 * 8));
  status = f.sync();
  BOOST_TEST(status["last_error"] == "", status.dump());
  BOOST_TEST(f.metric("mdmlab_dep_sync_devices_total{op_type=\"fetched\"}") == 5);
  BOOST_TEST(f.abm_requests("/devices/sync", "400") >= 1);
}

BOOST_AUTO_TEST_CASE(an_smime_token_is_opened_with_dep_key_and_the_profile_can_be_removed) {
  DepFixture f(2, /*smime=*/true);
  auto status = f.first_pass();
  BOOST_TEST(status["last_error"] == "", status.dump());
  BOOST_TEST(status["assigned"] == 2);
  auto removed = f.admin("DELETE", "/admin/v1/apple/dep/devices/C02DEP1001");
  BOOST_TEST(removed["devices"]["C02DEP1001"] == "SUCCESS");
  BOOST_TEST(f.sim.state().device("C02DEP1001")->profile_uuid == "");
  BOOST_TEST(f.devices()["C02DEP1001"]["profile_status"] == "removed");
  // The next sync sees the removal (op_type modified, status removed) and leaves it so.
  auto after = f.sync();
  BOOST_TEST(after["last_error"] == "", after.dump());
  BOOST_TEST(f.sim.state().device("C02DEP1001")->profile_uuid == "");
  BOOST_TEST(f.sim.state().device("C02DEP1001")->profile_status == "removed");
  BOOST_TEST(
      f.call(f.server->http_url(), "DELETE", "/admin/v1/apple/dep/devices/C02%FF01").status == 400);
  auto unknown = f.admin("DELETE", "/admin/v1/apple/dep/devices/NOSUCHSERIAL");
  BOOST_TEST(unknown["devices"]["NOSUCHSERIAL"] == "NOT_ACCESSIBLE");
  // The admin API wants its token.
  net::HttpClient http(f.io.executor(), f.server->http_url());
  auto anonymous = boost::asio::co_spawn(f.io.executor(), http.get("/admin/v1/apple/dep"),
                                         boost::asio::use_future)
                       .get();
  BOOST_TEST(anonymous->status == 401);
}

BOOST_AUTO_TEST_CASE(a_mac_in_abm_boots_into_ade_and_leaves_setup_assistant_on_device_configured) {
  DepFixture f(0);
  f.add_device("C02ADEMAC01");
  auto status = f.sync();
  BOOST_TEST(status["assigned"] == 1, status.dump());
  simulators::mac::MacIdentity id;
  id.udid = "0000FE00-ADE000000001";
  id.serial_number = "C02ADEMAC01";
  simulators::mac::SimulatedMac mac(f.io.executor(), id, test_key_pool().get(61).value());
  auto run = [&](auto aw) {
    return boost::asio::co_spawn(f.io.executor(), std::move(aw), boost::asio::use_future).get();
  };
  auto enrolled = run(mac.enroll_ade(f.sim.control_url()));
  BOOST_REQUIRE_MESSAGE(enrolled.ok(), mac.last_error());
  // Setup Assistant got the server's profile through Apple and now waits for the server.
  BOOST_TEST(json::parse(mac.cloud_configuration())["url"] == f.server->ade_enrollment_url());
  BOOST_TEST(f.sim.state().device("C02ADEMAC01")->profile_status == "pushed");
  BOOST_TEST(mac.awaiting_configuration());
  auto e = run(f.server->apple_store().find_enrollment(id.udid));
  BOOST_REQUIRE(e.ok() && e->has_value());
  BOOST_TEST((*e)->enabled);
  BOOST_TEST((*e)->serial_number == "C02ADEMAC01");
  // A TokenUpdate sent again while still waiting queues no second DeviceConfigured.
  auto again = run(mac.send_checkin_message(apple::CheckinType::token_update));
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(again->status == 200);
  // The server answered AwaitingConfiguration with DeviceConfigured, once.
  auto answered = run(mac.poll());
  BOOST_REQUIRE(answered.ok());
  BOOST_TEST(*answered == 1);
  const auto received = mac.received_commands();
  BOOST_REQUIRE(received.size() == 1u);
  BOOST_TEST(received[0].request_type == "DeviceConfigured");
  BOOST_TEST(received[0].status == "Acknowledged");
  BOOST_TEST(!mac.awaiting_configuration());

  // A Mac Apple has no configuration for stays out; machine info that is not a verifying
  // SignedData gets 400.
  simulators::mac::MacIdentity stranger_id;
  stranger_id.udid = "0000FE00-ADE000000002";
  stranger_id.serial_number = "NOTINABM001";
  simulators::mac::SimulatedMac stranger(f.io.executor(), stranger_id,
                                         test_key_pool().get(62).value());
  auto refused = run(stranger.enroll_ade(f.sim.control_url()));
  BOOST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.error().code == "ade_no_configuration");
  net::HttpClient http(f.io.executor(), f.server->http_url());
  auto bad =
      run(http.post("/api/mdm/apple/enroll", "not a signed plist", "application/pkcs7-signature"));
  BOOST_TEST(bad->status == 400);
}

BOOST_AUTO_TEST_SUITE_END()
