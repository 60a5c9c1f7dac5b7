// `mdmlab run` end to end: the apple-smoke suite passes against the embedded server with
// JUnit XML that Python's xml.etree reads; a failing suite exits 1 and names the step, the
// expectation and what was last seen; a malformed suite is refused with exit 2.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/apns_process.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab::testing;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(mdmlab_run)

BOOST_AUTO_TEST_CASE(security_user_channel_and_fleet_suites_pass_embedded) {
  auto dir = make_temp_dir("mdmlab-run-security-");
  auto r = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                       "/scenarios/suites/apple-enrollment-security.json --report-dir " + dir);
  BOOST_TEST(r.exit_code == 0, r.output);
  BOOST_TEST(r.output.find("7 passed, 0 failed, 0 skipped") != std::string::npos, r.output);
  auto user = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                          "/scenarios/suites/apple-user-channel.json --report-dir " + dir + "/u");
  BOOST_TEST(user.exit_code == 0, user.output);
  BOOST_TEST(user.output.find("3 passed, 0 failed, 0 skipped") != std::string::npos, user.output);
  auto fleet = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                           "/scenarios/suites/apple-fleet.json --report-dir " + dir + "/fleet");
  BOOST_TEST(fleet.exit_code == 0, fleet.output);
  BOOST_TEST(fleet.output.find("3 passed, 0 failed, 0 skipped") != std::string::npos, fleet.output);
  auto profiles = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                              "/scenarios/suites/apple-enrollment-profiles.json --report-dir " +
                              dir + "/profiles");
  BOOST_TEST(profiles.exit_code == 0, profiles.output);
  BOOST_TEST(profiles.output.find("10 passed, 0 failed, 0 skipped") != std::string::npos,
             profiles.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(apple_smoke_passes_and_writes_junit_and_run_json) {
  auto dir = make_temp_dir("mdmlab-run-");
  auto r = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                       "/scenarios/suites/apple-smoke.json --report-dir " + dir + " --seed 7");
  BOOST_TEST(r.exit_code == 0, r.output);
  BOOST_TEST(r.output.find(" 0 failed") != std::string::npos, r.output);
  auto check = run_command(
      "python3 -c \"import xml.etree.ElementTree as ET, json; t = ET.parse('" + dir +
      "/junit.xml').getroot(); "
      "s = t.find('testsuite'); cases = s.findall('testcase'); "
      "assert t.tag == 'testsuites' and int(s.get('tests')) == len(cases) >= 6, 'shape'; "
      "assert int(s.get('failures')) == 0 and not any(c.find('failure') is not None for c in "
      "cases), 'failures'; "
      "r = json.load(open('" +
      dir +
      "/run.json')); assert r['seed'] == 7 and r['failed'] == 0, 'run.json'; "
      "print(len(cases), 'cases ok')\"");
  BOOST_TEST(check.exit_code == 0, check.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_failing_scenario_exits_1_and_says_what_was_seen) {
  auto dir = make_temp_dir("mdmlab-run-fail-");
  write_file(dir + "/suite.json", R"({"name": "must-fail", "scenarios": [
    {"name": "expects the impossible", "devices": [{"id": "mac1", "type": "mac"}], "steps": [
      {"do": "mac1.enroll"},
      {"expect": {"server.device": "mac1", "field": "state", "equals": "checked_out"}, "within": "300ms"}]}]})");
  auto r = run_command(mdmlab_cli() + " --log-level warn run " + dir + "/suite.json --report-dir " +
                       dir + "/out");
  BOOST_TEST(r.exit_code == 1, r.output);
  auto junit = read_file(dir + "/out/junit.xml");
  BOOST_TEST(junit.find("failures=\"1\"") != std::string::npos, junit);
  BOOST_TEST(junit.find("step 1") != std::string::npos);
  BOOST_TEST(junit.find("last seen &quot;enrolled&quot;") != std::string::npos, junit);
  // The wire transcript of the parties: the Mac's check-ins, no secrets (challenge, admin token).
  BOOST_TEST(junit.find("wire transcript") != std::string::npos);
  BOOST_TEST(junit.find("mac1 -&gt; PUT") != std::string::npos, junit);
  BOOST_TEST(junit.find("MessageType=TokenUpdate") != std::string::npos);
  BOOST_TEST(junit.find("challenge-") == std::string::npos);

  write_file(dir + "/bad.json",
             R"({"name": "bad", "scenarios": [{"name": "x", "steps": [{"dance": "mac1"}]}]})");
  auto bad = run_command(mdmlab_cli() + " run " + dir + "/bad.json --report-dir " + dir + "/out2");
  BOOST_TEST(bad.exit_code == 2, bad.output);
  BOOST_TEST(bad.output.find("/scenarios/0/steps/0") != std::string::npos, bad.output);
  std::filesystem::remove_all(dir);
}

