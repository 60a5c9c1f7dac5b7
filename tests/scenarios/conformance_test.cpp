// Conformance verdicts: a server that hands a device a command Apple's schema refuses (here the
// reference server's raw-command admin API, which passes commands through as given) fails the
// scenario with the rule's id, its source and the offending message, in the JUnit failure text,
// report.md and report.html; a clean run records what was checked and fails nothing.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "protocol/conformance/rules.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab::testing;

BOOST_AUTO_TEST_SUITE(conformance_verdicts)

BOOST_AUTO_TEST_CASE(every_rule_has_an_id_a_sentence_and_a_source) {
  std::set<std::string> ids;
  for (const auto& r : mdmlab::conformance::rule_table()) {
    BOOST_TEST(ids.insert(r.id).second, r.id);
    BOOST_TEST(std::string(r.says).size() > 20u, r.id);
    BOOST_TEST(std::string(r.source).size() > 10u, r.id);
    BOOST_TEST(mdmlab::conformance::find_rule(r.id) == &r);
  }
  BOOST_TEST(mdmlab::conformance::find_rule("no.such.rule") == nullptr);
}

BOOST_AUTO_TEST_CASE(a_command_apple_would_refuse_fails_the_scenario_with_the_rule) {
  auto dir = make_temp_dir("mdmlab-conformance-");
  write_file(dir + "/suite.json", R"({"name": "violation", "scenarios": [
    {"name": "a mistyped DeviceLock", "requires": ["commands", "apns"],
     "devices": [{"id": "mac1"}],
     "steps": [
       {"do": "mac1.enroll"},
       {"do": "server.enqueue", "with": {"device": "mac1", "command": {"RequestType": "DeviceLock", "PIN": 1234}}},
       {"expect": {"device": "mac1", "field": "commands", "count": 1}}]},
    {"name": "a well-typed DeviceLock", "requires": ["commands", "apns"],
     "devices": [{"id": "mac1"}],
     "steps": [
       {"do": "mac1.enroll"},
       {"do": "server.enqueue", "with": {"device": "mac1", "command": {"RequestType": "DeviceLock", "PIN": "123456"}}},
       {"expect": {"device": "mac1", "field": "commands", "count": 1}}]}]})");
  auto r = run_command(mdmlab_cli() + " --log-level warn run " + dir + "/suite.json --report-dir " +
                       dir + "/out");
  BOOST_TEST(r.exit_code == 1, r.output);
  BOOST_TEST(r.output.find("1 passed, 1 failed") != std::string::npos, r.output);
  BOOST_TEST(r.output.find("[apple.command.schema]") != std::string::npos, r.output);
  BOOST_TEST(r.output.find("PIN must be <string>") != std::string::npos, r.output);
  auto junit = read_file(dir + "/out/junit.xml");
  BOOST_TEST(junit.find("[apple.command.schema]") != std::string::npos);
  BOOST_TEST(read_file(dir + "/out/report.md").find("`apple.command.schema`") != std::string::npos);
  auto html = read_file(dir + "/out/report.html");
  BOOST_TEST(html.find("<code>apple.command.schema</code>") != std::string::npos);
  auto run = nlohmann::json::parse(read_file(dir + "/out/run.json"));
  const auto& bad = run["scenarios"][0]["conformance"];
  BOOST_REQUIRE(bad["violations"].size() == 1u);
  const auto seq = bad["violations"][0]["message_seq"].get<std::uint64_t>();
  BOOST_TEST(seq > 0u);
  // The named message is the server's answer that carried the command.
  bool found = false;
  for (const auto& m : run["scenarios"][0]["messages"])
    if (m["seq"] == seq) {
      found = true;
      BOOST_TEST(m["from"] == "server");
      BOOST_TEST(m["to"] == "mac1");
      BOOST_TEST(m["body"].get<std::string>().find("DeviceLock") != std::string::npos);
    }
  BOOST_TEST(found);
  BOOST_TEST(html.find("href=\"#s0-m" + std::to_string(seq) + "\"") != std::string::npos);
  const auto& good = run["scenarios"][1]["conformance"];
  BOOST_TEST(good["violations"].empty());
  BOOST_TEST(good["checked"]["apple.command.schema"] == 1);
  BOOST_TEST(good["checked"]["scep.certrep.recipient-nonce"] == 1);
  std::filesystem::remove_all(dir);
}

namespace {
// mdmlab serve on plain HTTP behind tests/interop/broken/misbehaving_proxy.py in `mode`; the
// target files point at the proxy (broken.json) and at serve itself (direct.json).
struct MisbehavingServer {
  std::string dir;
  ServeProcess serve;
  std::unique_ptr<BackgroundProcess> proxy;
  MisbehavingServer(const std::string& d, const std::string& mode)
      : dir(d), serve(d, {}, /*https=*/false) {
    BOOST_REQUIRE(serve.ready());
    const auto upstream = serve.base();
    proxy = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{
            "/usr/bin/python3",
            std::string(MDMLAB_SOURCE_DIR) + "/tests/interop/broken/misbehaving_proxy.py", upstream,
            dir + "/proxy-port", mode},
        dir + "/proxy.log");
    BOOST_REQUIRE_MESSAGE(wait_for_file(dir + "/proxy-port"), read_file(dir + "/proxy.log"));
    write_file(dir + "/broken.json",
               R"({"name": ")" + mode + R"(", "enroll_profile_url": "http://127.0.0.1:)" +
                   read_file(dir + "/proxy-port") + R"(/mdm/apple/enroll?signed=0"})");
    write_file(dir + "/direct.json", R"({"name": "direct", "enroll_profile_url": ")" + upstream +
                                         R"(/mdm/apple/enroll?signed=0"})");
  }
  ProcessResult run(const std::string& target) {
    return run_command(mdmlab_cli() + " --log-level warn run " + dir + "/suite.json --target " +
                       dir + "/" + target + ".json --report-dir " + dir + "/" + target);
  }
};
}  // namespace

