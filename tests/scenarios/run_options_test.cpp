// `mdmlab run`'s selection and CI options, end to end through the real binary: --list and
// --validate run nothing, --tag / --exclude-tag / --scenario pick scenarios, --fail-on-skip and
// --min-passed turn a thin run into exit 1, --repeat runs each scenario N times, and a dead
// target is an error (exit 2) before any scenario runs. A fleet scenario (a range, a group, a
// fixture, repeat and parallel blocks) passes and says how many devices did what.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "tests/support/process.hpp"

using namespace mdmlab::testing;

namespace {
const std::string kSmoke = std::string(MDMLAB_SOURCE_DIR) + "/scenarios/suites/apple-smoke.json";
std::string run(const std::string& args) {
  return mdmlab_cli() + " --log-level warn run " + args;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(mdmlab_run_options)

BOOST_AUTO_TEST_CASE(list_and_validate_run_nothing) {
  auto list = run_command(run(kSmoke + " --list --tag commands --exclude-tag profiles"));
  BOOST_TEST(list.exit_code == 0, list.output);
  BOOST_TEST(list.output.find("apple-smoke: 2 scenarios") != std::string::npos, list.output);
  BOOST_TEST(list.output.find("NotNow twice, then Idle, then success") != std::string::npos);
  BOOST_TEST(list.output.find("typed commands") == std::string::npos, list.output);
  BOOST_TEST(list.output.find("requires: unsigned_profile, commands, command_results, apns") !=
                 std::string::npos,
             list.output);
  auto valid = run_command(run(kSmoke + " --validate"));
  BOOST_TEST(valid.exit_code == 0, valid.output);
  BOOST_TEST(valid.output.find("valid, 11 scenarios") != std::string::npos, valid.output);
  auto dir = make_temp_dir("mdmlab-validate-");
  write_file(dir + "/bad.json", R"({"scenarios": [{"name": "s", "stpes": []}]})");
  auto bad = run_command(run(dir + "/bad.json --validate"));
  BOOST_TEST(bad.exit_code == 2, bad.output);
  BOOST_TEST(bad.output.find("did you mean `steps`?") != std::string::npos, bad.output);
  BOOST_TEST(!std::filesystem::exists(dir + "/reports"));
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(selection_that_matches_nothing_or_names_no_scenario_is_an_error) {
  auto dir = make_temp_dir("mdmlab-select-");
  auto none = run_command(run(kSmoke + " --tag no-such-tag --report-dir " + dir));
  BOOST_TEST(none.exit_code == 2, none.output);
  BOOST_TEST(none.output.find("no scenario of the suite matches") != std::string::npos);
  auto named = run_command(run(kSmoke + " --scenario 'no such scenario' --report-dir " + dir));
  BOOST_TEST(named.exit_code == 2, named.output);
  BOOST_TEST(named.output.find("no scenario named 'no such scenario'") != std::string::npos);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(ci_bars_fail_thin_runs_and_repeat_runs_each_scenario_n_times) {
  auto dir = make_temp_dir("mdmlab-bars-");
  const std::string one = " --scenario 'CheckOut disables the device'";
  auto twice = run_command(run(kSmoke + one + " --repeat 2 --report-dir " + dir + "/r"));
  BOOST_TEST(twice.exit_code == 0, twice.output);
  BOOST_TEST(twice.output.find("2 passed, 0 failed, 0 skipped") != std::string::npos, twice.output);
  BOOST_TEST(read_file(dir + "/r/junit.xml").find("CheckOut disables the device [2/2]") !=
             std::string::npos);
  auto bar = run_command(run(kSmoke + one + " --min-passed 2 --report-dir " + dir + "/m"));
  BOOST_TEST(bar.exit_code == 1, bar.output);
  BOOST_TEST(bar.output.find("FAILED --min-passed 2: only 1 passed") != std::string::npos);

  // A target that offers only its profile: everything skips; --fail-on-skip makes that red.
  ServeProcess serve(dir);
  BOOST_REQUIRE(serve.ready());
  write_file(dir + "/bare.json",
             R"({"enroll_profile_url": ")" + serve.base() + R"(/mdm/apple/enroll"})");
  auto skipped = run_command(run(kSmoke + " --target " + dir + "/bare.json --fail-on-skip " +
                                 "--report-dir " + dir + "/s"));
  BOOST_TEST(skipped.exit_code == 1, skipped.output);
  BOOST_TEST(skipped.output.find("0 passed, 0 failed, 11 skipped") != std::string::npos,
             skipped.output);
  BOOST_TEST(
      skipped.output.find("FAILED --fail-on-skip: 11 scenarios skipped") != std::string::npos,
      skipped.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_dead_target_is_an_error_before_anything_runs) {
  auto dir = make_temp_dir("mdmlab-dead-");
  write_file(dir + "/target.json",
             R"({"name": "nobody", "enroll_profile_url": "http://127.0.0.1:)" +
                 std::to_string(free_port()) + R"(/mdm/apple/enroll"})");
  auto r =
      run_command(run(kSmoke + " --target " + dir + "/target.json --report-dir " + dir + "/o"));
  BOOST_TEST(r.exit_code == 2, r.output);
  BOOST_TEST(r.output.find("--target: http://127.0.0.1:") != std::string::npos, r.output);
  BOOST_TEST(r.output.find("Connection refused") != std::string::npos, r.output);
  BOOST_TEST(r.output.find("scenario:") == std::string::npos, r.output);  // nothing ran
  BOOST_TEST(read_file(dir + "/o/junit.xml").find("Connection refused") != std::string::npos);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_fleet_with_a_fixture_repeat_and_parallel_passes) {
  auto dir = make_temp_dir("mdmlab-fleet-");
  std::filesystem::create_directories(dir + "/fixtures");
  write_file(dir + "/fixtures/enrolled.json", R"({"params": ["device"], "steps": [
    {"do": "${device}.enroll"},
    {"expect": {"server.device": "${device}", "field": "state", "equals": "enrolled"}}]})");
  write_file(dir + "/fleet.json", R"({"name": "fleet", "defaults": {"device": {"os": "15.1"}},
   "scenarios": [{"name": "twelve Macs", "requires": ["admin_api", "commands"],
    "devices": [{"id": "mac[1..12]", "group": "sales"}, {"id": "boss", "os": "14.0"}],
    "steps": [
      {"do": "sales.enroll"},
      {"use": "fixtures/enrolled.json", "with": {"device": "boss"}},
      {"expect": {"server.device": "sales", "field": "os_version", "equals": "15.1"}},
      {"expect": {"server.device": "boss", "field": "os_version", "equals": "14.0"}},
      {"do": "server.enqueue", "with": {"devices": ["sales"], "type": "ProfileList"}, "as": "list"},
      {"do": "sales.poll"},
      {"expect": {"device": "sales", "field": "commands[-1].command_uuid", "equals": "$list.uuid"}},
      {"repeat": 3, "steps": [{"do": "server.enqueue", "with": {"device": "boss", "type": "SecurityInfo"}}]},
      {"do": "boss.poll"},
      {"expect": {"device": "boss", "field": "commands", "count": 3}},
      {"parallel": [[{"do": "boss.checkout"}], [{"do": "mac1.token_update"}]]},
      {"expect": {"server.device": "boss", "field": "enabled", "equals": false}},
      {"expect": {"server.device": "mac1", "field": "token_update_count", "equals": 2}},
      {"expect": {"server.device": "sales", "field": "token_update_count", "equals": 1}, "within": "300ms"}
    ]}]})");
  auto r = run_command(run(dir + "/fleet.json --report-dir " + dir + "/out"));
  // The last expectation is false for mac1 alone: the group's summary names it.
  BOOST_TEST(r.exit_code == 1, r.output);
  BOOST_TEST(r.output.find("step 0 {\"do\":\"sales.enroll\"} -> 12 of 12 ok") != std::string::npos,
             r.output);
  BOOST_TEST(r.output.find("-> 12 of 12 hold") != std::string::npos, r.output);
  BOOST_TEST(r.output.find("(repeat 3/3) -> ok") != std::string::npos, r.output);
  BOOST_TEST(
      r.output.find("parallel block of 2 branches -> 2 of 2 branches ok") != std::string::npos,
      r.output);
  BOOST_TEST(r.output.find("11 of 12 hold; failed: mac1: expected token_update_count equals 1") !=
                 std::string::npos,
             r.output);
  std::filesystem::remove_all(dir);
}

// A target with no admin token but a command_api: commands are built by the runner and queued
// through that API (here mdmlab serve's own, described as any server's would be), and checked on
// the device side only. Without the command_api the same scenario is skipped, not failed.
BOOST_AUTO_TEST_CASE(a_command_api_queues_commands_on_a_target_without_the_admin_token) {
  auto dir = make_temp_dir("mdmlab-adapter-");
  ServeProcess serve(dir);
  BOOST_REQUIRE(serve.ready());
  const auto base = serve.base();
  write_file(dir + "/suite.json", R"({"name": "adapter", "scenarios": [
    {"name": "a command queued through command_api reaches the device", "requires": ["commands"],
     "devices": [{"id": "mac1", "apns": "none"}],
     "steps": [
       {"do": "mac1.enroll"},
       {"do": "server.enqueue", "with": {"device": "mac1", "type": "DeviceInformation", "params": {"queries": ["OSVersion"]}}, "as": "info"},
       {"do": "mac1.poll"},
       {"expect": {"device": "mac1", "field": "commands[-1].command_uuid", "equals": "$info.uuid"}},
       {"expect": {"device": "mac1", "field": "commands[-1].request_type", "equals": "DeviceInformation"}},
       {"expect": {"device": "mac1", "field": "commands[-1].status", "equals": "Acknowledged"}}]}]})");
  write_file(dir + "/adapter.json", R"({"name": "any server", "enroll_profile_url": ")" + base +
                                        R"(/mdm/apple/enroll", )" + serve_command_api(base) + "}");
  auto r = run_command(run(dir + "/suite.json --target " + dir + "/adapter.json --fail-on-skip " +
                           "--report-dir " + dir + "/out"));
  BOOST_TEST(r.exit_code == 0, r.output + read_file(dir + "/serve.log"));
  BOOST_TEST(r.output.find("queued through command_api") != std::string::npos, r.output);
  BOOST_TEST(r.output.find("1 passed, 0 failed, 0 skipped") != std::string::npos, r.output);

  write_file(dir + "/bare.json", R"({"enroll_profile_url": ")" + base + R"(/mdm/apple/enroll"})");
  auto bare = run_command(
      run(dir + "/suite.json --target " + dir + "/bare.json --report-dir " + dir + "/bare"));
  BOOST_TEST(bare.exit_code == 0, bare.output);
  BOOST_TEST(bare.output.find("0 passed, 0 failed, 1 skipped") != std::string::npos, bare.output);
  BOOST_TEST(read_file(dir + "/bare/junit.xml").find("set command_api") != std::string::npos);
  std::filesystem::remove_all(dir);
}