// User errors end in exit 2 with the file, the JSON pointer and a hint, and still leave a
// report; none of them may kill the process (a wrong JSON type used to throw out of `run`).
BOOST_AUTO_TEST_CASE(user_errors_exit_2_with_a_pointer_and_a_report) {
  auto dir = make_temp_dir("mdmlab-run-strict-");
  write_file(dir + "/typed.json", R"({"name": "typed", "scenarios": [{"name": "x",
    "devices": [{"id": "mac1", "type": "mac"}],
    "steps": [{"do": "server.enqueue", "with": {"device": 1, "type": "ProfileList"}}]}]})");
  auto typed =
      run_command(mdmlab_cli() + " run " + dir + "/typed.json --report-dir " + dir + "/typed-out");
  BOOST_TEST(typed.exit_code == 2, typed.output);
  BOOST_TEST(
      typed.output.find(dir + "/typed.json: /scenarios/0/steps/0/with/device") != std::string::npos,
      typed.output);
  auto junit = read_file(dir + "/typed-out/junit.xml");
  BOOST_TEST(junit.find("/scenarios/0/steps/0/with/device") != std::string::npos, junit);

  write_file(dir + "/typo.json", R"({"scenarios": [{"name": "x",
    "devices": [{"id": "mac1", "not_now_poll": 2}], "steps": [{"do": "mac1.poll"}]}]})");
  auto typo = run_command(mdmlab_cli() + " run " + dir + "/typo.json --report-dir " + dir + "/o");
  BOOST_TEST(typo.exit_code == 2, typo.output);
  BOOST_TEST(typo.output.find("did you mean `not_now_polls`?") != std::string::npos, typo.output);

  // An unwritable report directory is found before anything runs (a path under a file).
  write_file(dir + "/file", "x");
  auto unwritable =
      run_command(mdmlab_cli() + " run " + MDMLAB_SOURCE_DIR +
                  "/scenarios/suites/apple-smoke.json --report-dir " + dir + "/file/out");
  BOOST_TEST(unwritable.exit_code == 2, unwritable.output);
  BOOST_TEST(unwritable.output.find("--report-dir") != std::string::npos, unwritable.output);
  BOOST_TEST(unwritable.output.find("scenario:") == std::string::npos, unwritable.output);

  // A typo in an optional target key is an error, not a silent skip.
  write_file(dir + "/target.json",
             R"({"enroll_profile_url": "http://127.0.0.1:9/x", "apns_contol_url": "http://x"})");
  auto target = run_command(mdmlab_cli() + " run " + MDMLAB_SOURCE_DIR +
                            "/scenarios/suites/apple-smoke.json --target " + dir +
                            "/target.json --report-dir " + dir + "/t");
  BOOST_TEST(target.exit_code == 2, target.output);
  BOOST_TEST(target.output.find("did you mean `apns_control_url`?") != std::string::npos,
             target.output);
  std::filesystem::remove_all(dir);
}

// --log-level is taken after the subcommand too; off loopback, serve refuses to send the admin
// bearer token over plain HTTP unless told --admin-insecure (it exits before binding).
BOOST_AUTO_TEST_CASE(serve_refuses_a_cleartext_admin_api_off_loopback) {
  auto dir = make_temp_dir("mdmlab-serve-insecure-");
  auto r = run_command(mdmlab_cli() + " serve --log-level warn --data-dir " + dir +
                       "/data --listen 0.0.0.0:0");
  BOOST_TEST(r.exit_code == 2, r.output);
  BOOST_TEST(r.output.find("--admin-insecure") != std::string::npos, r.output);
  BOOST_TEST(!std::filesystem::exists(dir + "/data/admin-token"));
  std::filesystem::remove_all(dir);
}