// A server that says "nothing to send" with HTTP 204: the idle poll breaks
// apple.command.empty-answer against it, and the same scenario straight against mdmlab serve
// checks the rule and passes.
BOOST_AUTO_TEST_CASE(a_server_answering_204_to_an_idle_poll_breaks_the_empty_answer_rule) {
  auto dir = make_temp_dir("mdmlab-204-");
  MisbehavingServer server(dir, "idle-204");
  write_file(dir + "/suite.json", R"({"name": "empty answer", "scenarios": [
    {"name": "an idle poll", "devices": [{"id": "mac1"}],
     "steps": [{"do": "mac1.enroll"}, {"do": "mac1.poll"},
               {"expect": {"device": "mac1", "field": "state", "equals": "enrolled"}}]}]})");
  auto broken = server.run("broken");
  BOOST_TEST(broken.exit_code == 1, broken.output);
  BOOST_TEST(broken.output.find("[apple.command.empty-answer]") != std::string::npos,
             broken.output);
  BOOST_TEST(broken.output.find("answered a report with HTTP 204") != std::string::npos,
             broken.output);
  auto direct = server.run("direct");
  BOOST_TEST(direct.exit_code == 0, direct.output);
  auto run = nlohmann::json::parse(read_file(dir + "/direct/run.json"));
  BOOST_TEST(run["scenarios"][0]["conformance"]["checked"]["apple.command.empty-answer"] == 1);
  std::filesystem::remove_all(dir);
}

// A SCEP server that answers a re-enrollment with the CertRep of an earlier request (validly
// signed, same transactionID, since the Mac's key is the same): only the nonce gives it away,
// and scep.certrep.recipient-nonce fails the step and the scenario; straight against mdmlab
// serve, the rule is checked twice and holds.
BOOST_AUTO_TEST_CASE(a_replayed_certrep_breaks_the_recipient_nonce_rule) {
  auto dir = make_temp_dir("mdmlab-nonce-");
  MisbehavingServer server(dir, "replay-certrep");
  write_file(dir + "/suite.json", R"({"name": "nonce", "scenarios": [
    {"name": "re-enrollment", "devices": [{"id": "mac1", "apns": "none"}],
     "steps": [{"do": "mac1.enroll"}, {"do": "mac1.enroll"}]}]})");
  auto broken = server.run("broken");
  BOOST_TEST(broken.exit_code == 1, broken.output);
  BOOST_TEST(broken.output.find("[scep.certrep.recipient-nonce]") != std::string::npos,
             broken.output);
  auto run = nlohmann::json::parse(read_file(dir + "/broken/run.json"));
  const auto& seen = run["scenarios"][0]["conformance"];
  BOOST_REQUIRE(seen["violations"].size() == 1u);
  BOOST_TEST(seen["violations"][0]["rule"] == "scep.certrep.recipient-nonce");
  BOOST_TEST(seen["checked"]["scep.certrep.transaction-id"] == 2);
  auto direct = server.run("direct");
  BOOST_TEST(direct.exit_code == 0, direct.output);
  auto clean = nlohmann::json::parse(read_file(dir + "/direct/run.json"));
  BOOST_TEST(clean["scenarios"][0]["conformance"]["checked"]["scep.certrep.recipient-nonce"] == 2);
  std::filesystem::remove_all(dir);
}

// A SCEP server failing under load answers the first PKIOperation 503: the Mac sends it again
// at once (the payload's Retries; the first retry goes without the RetryDelay) and enrolls.
BOOST_AUTO_TEST_CASE(a_scep_request_that_fails_on_the_way_is_sent_again) {
  auto dir = make_temp_dir("mdmlab-retry-");
  MisbehavingServer server(dir, "fail-first-scep");
  write_file(dir + "/suite.json", R"({"name": "retries", "scenarios": [
    {"name": "a 503 from SCEP", "devices": [{"id": "mac1", "apns": "none"}],
     "steps": [{"do": "mac1.enroll"},
               {"expect": {"device": "mac1", "field": "scep_retries", "equals": 1}},
               {"expect": {"device": "mac1", "field": "state", "equals": "enrolled"}}]}]})");
  auto broken = server.run("broken");
  BOOST_TEST(broken.exit_code == 0, broken.output + read_file(dir + "/proxy.log"));
  auto run = nlohmann::json::parse(read_file(dir + "/broken/run.json"));
  int scep_posts = 0, refused = 0;
  for (const auto& m : run["scenarios"][0]["messages"]) {
    if (m.value("kind", "") == "request" &&
        m.value("target", "").find("PKIOperation") != std::string::npos)
      ++scep_posts;
    if (m.value("kind", "") == "response" && m.value("status", 0) == 503) ++refused;
  }
  BOOST_TEST(scep_posts == 2);
  BOOST_TEST(refused == 1);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
