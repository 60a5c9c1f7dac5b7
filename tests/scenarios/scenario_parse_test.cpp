// The suite parser refuses what it does not know, with a JSON pointer, the scenario and step,
// and a hint; it never throws on a wrong type. Each case below was either accepted silently or
// killed `mdmlab run` with an uncaught exception before issue 9.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenarios/engine/scenario.hpp"

using namespace mdmlab::scenarios;

namespace {
// A one-scenario suite around `steps`, with mac1 and mac2 declared (plus `device_extra` on mac1).
std::string suite(const std::string& steps, const std::string& device_extra = "",
                  const std::string& scenario_extra = "") {
  return R"({"name": "t", "scenarios": [{"name": "s", "devices": [{"id": "mac1", "type": "mac")" +
         device_extra + R"(}, {"id": "mac2"}], )" + scenario_extra + R"("steps": [)" + steps +
         "]}]}";
}

struct Refusal {
  const char* what;
  std::string text;
  std::vector<std::string> says;  // substrings the error must contain
};
}  // namespace

BOOST_AUTO_TEST_SUITE(scenario_parse)

BOOST_AUTO_TEST_CASE(every_suite_in_the_repository_parses) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(MDMLAB_SOURCE_DIR "/scenarios/suites")) {
    if (!e.is_regular_file() || e.path().extension() != ".json")
      continue;  // fixtures/ is not a suite
    auto s = parse_suite_file(e.path());
    BOOST_TEST(s.ok(), e.path().string() << ": " << (s.ok() ? "" : s.error().message));
    ++n;
  }
  BOOST_TEST(n >= 4);
}