// SIGINT (or SIGTERM) in the middle of a load run: it stops sending, then still measures and
// prints its figures and writes its JSON, and says it was interrupted (exit 130).
BOOST_AUTO_TEST_CASE(load_stops_cleanly_on_a_signal_and_still_reports) {
  auto dir = make_temp_dir("mdmlab-load-signal-");
  BackgroundProcess load(
      {mdmlab_cli(), "--log-level", "warn", "load", "--devices", "3", "--duration", "120s",
       "--command-interval", "300ms", "--json", dir + "/load.json"},
      dir + "/load.log");
  // Wait until the steady phase has begun (progress lines "t=...").
  for (int i = 0; i < 600 && read_file(dir + "/load.log").find("t=") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_REQUIRE_MESSAGE(read_file(dir + "/load.log").find("t=") != std::string::npos,
                        read_file(dir + "/load.log"));
  BOOST_TEST(load.stop(SIGINT, 60000) == 130);
  auto log = read_file(dir + "/load.log");
  BOOST_TEST(log.find("STOPPED: interrupted by a signal") != std::string::npos, log);
  BOOST_TEST(log.find("enrolled          3 (0 failed)") != std::string::npos, log);
  auto json = read_file(dir + "/load.json");
  BOOST_TEST(json.find("\"interrupted\": true") != std::string::npos, json);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(simulate_mac_enrolls_a_fleet_against_a_separate_server) {
  auto dir = make_temp_dir("mdmlab-sim-");
  auto http_port = free_port(), https_port = free_port();
  BackgroundProcess serve(
      {mdmlab_cli(), "--log-level", "warn", "serve", "--data-dir", dir + "/data", "--listen",
       "127.0.0.1:" + std::to_string(http_port), "--https-listen",
       "127.0.0.1:" + std::to_string(https_port), "--scep-challenge", "fleet-secret"},
      dir + "/serve.log");
  BOOST_REQUIRE(wait_for_port(http_port) && wait_for_port(https_port));
  auto base = "http://127.0.0.1:" + std::to_string(http_port);
  auto token = read_file(dir + "/data/admin-token");
  token.erase(token.find_last_not_of("\n") + 1);
  auto admin = [&](const std::string& args) {
    return run_command("curl -sf -H 'Authorization: Bearer " + token + "' " + args);
  };
  auto count_enrolled = [&] {
    auto devices = admin(base + "/admin/v1/apple/devices");
    std::size_t enrolled = 0;
    for (auto p = devices.output.find("\"state\":\"enrolled\""); p != std::string::npos;
         p = devices.output.find("\"state\":\"enrolled\"", p + 1))
      ++enrolled;
    return enrolled;
  };
  // The fleet runs for a while; a command queued for its devices meanwhile is answered and
  // counted, and the run lists its devices' UDIDs.
  const auto key_cache = dir + "/keys";
  BackgroundProcess fleet(
      {"/usr/bin/env", "MDMLAB_KEY_CACHE=" + key_cache, mdmlab_cli(), "--log-level", "warn",
       "simulate", "mac", "--profile", base + "/mdm/apple/enroll", "--count", "4", "--duration",
       "4s", "--poll-interval", "300ms"},
      dir + "/fleet.log");
  for (int i = 0; i < 200 && count_enrolled() < 4; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_REQUIRE_EQUAL(count_enrolled(), 4u);
  auto devices = admin(base + "/admin/v1/apple/devices").output;
  std::vector<std::string> udids;
  for (auto p = devices.find("\"udid\":\""); p != std::string::npos;
       p = devices.find("\"udid\":\"", p + 1))
    udids.push_back(devices.substr(p + 8, devices.find('"', p + 8) - p - 8));
  std::string list;
  for (const auto& u : udids) list += (list.empty() ? "\"" : ",\"") + u + "\"";
  auto queued = admin("-X POST -H 'Content-Type: application/json' -d '{\"udids\":[" + list +
                      "],\"type\":\"ProfileList\"}' " + base + "/admin/v1/apple/commands");
  BOOST_REQUIRE_MESSAGE(queued.exit_code == 0, queued.output);
  BOOST_TEST(fleet.wait_exit(30000) == 0);
  auto log = read_file(dir + "/fleet.log");
  BOOST_TEST(log.find("enrolled 4 of 4 Macs, 0 failed") != std::string::npos, log);
  BOOST_TEST(log.find("commands answered: 4 ") != std::string::npos, log);
  for (const auto& u : udids) BOOST_TEST(log.find(u) != std::string::npos, u);

  // A second run against the same server: its devices get keys the server has never seen
  // (they used to get the certificates issued to the first run's devices: 403 for all).
  auto again = run_command("MDMLAB_KEY_CACHE=" + key_cache + " " + mdmlab_cli() +
                           " --log-level warn simulate mac --profile " + base +
                           "/mdm/apple/enroll --count 4 --duration 1s --poll-interval 200ms");
  BOOST_TEST(again.exit_code == 0, again.output);
  BOOST_TEST(again.output.find("enrolled 4 of 4 Macs, 0 failed") != std::string::npos,
             again.output);
  BOOST_TEST(again.output.find("keys 4..7") != std::string::npos, again.output);
  // --reuse-keys: the first run's keys again, each with a fresh transactionID (new certs).
  auto reused = run_command("MDMLAB_KEY_CACHE=" + key_cache + " " + mdmlab_cli() +
                            " --log-level warn simulate mac --reuse-keys --profile " + base +
                            "/mdm/apple/enroll --count 4 --duration 1s --poll-interval 200ms");
  BOOST_TEST(reused.exit_code == 0, reused.output);
  BOOST_TEST(reused.output.find("enrolled 4 of 4 Macs, 0 failed") != std::string::npos,
             reused.output);
  BOOST_TEST(count_enrolled() == 12u);
  std::filesystem::remove_all(dir);
}

// --target: the same suite against `mdmlab serve` pushing to `mdmlab simulate apns`, each
// started on its own; then against a target that offers neither APNs nor the admin API, where
// the scenarios needing them are skipped (never passed).
BOOST_AUTO_TEST_CASE(apple_smoke_passes_in_target_mode_and_skips_what_the_target_lacks) {
  auto dir = make_temp_dir("mdmlab-target-");
  auto http_port = free_port(), https_port = free_port(), webhook_port = free_port();
  ApnsSimulatorProcess apns(dir, "com.apple.mgmt.External.target-mode");
  BOOST_REQUIRE(apns.ready());
  std::vector<std::string> serve_argv = {
      mdmlab_cli(),
      "--log-level",
      "warn",
      "serve",
      "--data-dir",
      dir + "/data",
      "--listen",
      "127.0.0.1:" + std::to_string(http_port),
      "--https-listen",
      "127.0.0.1:" + std::to_string(https_port),
      "--scep-challenge",
      "target-secret",
      "--webhook-url",
      "http://127.0.0.1:" + std::to_string(webhook_port) + "/webhook"};
  for (const auto& a : apns.serve_args()) serve_argv.push_back(a);
  BackgroundProcess serve(serve_argv, dir + "/serve.log");
  BOOST_REQUIRE(wait_for_port(http_port) && wait_for_port(https_port));
  auto base = "http://127.0.0.1:" + std::to_string(http_port);
  write_file(
      dir + "/target.json",
      R"({"name": "local serve", "server_url": ")" + base +
          R"(", "admin_token_file": "data/admin-token", "enroll_profile_url": ")" + base +
          R"(/mdm/apple/enroll", "unsigned_profile_url": ")" + base +
          R"(/mdm/apple/enroll?signed=0", "scep_challenge": "target-secret", "apns_control_url": "http://127.0.0.1:)" +
          std::to_string(apns.control_port) + R"("})");
  auto r = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                       "/scenarios/suites/apple-smoke.json --target " + dir +
                       "/target.json --report-dir " + dir + "/out");
  BOOST_TEST(r.exit_code == 0, r.output + read_file(dir + "/serve.log"));
  // Everything but the virtual-time scenario (a separate server runs on its own clock).
  BOOST_TEST(r.output.find("10 passed, 0 failed, 1 skipped") != std::string::npos, r.output);
  BOOST_TEST(r.output.find("against target 'local serve'") != std::string::npos, r.output);

  // A bare target: only a profile URL. Nothing that needs the admin API or APNs may pass.
  write_file(dir + "/bare.json", R"({"enroll_profile_url": ")" + base + R"(/mdm/apple/enroll"})");
  auto bare = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                          "/scenarios/suites/apple-smoke.json --target " + dir +
                          "/bare.json --report-dir " + dir + "/bare");
  BOOST_TEST(bare.exit_code == 0, bare.output);
  BOOST_TEST(bare.output.find("0 passed, 0 failed, 11 skipped") != std::string::npos, bare.output);
  auto junit = read_file(dir + "/bare/junit.xml");
  BOOST_TEST(junit.find("<skipped message=\"the target does not offer") != std::string::npos,
             junit);

  // Adapters only, as for a server that is not mdmlab: commands queued through a command_api,
  // results from the webhook events the server posts to mdmlab's receiver, no admin token.
  // Every scenario that needs nothing more passes; those reading server.device skip.
  write_file(
      dir + "/adapters.json",
      R"({"name": "adapters only", "enroll_profile_url": ")" + base +
          R"(/mdm/apple/enroll", "unsigned_profile_url": ")" + base +
          R"(/mdm/apple/enroll?signed=0", "scep_challenge": "target-secret", "apns_control_url": "http://127.0.0.1:)" +
          std::to_string(apns.control_port) + R"(", )" + serve_command_api(base) +
          R"(, "command_results": {"webhook_listen": "127.0.0.1:)" + std::to_string(webhook_port) +
          R"("}})");
  auto adapters = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                              "/scenarios/suites/apple-smoke.json --target " + dir +
                              "/adapters.json --report-dir " + dir + "/adapters");
  BOOST_TEST(adapters.exit_code == 0, adapters.output);
  BOOST_TEST(adapters.output.find("4 passed, 0 failed, 7 skipped") != std::string::npos,
             adapters.output);

  // Enrollment security against the separately started server: the scenarios that configure
  // the server's binding policy need the embedded one and skip.
  auto security = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                              "/scenarios/suites/apple-enrollment-security.json --target " + dir +
                              "/target.json --report-dir " + dir + "/security");
  BOOST_TEST(security.exit_code == 0, security.output);
  BOOST_TEST(security.output.find("4 passed, 0 failed, 3 skipped") != std::string::npos,
             security.output);
  auto user = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                          "/scenarios/suites/apple-user-channel.json --target " + dir +
                          "/target.json --report-dir " + dir + "/user");
  BOOST_TEST(user.exit_code == 0, user.output);
  BOOST_TEST(user.output.find("3 passed, 0 failed, 0 skipped") != std::string::npos, user.output);
  // Fleets, fixtures and blocks against the separately started server too.
  auto fleet = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                           "/scenarios/suites/apple-fleet.json --target " + dir +
                           "/target.json --fail-on-skip --report-dir " + dir + "/fleet");
  BOOST_TEST(fleet.exit_code == 0, fleet.output);
  BOOST_TEST(fleet.output.find("3 passed, 0 failed, 0 skipped") != std::string::npos, fleet.output);
  // Every profile payload scenario edits the server's own unsigned profile: all run.
  auto profiles = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                              "/scenarios/suites/apple-enrollment-profiles.json --target " + dir +
                              "/target.json --fail-on-skip --report-dir " + dir + "/profiles");
  BOOST_TEST(profiles.exit_code == 0, profiles.output);
  BOOST_TEST(profiles.output.find("10 passed, 0 failed, 0 skipped") != std::string::npos,
             profiles.output);
  std::filesystem::remove_all(dir);
}