// "clock": "virtual": a month passes on the scenario's clock in moments. A push waiting at APNs
// for an offline Mac stays stored throughout 30 virtual days (the server sets no expiry); the
// same wait for a delivery that cannot happen fails, naming virtual time. The Mac then comes
// back online and gets it.
BOOST_AUTO_TEST_CASE(within_and_stays_on_the_virtual_clock) {
  auto dir = make_temp_dir("mdmlab-virtual-");
  write_file(dir + "/suite.json", R"({"name": "virtual time", "scenarios": [
    {"name": "a stored push waits a month", "requires": ["virtual_clock", "apns", "commands"],
     "devices": [{"id": "mac1", "apns": "offline"}],
     "steps": [
       {"do": "mac1.enroll"},
       {"do": "server.enqueue", "with": {"device": "mac1", "type": "ProfileList"}},
       {"expect": {"apns.deliveries": "mac1", "field": "stored", "equals": 1}},
       {"expect": {"apns.deliveries": "mac1", "field": "stored", "equals": 1}, "stays": "30d", "clock": "virtual"},
       {"do": "mac1.go_online"},
       {"expect": {"device": "mac1", "field": "commands", "count": 1}}]},
    {"name": "a delivery that cannot happen", "requires": ["virtual_clock", "apns", "commands"],
     "devices": [{"id": "mac1", "apns": "offline"}],
     "steps": [
       {"do": "mac1.enroll"},
       {"do": "server.enqueue", "with": {"device": "mac1", "type": "ProfileList"}},
       {"expect": {"apns.deliveries": "mac1", "field": "delivered", "equals": 1}, "within": "2d", "clock": "virtual"}]}]})");
  auto r = run_command(run(dir + "/suite.json --report-dir " + dir + "/out"));
  BOOST_TEST(r.exit_code == 1, r.output);
  BOOST_TEST(r.output.find("1 passed, 1 failed") != std::string::npos, r.output);
  BOOST_TEST(r.output.find("within 172800000ms of virtual time") != std::string::npos, r.output);
  // Outside a virtual clock the key is refused up front, and so is it on a do step.
  write_file(dir + "/do.json", R"({"scenarios": [{"name": "s", "devices": [{"id": "mac1"}],
     "steps": [{"do": "mac1.enroll", "clock": "virtual"}]}]})");
  auto on_do = run_command(run(dir + "/do.json --validate"));
  BOOST_TEST(on_do.exit_code == 2, on_do.output);
  BOOST_TEST(on_do.output.find("`clock` applies to expect steps") != std::string::npos,
             on_do.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
