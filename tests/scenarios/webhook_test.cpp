// Webhooks both ways, through real processes on loopback:
//  - `mdmlab serve --webhook-url` posts a MicroMDM-style event for every message it accepted;
//    an independent receiver (Python http.server, jsonschema, plistlib, hmac) checks each one.
//  - `mdmlab run --target` with command_results reads command results from the events a
//    server posts to mdmlab's own receiver (no admin token in the target), refuses events with
//    a wrong signature, and draws them in the report; or from a result URL.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/process.hpp"

using namespace mdmlab::testing;
using nlohmann::json;

namespace {
const std::string kRecorder =
    std::string(MDMLAB_SOURCE_DIR) + "/tests/interop/webhook/webhook_recorder.py";

std::string run(const std::string& args) {
  return mdmlab_cli() + " --log-level warn run " + args;
}

std::vector<json> json_lines(const std::string& path) {
  std::vector<json> out;
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

// A suite that enrolls one Mac, queues DeviceInformation and a command the Mac refuses (an
// unknown RequestType gets Error), and reads both results from server.command.
const char* kCommandSuite = R"({"name": "webhook", "scenarios": [
  {"name": "command results come back", "requires": ["commands", "command_results"],
   "devices": [{"id": "mac1", "apns": "none"}],
   "steps": [
     {"do": "mac1.enroll"},
     {"do": "server.enqueue", "with": {"device": "mac1", "type": "DeviceInformation", "params": {"queries": ["OSVersion"]}}, "as": "info"},
     {"do": "server.enqueue", "with": {"device": "mac1", "command": {"RequestType": "NoSuchCommand"}}, "as": "bogus"},
     {"do": "mac1.poll"},
     {"expect": {"server.command": "$info", "device": "mac1", "field": "status", "equals": "Acknowledged"}},
     {"expect": {"server.command": "$info", "device": "mac1", "field": "result.QueryResponses.OSVersion", "present": true}},
     {"expect": {"server.command": "$bogus", "field": "status", "matches": "^(Error|CommandFormatError)$"}}]}]})";