// ADE and OTA: embedded (the environment starts an ABM simulator and points the server's DEP
// sync at it), then against `mdmlab serve --dep-url --dep-token` syncing with `mdmlab simulate
// abm`, each started on its own, with every scenario required to run.
BOOST_AUTO_TEST_CASE(ade_ota_and_ddm_suites_pass_embedded_and_against_serve_with_simulate_abm) {
  auto dir = make_temp_dir("mdmlab-ade-");
  auto embedded = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                              "/scenarios/suites/ade.json --report-dir " + dir + "/embedded");
  BOOST_TEST(embedded.exit_code == 0, embedded.output);
  BOOST_TEST(embedded.output.find("8 passed, 0 failed, 0 skipped") != std::string::npos,
             embedded.output);
  // The report names ABM as a party and shows the server's DEP calls to it.
  auto run_json = read_file(dir + "/embedded/run.json");
  BOOST_TEST(run_json.find("\"to\": \"abm\"") != std::string::npos);
  BOOST_TEST(run_json.find("PUT /profile/devices: 200") != std::string::npos);
  auto ota = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                         "/scenarios/suites/apple-ota.json --report-dir " + dir + "/ota");
  BOOST_TEST(ota.exit_code == 0, ota.output);
  BOOST_TEST(ota.output.find("2 passed, 0 failed, 0 skipped") != std::string::npos, ota.output);
  auto ddm = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                         "/scenarios/suites/apple-ddm.json --report-dir " + dir + "/ddm");
  BOOST_TEST(ddm.exit_code == 0, ddm.output);
  BOOST_TEST(ddm.output.find("3 passed, 0 failed, 0 skipped") != std::string::npos, ddm.output);

  auto dep_port = free_port(), abm_control = free_port();
  BackgroundProcess abm(
      {mdmlab_cli(), "--log-level", "warn", "simulate", "abm", "--listen",
       "127.0.0.1:" + std::to_string(dep_port), "--control-listen",
       "127.0.0.1:" + std::to_string(abm_control), "--token-file", dir + "/dep-token.json"},
      dir + "/abm.log");
  BOOST_REQUIRE(wait_for_port(abm_control) && wait_for_file(dir + "/dep-token.json"));
  auto http_port = free_port(), https_port = free_port();
  ApnsSimulatorProcess apns(dir, "com.apple.mgmt.External.ade-target");
  BOOST_REQUIRE(apns.ready());
  std::vector<std::string> serve_argv = {mdmlab_cli(),
                                         "--log-level",
                                         "warn",
                                         "serve",
                                         "--data-dir",
                                         dir + "/data",
                                         "--listen",
                                         "127.0.0.1:" + std::to_string(http_port),
                                         "--https-listen",
                                         "127.0.0.1:" + std::to_string(https_port),
                                         "--dep-url",
                                         "http://127.0.0.1:" + std::to_string(dep_port),
                                         "--dep-token",
                                         dir + "/dep-token.json",
                                         "--dep-sync-interval",
                                         "3600"};
  for (const auto& a : apns.serve_args()) serve_argv.push_back(a);
  BackgroundProcess serve(serve_argv, dir + "/serve.log");
  BOOST_REQUIRE(wait_for_port(http_port) && wait_for_port(https_port));
  auto base = "http://127.0.0.1:" + std::to_string(http_port);
  write_file(dir + "/target.json",
             R"({"name": "serve with ADE", "server_url": ")" + base +
                 R"(", "admin_token_file": "data/admin-token", "enroll_profile_url": ")" + base +
                 R"(/mdm/apple/enroll", "apns_control_url": "http://127.0.0.1:)" +
                 std::to_string(apns.control_port) + R"(", "abm_control_url": "http://127.0.0.1:)" +
                 std::to_string(abm_control) + R"(", "ota_profile_url": ")" + base +
                 R"(/mdm/apple/ota"})");
  // Automatic ADE: the sign-in scenario needs a target that signs users in (skipped here).
  auto target = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                            "/scenarios/suites/ade.json --target " + dir +
                            "/target.json --report-dir " + dir + "/target");
  BOOST_TEST(target.exit_code == 0, target.output + read_file(dir + "/serve.log"));
  BOOST_TEST(target.output.find("7 passed, 0 failed, 1 skipped") != std::string::npos,
             target.output);
  auto ota_target = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                                "/scenarios/suites/apple-ota.json --target " + dir +
                                "/target.json --fail-on-skip --report-dir " + dir + "/ota-target");
  BOOST_TEST(ota_target.exit_code == 0, ota_target.output);
  BOOST_TEST(ota_target.output.find("2 passed, 0 failed, 0 skipped") != std::string::npos,
             ota_target.output);
  // Twice against the same server: declarations and sets from the first run are still there.
  for (const char* run : {"ddm-target", "ddm-target-again"}) {
    auto ddm_target = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                                  "/scenarios/suites/apple-ddm.json --target " + dir +
                                  "/target.json --fail-on-skip --report-dir " + dir + "/" + run);
    BOOST_TEST(ddm_target.exit_code == 0, ddm_target.output);
    BOOST_TEST(ddm_target.output.find("3 passed, 0 failed, 0 skipped") != std::string::npos,
               ddm_target.output);
  }

  // Authenticated ADE against separately started parties: its own ABM, `simulate entra` (the
  // app registered with the server's callback) and a server signing users in there.
  auto sso_dep = free_port(), sso_abm_control = free_port();
  BackgroundProcess sso_abm(
      {mdmlab_cli(), "--log-level", "warn", "simulate", "abm", "--listen",
       "127.0.0.1:" + std::to_string(sso_dep), "--control-listen",
       "127.0.0.1:" + std::to_string(sso_abm_control), "--token-file", dir + "/sso-dep.json"},
      dir + "/sso-abm.log");
  auto sso_http = free_port(), sso_https = free_port();
  auto entra_port = free_port(), entra_control = free_port();
  BackgroundProcess entra(
      {mdmlab_cli(), "--log-level", "warn", "simulate", "entra", "--listen",
       "127.0.0.1:" + std::to_string(entra_port), "--control-listen",
       "127.0.0.1:" + std::to_string(entra_control), "--data-dir", dir + "/entra", "--redirect-uri",
       "https://127.0.0.1:" + std::to_string(sso_https) + "/api/mdm/apple/ade/sso/callback",
       "--redirect-uri",
       "https://127.0.0.1:" + std::to_string(sso_https) + "/api/mdm/microsoft/auth/callback"},
      dir + "/entra.log");
  BOOST_REQUIRE(wait_for_port(sso_abm_control) && wait_for_file(dir + "/sso-dep.json"));
  BOOST_REQUIRE(wait_for_port(entra_control) && wait_for_file(dir + "/entra/entra.json"));
  auto entra_info = json::parse(read_file(dir + "/entra/entra.json"));
  write_file(dir + "/sso-secret", entra_info["client_secret"].get<std::string>());
  BackgroundProcess sso_serve({mdmlab_cli(),
                               "--log-level",
                               "warn",
                               "serve",
                               "--data-dir",
                               dir + "/sso-data",
                               "--listen",
                               "127.0.0.1:" + std::to_string(sso_http),
                               "--https-listen",
                               "127.0.0.1:" + std::to_string(sso_https),
                               "--dep-url",
                               "http://127.0.0.1:" + std::to_string(sso_dep),
                               "--dep-token",
                               dir + "/sso-dep.json",
                               "--dep-sync-interval",
                               "3600",
                               "--ade-sso-authority",
                               entra_info["authority"].get<std::string>(),
                               "--ade-sso-client-id",
                               entra_info["client_id"].get<std::string>(),
                               "--ade-sso-client-secret-file",
                               dir + "/sso-secret",
                               "--ade-sso-ca",
                               dir + "/entra/entra-ca.pem"},
                              dir + "/sso-serve.log");
  BOOST_REQUIRE(wait_for_port(sso_http) && wait_for_port(sso_https));
  auto sso_base = "http://127.0.0.1:" + std::to_string(sso_http);
  write_file(dir + "/sso-target.json",
             R"({"name": "serve with authenticated ADE", "server_url": ")" + sso_base +
                 R"(", "admin_token_file": "sso-data/admin-token", "enroll_profile_url": ")" +
                 sso_base + R"(/mdm/apple/enroll", "abm_control_url": "http://127.0.0.1:)" +
                 std::to_string(sso_abm_control) + R"(", "entra_control_url": "http://127.0.0.1:)" +
                 std::to_string(entra_control) + R"(", "entra_tenant": ")" +
                 entra_info["tenant_id"].get<std::string>() +
                 R"(", "entra_ca_file": "entra/entra-ca.pem", "windows_discovery_url": )"
                 R"("https://127.0.0.1:)" +
                 std::to_string(sso_https) +
                 R"(/EnrollmentServer/Discovery.svc", "windows_enrollment_secret_file": )"
                 R"("sso-data/windows-enrollment-secret", "windows_ca_file": "sso-data/ca.pem"})");
  auto sso = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                         "/scenarios/suites/ade.json --target " + dir +
                         "/sso-target.json --report-dir " + dir + "/sso-target");
  BOOST_TEST(sso.exit_code == 0, sso.output + read_file(dir + "/sso-serve.log"));
  BOOST_TEST(sso.output.find("4 passed, 0 failed, 4 skipped") != std::string::npos, sso.output);
  // The same server signs Windows users in for federated enrollment (seed 001's condition).
  auto federated = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                               "/scenarios/suites/windows-smoke.json --tag federated --target " +
                               dir + "/sso-target.json --report-dir " + dir + "/federated");
  BOOST_TEST(federated.exit_code == 0, federated.output + read_file(dir + "/sso-serve.log"));
  BOOST_TEST(federated.output.find("4 passed, 0 failed, 0 skipped") != std::string::npos,
             federated.output);
  std::filesystem::remove_all(dir);
}

