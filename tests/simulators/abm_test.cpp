// The ABM simulator against an independent DEP client: tests/interop/abm/dep_client.py signs
// GET /session with oauthlib (not our code) and calls the DEP API over real sockets. Wrong
// secrets, reused nonces and stale timestamps are refused; cursors page, sync, exhaust and
// expire (after 7 virtual days); profiles are defined, assigned and removed; faults and session
// expiry answer as Apple does.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>

#include <boost/asio/any_io_executor.hpp>
#include "core/clock/clock.hpp"

#include "core/net/io_runtime.hpp"
#include "crypto/ca.hpp"
#include "simulators/services/abm/abm_simulator.hpp"
#include "simulators/services/abm/server_token_file.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using nlohmann::json;
using simulators::abm::AbmSimulator;

namespace {
struct AbmFixture {
  net::IoRuntime io{2};
  std::shared_ptr<VirtualClock> clock = std::make_shared<VirtualClock>();
  AbmSimulator sim{io, {}, clock};
  std::string dir = make_temp_dir("mdmlab-abm-");

  AbmFixture() {
    BOOST_REQUIRE(sim.start().ok());
    write_file(dir + "/token.json", simulators::abm::token_json(sim.state().token()).dump());
    for (int i = 1; i <= 5; ++i) {
      apple::dep::DepDevice d;
      d.serial_number = "C02TEST0000" + std::to_string(i);
      d.model = "MacBook Pro";
      sim.state().add_device(d);
    }
  }
  ~AbmFixture() {
    sim.stop();
    std::filesystem::remove_all(dir);
  }
  json client(const std::string& args) {
    auto r = run_command("DEP_TIMESTAMP=" + now_seconds() + " /usr/bin/python3 " +
                         std::string(MDMLAB_SOURCE_DIR) + "/tests/interop/abm/dep_client.py " +
                         sim.dep_url() + " " + dir + "/token.json " + args);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    return json::parse(r.output.substr(r.output.find('{')));
  }
  std::string now_seconds() const {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(clock->now().time_since_epoch()).count());
  }
  json call(const std::string& method, const std::string& path, const std::string& body = "") {
    return client("call " + method + " " + path + (body.empty() ? "" : " '" + body + "'"));
  }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(abm_simulator)

BOOST_AUTO_TEST_CASE(oauthlib_signed_sessions_are_accepted_and_forgeries_refused) {
  AbmFixture f;
  auto ok = f.client("session --timestamp " + f.now_seconds());
  BOOST_TEST(ok["status"] == 200, ok.dump());
  BOOST_TEST(json::parse(ok["body"].get<std::string>())["auth_session_token"]
                 .get<std::string>()
                 .starts_with("SESSION-"));

  auto wrong = f.client("session --wrong-secret --timestamp " + f.now_seconds());
  BOOST_TEST(wrong["status"] == 401);
  BOOST_TEST(wrong["body"].get<std::string>().find("signature") != std::string::npos);

  auto first = f.client("session --nonce n0nce-once --timestamp " + f.now_seconds());
  auto again = f.client("session --nonce n0nce-once --timestamp " + f.now_seconds());
  BOOST_TEST(first["status"] == 200);
  BOOST_TEST(again["status"] == 401);
  BOOST_TEST(again["body"].get<std::string>().find("nonce") != std::string::npos);

  auto stale =
      f.client("session --timestamp " + std::to_string(std::stoll(f.now_seconds()) - 3600));
  BOOST_TEST(stale["status"] == 401);
  BOOST_TEST(stale["body"].get<std::string>().find("timestamp") != std::string::npos);

  // Without a session, the DEP calls answer 401 (the client authenticates again).
  auto r = run_command("curl -s -o /dev/null -w '%{http_code}' -X POST " + f.sim.dep_url() +
                       "/server/devices -d '{}'");
  BOOST_TEST(r.output == "401");
}

BOOST_AUTO_TEST_CASE(fetch_pages_then_sync_reports_changes_and_cursors_end_as_apple_says) {
  AbmFixture f;
  auto page1 = f.call("POST", "/server/devices", R"({"limit": 2})");
  BOOST_REQUIRE(page1["status"] == 200);
  auto p1 = json::parse(page1["body"].get<std::string>());
  BOOST_TEST(p1["devices"].size() == 2u);
  BOOST_TEST(p1["more_to_follow"] == true);
  auto cursor = p1["cursor"].get<std::string>();
  std::size_t seen = 2;
  while (true) {
    auto next = json::parse(
        f.call("POST", "/server/devices", R"({"limit": 2, "cursor": ")" + cursor + R"("})")["body"]
            .get<std::string>());
    seen += next["devices"].size();
    cursor = next["cursor"].get<std::string>();
    if (!next["more_to_follow"].get<bool>()) break;
  }
  BOOST_TEST(seen == 5u);
  auto exhausted = f.call("POST", "/server/devices", R"({"cursor": ")" + cursor + R"("})");
  BOOST_TEST(exhausted["status"] == 400);
  BOOST_TEST(exhausted["body"].get<std::string>().find("EXHAUSTED_CURSOR") != std::string::npos);

  // Changes after the fetch come through /devices/sync with their op_type.
  apple::dep::DepDevice added;
  added.serial_number = "C02TEST00009";
  added.model = "iMac";
  f.sim.state().add_device(added);
  f.sim.state().remove_device("C02TEST00001");
  auto sync = f.call("POST", "/devices/sync", R"({"cursor": ")" + cursor + R"("})");
  BOOST_REQUIRE(sync["status"] == 200);
  auto s = json::parse(sync["body"].get<std::string>());
  BOOST_REQUIRE(s["devices"].size() == 2u);
  BOOST_TEST(s["devices"][0]["serial_number"] == "C02TEST00009");
  BOOST_TEST(s["devices"][0]["op_type"] == "added");
  BOOST_TEST(s["devices"][1]["op_type"] == "deleted");

  // The control API ends every cursor handed out so far (as 7 days would).
  auto before = run_command("curl -s -X POST -o /dev/null -w '%{http_code}' " +
                            f.sim.control_url() + "/control/v1/cursors/expire");
  BOOST_TEST(before.output == "204");
  auto ended = f.call("POST", "/devices/sync", R"({"cursor": ")" + cursor + R"("})");
  BOOST_TEST(ended["body"].get<std::string>().find("EXPIRED_CURSOR") != std::string::npos);
  auto stats =
      json::parse(run_command("curl -s " + f.sim.control_url() + "/control/v1/stats").output);
  BOOST_TEST(stats["expired_cursors"] == 1);
  BOOST_TEST(stats["sync_pages"] == 1);
  BOOST_TEST(stats["fetch_pages"].get<int>() >= 3);
  auto invalid = f.call("POST", "/devices/sync", R"({"cursor": "no-such-cursor"})");
  BOOST_TEST(invalid["body"].get<std::string>().find("INVALID_CURSOR") != std::string::npos);
  f.clock->advance(std::chrono::hours(24 * 8));
  auto expired =
      f.call("POST", "/devices/sync", R"({"cursor": ")" + s["cursor"].get<std::string>() + R"("})");
  BOOST_TEST(expired["status"] == 400);
  BOOST_TEST(expired["body"].get<std::string>().find("EXPIRED_CURSOR") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(profiles_are_defined_assigned_removed_and_a_booting_mac_gets_its_own) {
  AbmFixture f;
  auto defined = f.call("POST", "/profile",
                        R"({"profile_name": "mdmlab ADE", "url": "https://mdm.example.com/enroll",)"
                        R"( "is_supervised": true, "await_device_configured": true,)"
                        R"( "devices": ["C02TEST00001", "NOT-IN-ORG"]})");
  BOOST_REQUIRE(defined["status"] == 200);
  auto d = json::parse(defined["body"].get<std::string>());
  const auto uuid = d["profile_uuid"].get<std::string>();
  BOOST_TEST(d["devices"]["C02TEST00001"] == "SUCCESS");
  BOOST_TEST(d["devices"]["NOT-IN-ORG"] == "NOT_ACCESSIBLE");
  auto got = json::parse(f.call("GET", "/profile?profile_uuid=" + uuid)["body"].get<std::string>());
  BOOST_TEST(got["url"] == "https://mdm.example.com/enroll");
  auto assigned = f.call("PUT", "/profile/devices",
                         R"({"profile_uuid": ")" + uuid + R"(", "devices": ["C02TEST00002"]})");
  BOOST_TEST(json::parse(assigned["body"].get<std::string>())["devices"]["C02TEST00002"] ==
             "SUCCESS");
  auto details = json::parse(
      f.call("POST", "/devices", R"({"devices": ["C02TEST00002"]})")["body"].get<std::string>());
  BOOST_TEST(details["devices"]["C02TEST00002"]["profile_status"] == "assigned");
  BOOST_TEST(details["devices"]["C02TEST00002"]["profile_uuid"] == uuid);

  // The device side: a booting Mac asks for its profile (and is then "pushed").
  auto boot =
      run_command("curl -s " + f.sim.control_url() + "/device/v1/profile?serial=C02TEST00002");
  BOOST_TEST(json::parse(boot.output)["url"] == "https://mdm.example.com/enroll");
  BOOST_TEST(f.sim.state().device("C02TEST00002")->profile_status == "pushed");
  auto none = run_command("curl -s -o /dev/null -w '%{http_code}' " + f.sim.control_url() +
                          "/device/v1/profile?serial=C02TEST00003");
  BOOST_TEST(none.output == "404");

  auto removed = f.call("DELETE", "/profile/devices", R"({"devices": ["C02TEST00002"]})");
  BOOST_TEST(json::parse(removed["body"].get<std::string>())["devices"]["C02TEST00002"] ==
             "SUCCESS");
  BOOST_TEST(f.sim.state().device("C02TEST00002")->profile_status == "removed");
  // A profile with a key Apple does not define is refused.
  auto bad = f.call("POST", "/profile", R"({"profile_name": "x", "url": "u", "bogus": 1})");
  BOOST_TEST(bad["status"] == 400);
}

BOOST_AUTO_TEST_CASE(faults_and_session_expiry_answer_like_apple) {
  AbmFixture f;
  auto control = [&](const std::string& method, const std::string& path, const std::string& body) {
    return run_command("curl -s -o /dev/null -w '%{http_code}' -X " + method + " " +
                       f.sim.control_url() + path + (body.empty() ? "" : " -d '" + body + "'"));
  };
  BOOST_TEST(control("POST", "/control/v1/faults",
                     R"({"path": "/account", "status": 429, "retry_after": 7})")
                 .output == "204");
  auto limited = f.call("GET", "/account");
  BOOST_TEST(limited["status"] == 429);
  BOOST_TEST(limited["retry_after"] == "7");
  // Called again before the 7 s are up: 429 again, with what is left, and counted.
  f.clock->advance(std::chrono::seconds(3));
  auto early = f.call("GET", "/account");
  BOOST_TEST(early["status"] == 429);
  BOOST_TEST(early["retry_after"] == "4");
  f.clock->advance(std::chrono::seconds(4));
  auto account = f.call("GET", "/account");
  BOOST_TEST(account["status"] == 200);
  auto stats =
      json::parse(run_command("curl -s " + f.sim.control_url() + "/control/v1/stats").output);
  BOOST_TEST(stats["throttled"] == 1);
  BOOST_TEST(stats["early_retries"] == 1);
  BOOST_TEST(stats["sessions"].get<int>() >= 3);
  BOOST_TEST(json::parse(account["body"].get<std::string>())["org_name"] ==
             "mdmlab Simulated Organisation");
  BOOST_TEST(control("POST", "/control/v1/faults", R"({"status": 99})").output == "400");

  auto metrics = run_command("curl -s " + f.sim.control_url() + "/metrics");
  BOOST_TEST(
      metrics.output.find("mdmlab_abm_sim_requests_total{route=\"/account\",status=\"429\"} 2") !=
          std::string::npos,
      metrics.output);
}

// The token file as ABM hands it out: S/MIME encrypted to the MDM server's certificate. The
// OpenSSL CLI opens it with the server's key and finds the OAuth credentials between the
// BEGIN/END MESSAGE markers nanodep's deptokens looks for.
BOOST_AUTO_TEST_CASE(the_smime_token_file_opens_with_the_mdm_servers_key) {
  AbmFixture f;
  auto key = crypto::PrivateKey::generate_rsa(2048).value();
  auto cert = crypto::make_self_signed(key, {{"CN", "mdm server"}},
                                       std::chrono::system_clock::now(), std::chrono::hours(24))
                  .value();
  write_file(f.dir + "/mdm.pem", cert.to_pem());
  write_file(f.dir + "/mdm.key", key.to_pem());
  auto file = simulators::abm::smime_token_file(f.sim.state().token(), cert);
  BOOST_REQUIRE(file.ok());
  BOOST_TEST(file->find("smime-type=enveloped-data") != std::string::npos);
  write_file(f.dir + "/token.p7m", *file);
  auto opened = run_command("openssl smime -decrypt -in " + f.dir + "/token.p7m -inkey " + f.dir +
                            "/mdm.key -recip " + f.dir + "/mdm.pem");
  BOOST_REQUIRE_MESSAGE(opened.exit_code == 0, opened.output);
  auto begin = opened.output.find("-----BEGIN MESSAGE-----");
  auto end = opened.output.find("-----END MESSAGE-----");
  BOOST_REQUIRE(begin != std::string::npos && end != std::string::npos);
  begin += std::string("-----BEGIN MESSAGE-----").size();
  auto token = json::parse(opened.output.substr(begin, end - begin));
  BOOST_TEST(token["consumer_key"] == f.sim.state().token().consumer_key);
  BOOST_TEST(token["access_secret"] == f.sim.state().token().access_secret);
  // Another key does not open it.
  auto other = crypto::PrivateKey::generate_rsa(2048).value();
  write_file(f.dir + "/other.key", other.to_pem());
  auto refused = run_command("openssl smime -decrypt -in " + f.dir + "/token.p7m -inkey " + f.dir +
                             "/other.key -recip " + f.dir + "/mdm.pem");
  BOOST_TEST(refused.exit_code != 0);
}

BOOST_AUTO_TEST_SUITE_END()