BOOST_AUTO_TEST_CASE(wrong_files_are_refused_with_a_pointer_and_a_hint) {
  const std::vector<Refusal> cases = {
      {"wrong type for device",
       suite(R"({"do": "server.enqueue", "with": {"device": 1, "type": "ProfileList"}})"),
       {"/scenarios/0/steps/0/with/device", "scenario 's', step 0", "device must be"}},
      {"unknown device setting",
       suite(R"({"do": "mac1.poll"})", R"(, "not_now_poll": 2)"),
       {"/scenarios/0/devices/0/not_now_poll", "did you mean `not_now_polls`?"}},
      {"setting of the wrong type",
       suite(R"({"do": "mac1.poll"})", R"(, "not_now_polls": "2")"),
       {"/scenarios/0/devices/0/not_now_polls", "an integer"}},
      {"unknown suite key",
       R"({"name": "t", "scenarois": []})",
       {"unknown key `scenarois`", "did you mean `scenarios`?"}},
      {"unknown scenario key",
       suite(R"({"do": "mac1.poll"})", "", R"("tag": ["x"], )"),
       {"/scenarios/0/tag", "did you mean `tags`?"}},
      {"unknown step key",
       suite(R"({"do": "mac1.poll", "witht": {}})"),
       {"/scenarios/0/steps/0/witht", "did you mean `with`?"}},
      {"unknown with key",
       suite(R"({"do": "mac1.enroll", "with": {"profle": "unsigned"}})"),
       {"/scenarios/0/steps/0/with/profle", "did you mean `profile`?"}},
      {"value outside a closed set",
       suite(R"({"do": "mac1.enroll", "with": {"profile": "unsinged"}})"),
       {"/scenarios/0/steps/0/with/profile", "signed, unsigned"}},
      {"undeclared device",
       suite(R"({"do": "mac3.poll"})"),
       {"/scenarios/0/steps/0/do", "no device or service named `mac3`"}},
      {"unknown action", suite(R"({"do": "mac1.pol"})"), {"cannot `pol`", "did you mean `poll`?"}},
      {"undeclared device in with",
       suite(R"({"do": "mac1.token_update", "with": {"udid_of": "mac9"}})"),
       {"/scenarios/0/steps/0/with/udid_of", "no device `mac9`"}},
      {"within on a do step",
       suite(R"({"do": "mac1.poll", "within": "5s"})"),
       {"/scenarios/0/steps/0/within", "expect steps"}},
      {"not-a-number duration",
       suite(
           R"({"expect": {"device": "mac1", "field": "state", "equals": "x"}, "within": "nans"})"),
       {"/scenarios/0/steps/0/within", "is not like"}},
      {"overflowing duration",
       suite(R"({"do": "clock.advance", "with": {"by": "999999999999d"}})"),
       {"/scenarios/0/steps/0/with/by", "too long"}},
      {"infinite duration",
       suite(R"({"do": "clock.advance", "with": {"by": "infs"}})"),
       {"is not like"}},
      {"unbound $name",
       suite(R"({"expect": {"server.command": "$nope", "field": "status", "equals": "x"}})"),
       {"/scenarios/0/steps/0/expect/server.command", "`$nope` is not bound"}},
      {"no matcher",
       suite(R"({"expect": {"device": "mac1", "field": "state"}})"),
       {"/scenarios/0/steps/0/expect", "no matcher", "between"}},
      {"between not a pair",
       suite(R"({"expect": {"device": "mac1", "field": "profiles", "between": [3]}})"),
       {"/scenarios/0/steps/0/expect/between", "[low, high]"}},
      {"between upside down",
       suite(R"({"expect": {"device": "mac1", "field": "profiles", "between": [3, 1]}})"),
       {"/scenarios/0/steps/0/expect/between", "low <= high"}},
      {"regex that does not compile",
       suite(R"({"expect": {"device": "mac1", "field": "state", "matches": "(["}})"),
       {"/scenarios/0/steps/0/expect/matches", "not a regular expression"}},
      {"unknown key in a nested matcher",
       suite(
           R"({"expect": {"device": "mac1", "field": "commands", "any": {"feild": "status", "equals": "x"}}})"),
       {"/scenarios/0/steps/0/expect/any/feild", "did you mean `field`?"}},
      {"nested matcher without a matcher",
       suite(R"({"expect": {"device": "mac1", "field": "commands", "all": {"field": "status"}}})"),
       {"/scenarios/0/steps/0/expect/all", "no matcher"}},
      {"device beside another subject",
       suite(
           R"({"expect": {"server.device": "mac1", "device": "mac2", "field": "state", "equals": "x"}})"),
       {"/scenarios/0/steps/0/expect/device", "picks the device of a server.command"}},
      {"bad path",
       suite(R"({"expect": {"device": "mac1", "field": "commands[x]", "present": true}})"),
       {"/scenarios/0/steps/0/expect/field", "not an index"}},
      {"present and absent together",
       suite(
           R"({"expect": {"device": "mac1", "field": "state", "present": true, "absent": false}})"),
       {"present and absent"}},
      {"within and stays together",
       suite(
           R"({"expect": {"device": "mac1", "field": "state", "equals": "x"}, "within": "1s", "stays": "1s"})"),
       {"exclude each other"}},
      {"timeout on an expect step",
       suite(R"({"expect": {"device": "mac1", "field": "state", "equals": "x"}, "timeout": "1s"})"),
       {"/scenarios/0/steps/0/timeout", "do steps"}},
      {"stays on a do step",
       suite(R"({"do": "mac1.poll", "stays": "1s"})"),
       {"/scenarios/0/steps/0/stays", "use `timeout`"}},
      {"unknown failure key",
       suite(R"({"do": "mac1.poll", "expect": {"fail": {"stauts": 403}}})"),
       {"/scenarios/0/steps/0/expect/fail/stauts", "did you mean `status`?"}},
      {"failInfo outside its set",
       suite(R"({"do": "mac1.enroll", "expect": {"fail": {"scep_fail_info": "badRequst"}}})"),
       {"/scenarios/0/steps/0/expect/fail/scep_fail_info", "badRequest"}},
      {"expect on a do step neither ok, fail nor {fail}",
       suite(R"({"do": "mac1.poll", "expect": {"failed": {}}})"),
       {"/scenarios/0/steps/0/expect", "{\"fail\": {...}}"}},
      {"unknown capability",
       suite(R"({"do": "mac1.poll"})", "", R"("requires": ["admin-api"], )"),
       {"/scenarios/0/requires/0", "did you mean `admin_api`?"}},
      {"requires forgets what a step uses",
       suite(R"({"do": "server.push", "with": {"device": "mac1"}})", "",
             R"("requires": ["apns"], )"),
       {"/scenarios/0/requires", "the steps need `admin_api`"}},
      {"unknown expect key",
       suite(R"({"expect": {"device": "mac1", "feild": "state", "equals": "a"}})"),
       {"/scenarios/0/steps/0/expect/feild", "did you mean `field`?"}},
      {"tags not strings",
       suite(R"({"do": "mac1.poll"})", "", R"("tags": [1], )"),
       {"/scenarios/0/tags/0"}},
      {"server setting outside its set",
       suite(R"({"do": "mac1.poll"})", "", R"("server": {"cert_binding": ["allow-dupes"]}, )"),
       {"/scenarios/0/server/cert_binding/0", "allow-duplicate"}},
      {"duplicate device id",
       R"({"scenarios": [{"name": "s", "devices": [{"id": "a"}, {"id": "a"}], "steps": [{"do": "a.poll"}]}]})",
       {"/scenarios/0/devices/1/id", "two devices"}},
      {"as on a step that returns nothing",
       suite(R"({"do": "mac1.poll", "as": "x"})"),
       {"/scenarios/0/steps/0/as"}},
      {"not JSON", "{", {"not valid JSON"}},
  };
  for (const auto& c : cases) {
    auto r = parse_suite(c.text);
    BOOST_TEST_CONTEXT(c.what) {
      BOOST_REQUIRE(!r.ok());
      for (const auto& s : c.says)
        BOOST_TEST(r.error().message.find(s) != std::string::npos,
                   "'" << s << "' not in: " << r.error().message);
    }
  }
}

BOOST_AUTO_TEST_CASE(durations_are_finite_and_bounded) {
  BOOST_TEST(parse_duration("250ms").value().count() == 250);
  BOOST_TEST(parse_duration("400d").value().count() == 400LL * 86400000);
  for (const char* bad : {"nans", "infs", "-1s", "1e300s", "5", "5 parsecs", "", "1e3s", "+5s",
                          " 5s", ".5s", "5.s", "0x10s"})
    BOOST_TEST(!parse_duration(bad).ok(), bad);
}

BOOST_AUTO_TEST_SUITE_END()