// Windows: embedded (the environment serves HTTPS for the PCs), then against `mdmlab serve
// --https-listen` with the secret and the CA read from its data directory, twice (a second
// run's PCs are new devices to the same server), Macs and PCs mixed in both.
BOOST_AUTO_TEST_CASE(windows_smoke_passes_embedded_and_twice_against_serve) {
  auto dir = make_temp_dir("mdmlab-windows-");
  auto embedded =
      run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                  "/scenarios/suites/windows-smoke.json --report-dir " + dir + "/embedded");
  BOOST_TEST(embedded.exit_code == 0, embedded.output);
  BOOST_TEST(embedded.output.find("14 passed, 0 failed, 0 skipped") != std::string::npos,
             embedded.output);
  BOOST_TEST(read_file(dir + "/embedded/junit.xml").find("windows-smoke") != std::string::npos);

  auto http_port = free_port(), https_port = free_port();
  ApnsSimulatorProcess apns(dir, "com.apple.mgmt.External.windows-target");
  BOOST_REQUIRE(apns.ready());
  std::vector<std::string> serve_argv = {
      mdmlab_cli(),     "--log-level",
      "warn",           "serve",
      "--data-dir",     dir + "/data",
      "--listen",       "127.0.0.1:" + std::to_string(http_port),
      "--https-listen", "127.0.0.1:" + std::to_string(https_port)};
  for (const auto& a : apns.serve_args()) serve_argv.push_back(a);
  BackgroundProcess serve(serve_argv, dir + "/serve.log");
  BOOST_REQUIRE(wait_for_port(http_port) && wait_for_port(https_port));
  auto base = "http://127.0.0.1:" + std::to_string(http_port);
  write_file(dir + "/target.json",
             R"({"name": "serve with Windows", "server_url": ")" + base +
                 R"(", "admin_token_file": "data/admin-token", "enroll_profile_url": ")" + base +
                 R"(/mdm/apple/enroll", "apns_control_url": "http://127.0.0.1:)" +
                 std::to_string(apns.control_port) +
                 R"(", "windows_discovery_url": "https://127.0.0.1:)" + std::to_string(https_port) +
                 R"(/EnrollmentServer/Discovery.svc", "windows_enrollment_secret_file": )"
                 R"("data/windows-enrollment-secret", "windows_ca_file": "data/ca.pem"})");
  for (const char* run : {"target", "target-again"}) {
    auto r = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                         "/scenarios/suites/windows-smoke.json --target " + dir +
                         "/target.json --report-dir " + dir + "/" + run);
    BOOST_TEST(r.exit_code == 0, r.output + read_file(dir + "/serve.log"));
    // All but the expired-token scenario (a separate server runs on its own clock) and the
    // federated ones (no IdP here; the authenticated-ADE serve below runs them).
    BOOST_TEST(r.output.find("9 passed, 0 failed, 5 skipped") != std::string::npos, r.output);
  }
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
