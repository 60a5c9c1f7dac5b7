// `mdmlab replay`: a device's side of a captured run, sent again to a separately started
// `mdmlab serve`, gets the answers it got in the capture (NotNow re-offers included); against
// a target that cannot queue the captured commands the answers differ and the exit code says
// so; captures that are not captures, and devices that are not in them, are refused.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "tests/support/process.hpp"

using namespace mdmlab::testing;

namespace {
std::string cli(const std::string& args) {
  return mdmlab_cli() + " --log-level warn " + args;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(mdmlab_replay)

BOOST_AUTO_TEST_CASE(a_captured_device_gets_the_same_answers_from_another_server) {
  auto dir = make_temp_dir("mdmlab-replay-");
  ServeProcess serve(dir);
  BOOST_REQUIRE(serve.ready());
  const auto base = serve.base();
  // The capture comes from the embedded server; the replay goes to the separate one.
  auto captured = run_command(cli("run " + std::string(MDMLAB_SOURCE_DIR) +
                                  "/scenarios/suites/apple-smoke.json --tag commands "
                                  "--report-dir " +
                                  dir + "/out --capture " + dir + "/cap.jsonl"));
  BOOST_REQUIRE_MESSAGE(captured.exit_code == 0, captured.output);
  write_file(dir + "/target.json", R"({"enroll_profile_url": ")" + base +
                                       R"(/mdm/apple/enroll", "server_url": ")" + base +
                                       R"(", "admin_token_file": "data/admin-token"})");
  for (const std::string scenario :
       {"NotNow twice, then Idle, then success", "command Error kept with its ErrorChain"}) {
    auto r = run_command(cli("replay " + dir + "/cap.jsonl --target " + dir +
                             "/target.json --scenario '" + scenario + "' --json " + dir +
                             "/replay.json"));
    BOOST_TEST(r.exit_code == 0, r.output + read_file(dir + "/serve.log"));
    BOOST_TEST(r.output.find(" 0 differ, 0 not sent") != std::string::npos, r.output);
    auto report = nlohmann::json::parse(read_file(dir + "/replay.json"));
    BOOST_TEST(report["same"].get<int>() >= 4);
    BOOST_TEST(report["udid"].get<std::string>().size() == 36u);
    // The replaying device is a new one: the server now knows it too.
    auto devices = run_command("curl -s -H 'Authorization: Bearer " +
                               read_file(dir + "/data/admin-token").substr(0, 64) + "' " + base +
                               "/admin/v1/apple/devices");
    BOOST_TEST(devices.output.find(report["udid"].get<std::string>()) != std::string::npos,
               devices.output);
  }

  // Without a way to queue the captured command, the server answers Idle with nothing: the
  // replay says which message differs and exits 1.
  write_file(dir + "/bare.json", R"({"enroll_profile_url": ")" + base + R"(/mdm/apple/enroll"})");
  auto bare = run_command(cli("replay " + dir + "/cap.jsonl --target " + dir +
                              "/bare.json --scenario 'command Error kept with its ErrorChain'"));
  BOOST_TEST(bare.exit_code == 1, bare.output);
  BOOST_TEST(
      bare.output.find("captured 200 SecurityInfo, now 200 (no command)") != std::string::npos,
      bare.output);
  BOOST_TEST(bare.output.find("was not queued again") != std::string::npos, bare.output);

  // Not a capture, or no such device: exit 2 before anything is sent.
  write_file(dir + "/bad.jsonl", "{\"seq\": 1}\nnot json\n");
  auto bad = run_command(cli("replay " + dir + "/bad.jsonl --target " + dir + "/target.json"));
  BOOST_TEST(bad.exit_code == 2, bad.output);
  BOOST_TEST(bad.output.find("line 1 is not a capture entry") != std::string::npos, bad.output);
  auto nobody = run_command(
      cli("replay " + dir + "/cap.jsonl --target " + dir + "/target.json --device mac9"));
  BOOST_TEST(nobody.exit_code == 2, nobody.output);
  BOOST_TEST(nobody.output.find("no MDM message from device 'mac9'") != std::string::npos,
             nobody.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