// mdmlab serve posting its webhook events to `url`, signed with `secret_file` when given.
std::vector<std::string> webhook_args(const std::string& url, const std::string& secret_file) {
  std::vector<std::string> args = {"--webhook-url", url};
  if (!secret_file.empty()) {
    args.push_back("--webhook-hmac-secret-file");
    args.push_back(secret_file);
  }
  return args;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(webhooks)

BOOST_AUTO_TEST_CASE(serve_posts_events_an_independent_receiver_accepts) {
  auto dir = make_temp_dir("mdmlab-webhook-out-");
  write_file(dir + "/secret", "webhook-secret-1\n");
  BackgroundProcess recorder(
      {"/usr/bin/python3", kRecorder, dir + "/port", dir + "/events.jsonl", dir + "/secret"},
      dir + "/recorder.log");
  BOOST_REQUIRE_MESSAGE(wait_for_file(dir + "/port"), read_file(dir + "/recorder.log"));
  ServeProcess serve(
      dir, webhook_args("http://127.0.0.1:" + read_file(dir + "/port") + "/hook", dir + "/secret"));
  BOOST_REQUIRE(serve.ready());
  write_file(dir + "/suite.json", kCommandSuite);
  write_file(dir + "/target.json", R"({"enroll_profile_url": ")" + serve.base() +
                                       R"(/mdm/apple/enroll", "server_url": ")" + serve.base() +
                                       R"(", "admin_token_file": "data/admin-token"})");
  auto r = run_command(
      run(dir + "/suite.json --target " + dir + "/target.json --report-dir " + dir + "/out"));
  BOOST_TEST(r.exit_code == 0, r.output + read_file(dir + "/serve.log"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the last event is in flight

  auto events = json_lines(dir + "/events.jsonl");
  std::map<std::string, int> topics;
  std::set<std::string> statuses;
  for (const auto& e : events) {
    BOOST_TEST(e["errors"].empty(), e.dump());
    topics[e.value("topic", "")]++;
    if (e.value("topic", "") == "mdm.Connect") statuses.insert(e.value("status", ""));
    if (e.value("topic", "") == "mdm.TokenUpdate") BOOST_TEST(e.value("tally", 0) == 1);
  }
  BOOST_TEST(topics["mdm.Authenticate"] == 1);
  BOOST_TEST(topics["mdm.TokenUpdate"] == 1);
  BOOST_TEST(topics["mdm.Connect"] >= 3);  // Idle, the two results, the last Idle
  BOOST_TEST(statuses.count("Idle") == 1);
  BOOST_TEST(statuses.count("Acknowledged") == 1);

  // Counted, in a form promtool accepts.
  auto metrics = run_command("curl -s " + serve.base() + "/metrics");
  BOOST_TEST(
      metrics.output.find(R"(mdmlab_webhook_events_total{topic="mdm.Connect",outcome="sent"})") !=
          std::string::npos,
      metrics.output);
  BOOST_REQUIRE_MESSAGE(have_program("promtool"), "promtool (Debian prometheus) missing");
  write_file(dir + "/metrics.txt", metrics.output);
  auto checked = run_command("promtool check metrics < " + dir + "/metrics.txt");
  BOOST_TEST(checked.exit_code == 0, checked.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(command_results_come_from_webhook_events_without_the_admin_token) {
  auto dir = make_temp_dir("mdmlab-webhook-in-");
  write_file(dir + "/secret", "webhook-secret-2\n");
  write_file(dir + "/wrong", "not-the-secret\n");
  const auto receiver_port = free_port();
  const auto receiver = "127.0.0.1:" + std::to_string(receiver_port);
  ServeProcess serve(dir, webhook_args("http://" + receiver + "/webhook", dir + "/secret"));
  BOOST_REQUIRE(serve.ready());
  write_file(dir + "/suite.json", kCommandSuite);
  auto target = [&](const std::string& secret_file) {
    return R"({"name": "any server", "enroll_profile_url": ")" + serve.base() +
           R"(/mdm/apple/enroll", )" + serve_command_api(serve.base()) +
           R"(, "command_results": {"webhook_listen": ")" + receiver +
           R"(", "hmac_secret_file": ")" + secret_file + R"("}})";
  };
  write_file(dir + "/target.json", target("secret"));
  auto r = run_command(run(dir + "/suite.json --target " + dir + "/target.json --fail-on-skip " +
                           "--report-dir " + dir + "/out"));
  BOOST_TEST(r.exit_code == 0, r.output + read_file(dir + "/serve.log"));
  BOOST_TEST(r.output.find("webhook receiver: http://" + receiver + "/webhook") !=
             std::string::npos);
  BOOST_TEST(r.output.find("1 passed, 0 failed, 0 skipped") != std::string::npos, r.output);
  // The events are in the report's transcript, from the server to the webhook party, and the
  // TokenUpdate's push token is not.
  auto run_json = json::parse(read_file(dir + "/out/run.json"));
  int webhook_events = 0;
  for (const auto& m : run_json["scenarios"][0]["messages"])
    if (m.value("to", "") == "webhook") {
      ++webhook_events;
      if (m.value("summary", "").find("mdm.TokenUpdate") != std::string::npos)
        BOOST_TEST(m.value("body", "").find("[redacted]") != std::string::npos, m.dump());
    }
  BOOST_TEST(webhook_events >= 5);

  // Signed with another secret, every event is refused: the expectations time out and say so.
  write_file(dir + "/target.json", target("wrong"));
  auto refused = run_command(run(dir + "/suite.json --target " + dir + "/target.json " +
                                 "--report-dir " + dir + "/refused"));
  BOOST_TEST(refused.exit_code == 1, refused.output);
  BOOST_TEST(refused.output.find("webhook receiver: refused") != std::string::npos, refused.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(command_results_come_from_a_result_url) {
  auto dir = make_temp_dir("mdmlab-result-url-");
  ServeProcess serve(dir, webhook_args("http://127.0.0.1:9/unused", ""));
  BOOST_REQUIRE(serve.ready());
  // mdmlab serve's admin API as "some server's result URL": JSON, read by path.
  write_file(dir + "/suite.json", R"({"name": "url", "scenarios": [
    {"name": "a result read from a URL", "requires": ["commands", "command_results"],
     "devices": [{"id": "mac1", "apns": "none"}],
     "steps": [
       {"do": "mac1.enroll"},
       {"do": "server.enqueue", "with": {"device": "mac1", "type": "DeviceInformation", "params": {"queries": ["OSVersion"]}}, "as": "info"},
       {"do": "mac1.poll"},
       {"expect": {"server.command": "$info", "field": "results[0].status", "equals": "Acknowledged"}}]}]})");
  write_file(
      dir + "/target.json",
      R"({"enroll_profile_url": ")" + serve.base() + R"(/mdm/apple/enroll", )" +
          serve_command_api(serve.base()) + R"(, "command_results": {"url": ")" + serve.base() +
          R"(/admin/v1/apple/commands/{command_uuid}", "bearer_file": "data/admin-token"}})");
  auto r = run_command(run(dir + "/suite.json --target " + dir + "/target.json --fail-on-skip " +
                           "--report-dir " + dir + "/out"));
  BOOST_TEST(r.exit_code == 0, r.output + read_file(dir + "/serve.log"));

  // A target file with both modes, or neither, is refused before anything runs.
  write_file(
      dir + "/both.json",
      R"({"enroll_profile_url": ")" + serve.base() +
          R"(/mdm/apple/enroll", "command_results": {"url": "http://x/{command_uuid}", "webhook_listen": "127.0.0.1:1"}})");
  auto both = run_command(
      run(dir + "/suite.json --target " + dir + "/both.json --report-dir " + dir + "/both"));
  BOOST_TEST(both.exit_code == 2, both.output);
  BOOST_TEST(both.output.find("one of webhook_listen and url") != std::string::npos, both.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
