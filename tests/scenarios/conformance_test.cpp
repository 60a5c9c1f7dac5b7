// Conformance verdicts: a server that hands a device a command Apple's schema refuses (here the
// reference server's raw-command admin API, which passes commands through as given) fails the
// scenario with the rule's id, its source and the offending message, in the JUnit failure text,
// report.md and report.html; a clean run records what was checked and fails nothing.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <set>

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

BOOST_AUTO_TEST_SUITE_END()
