// report.html in a real browser: a real `mdmlab run` of apple-smoke, its report opened in
// headless Chromium with every host name unresolvable. The page must load, log nothing to the
// console (no script error, no refused fetch), link nothing outside itself, and show one arrow
// per message of run.json; `mdmlab report` must render the same page again. Chromium missing is
// a failure, not a skip: CI installs it (scripts/setup.sh).
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/chromium.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab::testing;

namespace {

// The part of the page about scenario `id`: from its <details> to the next scenario's.
std::string scenario_part(const std::string& dom, const std::string& id) {
  auto begin = dom.find("id=\"" + id + "\"");
  if (begin == std::string::npos) return {};
  auto end = dom.find("<details class=\"scenario", begin);
  return dom.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report_html_in_chromium)

BOOST_AUTO_TEST_CASE(apple_smoke_report_loads_offline_with_one_arrow_per_message) {
  const auto chromium = chromium_program();
  BOOST_REQUIRE_MESSAGE(!chromium.empty(),
                        "Chromium is not installed (no chromium, chromium-browser or "
                        "google-chrome on PATH): run scripts/setup.sh or apt-get install chromium");
  const auto dir = make_temp_dir("mdmlab-report-html-");
  auto run = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                         "/scenarios/suites/apple-smoke.json --report-dir " + dir + "/out");
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.output);
  BOOST_TEST(run.output.find("report.html, report.md") != std::string::npos, run.output);
  const auto run_json = nlohmann::json::parse(read_file(dir + "/out/run.json"));
  const auto html = read_file(dir + "/out/report.html");

  // Opened at a message's fragment: the script opens that message's <details>.
  const auto& first = run_json["scenarios"][0];
  BOOST_REQUIRE(!first["messages"].empty());
  const auto target = "s0-m" + first["messages"][0]["seq"].dump();
  auto page = load_page(chromium, "file://" + dir + "/out/report.html#" + target, dir);
  BOOST_REQUIRE_MESSAGE(page.exit_code == 0, page.log);
  BOOST_REQUIRE_MESSAGE(page.dom.find("id=\"count-passed\"") != std::string::npos,
                        "the page did not load:\n" + page.dom.substr(0, 2000) + page.log);
  BOOST_TEST(page.console.empty(), "console messages:\n" + page.console);
  BOOST_TEST(std::regex_search(page.dom, std::regex("id=\"" + target + "\"[^>]* open")),
             "the script did not open #" + target);

  // Nothing outside the file: no src or href to http(s), in the served file or the DOM.
  const std::regex external(R"re((src|href)\s*=\s*["']?\s*(https?:)?//)re", std::regex::icase);
  BOOST_TEST(!std::regex_search(html, external));
  BOOST_TEST(!std::regex_search(page.dom, external));

  // Every scenario's diagram has one arrow per message of run.json.
  for (std::size_t i = 0; i < run_json["scenarios"].size(); ++i) {
    const auto& sc = run_json["scenarios"][i];
    const auto part = scenario_part(page.dom, "s" + std::to_string(i));
    BOOST_TEST(count(part, "class=\"msg ") == sc["messages"].size(), sc["name"]);
    BOOST_TEST(count(part, "<details class=\"message ") == sc["messages"].size(), sc["name"]);
  }
  // The enrollment scenario's diagram reads like the classic one.
  const auto part = scenario_part(page.dom, "s0");
  for (const char* label :
       {"GET /mdm/apple/enroll", "MessageType=Authenticate", "MessageType=TokenUpdate",
        "push for mac1", "RequestType=DeviceInformation", "Status=Acknowledged"})
    BOOST_TEST(part.find(label) != std::string::npos, label);

  // `mdmlab report` renders the same page from run.json.
  std::filesystem::rename(dir + "/out/report.html", dir + "/out/first.html");
  auto again = run_command(mdmlab_cli() + " report " + dir + "/out");
  BOOST_TEST(again.exit_code == 0, again.output);
  BOOST_TEST(again.output.find(dir + "/out/report.html") != std::string::npos, again.output);
  BOOST_TEST(again.output.find(dir + "/out/report.md") != std::string::npos, again.output);
  BOOST_TEST((read_file(dir + "/out/report.html") == html));
  std::filesystem::remove_all(dir);
}

// The assertion on console messages can fail: a page with a script error is caught.
BOOST_AUTO_TEST_CASE(a_script_error_shows_up_as_a_console_message) {
  const auto chromium = chromium_program();
  BOOST_REQUIRE_MESSAGE(!chromium.empty(), "Chromium is not installed");
  const auto dir = make_temp_dir("mdmlab-report-html-error-");
  write_file(
      dir + "/broken.html",
      "<!DOCTYPE html><html><body><p id=\"x\">x</p><script>nothere();</script></body></html>");
  auto page = load_page(chromium, "file://" + dir + "/broken.html", dir);
  BOOST_TEST(page.dom.find("id=\"x\"") != std::string::npos, page.log);
  BOOST_TEST(page.console.find("Uncaught ReferenceError") != std::string::npos, page.log);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(report_refuses_a_directory_without_a_run_json) {
  const auto dir = make_temp_dir("mdmlab-report-cli-");
  auto missing = run_command(mdmlab_cli() + " report " + dir);
  BOOST_TEST(missing.exit_code == 2, missing.output);
  BOOST_TEST(missing.output.find("no run.json in " + dir) != std::string::npos, missing.output);
  write_file(dir + "/run.json", R"({"suite": "x", "results": []})");
  auto foreign = run_command(mdmlab_cli() + " report " + dir);
  BOOST_TEST(foreign.exit_code == 2, foreign.output);
  BOOST_TEST(foreign.output.find("not an mdmlab run.json") != std::string::npos, foreign.output);
  write_file(dir + "/run.json", "{\"suite\": ");
  auto broken = run_command(mdmlab_cli() + " report " + dir);
  BOOST_TEST(broken.exit_code == 2, broken.output);
  BOOST_TEST(broken.output.find("not valid JSON") != std::string::npos, broken.output);
  BOOST_TEST(!std::filesystem::exists(dir + "/report.html"));
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
