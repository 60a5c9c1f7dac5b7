// `mdmlab load --report-dir` through the real binary: a small run (20 Macs, a few seconds)
// leaves load.json with the device count and a timeline whose last "enrolled" count is the
// devices enrolled, and load.html that Python's html.parser reads with every tag closed and
// that headless Chromium (no network) opens with no console message; a run ended by SIGINT
// still writes both (exit 130). Chromium missing is a failure, not a skip, as in
// tests/reports/report_html_chromium_test.cpp (whose page loader this copies).
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include <csignal>
#include <filesystem>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/chromium.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab::testing;

namespace {

// Python's html.parser over the page: every element closed in order (void elements aside),
// SVG's self-closed ones included; prints the charts' ids.
const char* const kParseHtml = R"py(
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.svgs, self.errors = [], [], []
    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.svgs.append(dict(attrs).get("id"))
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s at %s" % (tag, self.stack[-1:] or None, self.getpos()))
        else:
            self.stack.pop()
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
p.close()
assert not p.errors, p.errors[:5]
assert not p.stack, "unclosed: %s" % p.stack
print("charts:", " ".join(p.svgs))
)py";

}  // namespace

BOOST_AUTO_TEST_SUITE(mdmlab_load_report)

BOOST_AUTO_TEST_CASE(a_small_run_writes_load_json_and_a_page_chromium_opens_cleanly) {
  const auto chromium = chromium_program();
  BOOST_REQUIRE_MESSAGE(!chromium.empty(),
                        "Chromium is not installed (no chromium, chromium-browser or "
                        "google-chrome on PATH): run scripts/setup.sh or apt-get install chromium");
  const auto dir = make_temp_dir("mdmlab-load-report-");
  auto run = run_command(mdmlab_cli() +
                         " --log-level warn load --devices 20 --duration 3s --command-interval 1s"
                         " --sample-interval 250ms --report-dir " +
                         dir + "/out");
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.output);
  BOOST_TEST(run.output.find("load.json, load.html") != std::string::npos, run.output);

  const auto load = nlohmann::json::parse(read_file(dir + "/out/load.json"));
  BOOST_TEST(load["format"] == "mdmlab-load/1");
  BOOST_TEST(load["config"]["devices"] == 20);
  BOOST_TEST(load["totals"]["devices"] == 20);
  BOOST_TEST(load["totals"]["enrolled"] == 20);
  BOOST_TEST(load["totals"]["interrupted"] == false);
  const auto& samples = load["timeline"]["samples"];
  // 250 ms samples over enrollment, 3 s of steady phase and the check: a dozen at least.
  BOOST_REQUIRE(samples.size() >= 12u);
  BOOST_TEST(samples.back()["devices"]["enrolled"] == load["totals"]["enrolled"]);
  // Phases only move forward (enroll, steady, drain, verify); a fast enrollment may finish
  // before the first sample, so the first one is not always "enroll".
  const std::vector<std::string> order = {"enroll", "steady", "drain", "verify"};
  std::size_t at = 0;
  for (const auto& s : samples) {
    auto p = std::find(order.begin(), order.end(), s["phase"].get<std::string>());
    BOOST_REQUIRE(p != order.end());
    BOOST_TEST(static_cast<std::size_t>(p - order.begin()) >= at, s["phase"]);
    at = static_cast<std::size_t>(p - order.begin());
  }
  long enrolls = 0, exchanges = 0;
  bool steady = false;
  for (const auto& s : samples) {
    enrolls += s["completed"]["enroll"].get<long>();
    exchanges += s["completed"]["command_exchange"].get<long>();
    steady = steady || s["phase"] == "steady";
    int devices = 0;
    for (const auto& [state, n] : s["devices"].items()) devices += n.get<int>();
    BOOST_TEST(devices == 20);
  }
  BOOST_TEST(steady);
  BOOST_TEST(enrolls == 20);
  BOOST_TEST(exchanges == load["latency"]["command_exchange"]["count"].get<long>());
  BOOST_TEST(exchanges > 0);
  BOOST_TEST(load["latency"]["command_exchange"]["p99_ms"].get<double>() > 0);

  write_file(dir + "/parse.py", kParseHtml);
  auto parsed = run_command("/usr/bin/python3 " + dir + "/parse.py " + dir + "/out/load.html");
  BOOST_TEST(parsed.exit_code == 0, parsed.output);
  for (const char* id : {"chart-throughput", "chart-latency-command_exchange",
                         "chart-latency-enroll", "chart-devices", "chart-errors"})
    BOOST_TEST(parsed.output.find(id) != std::string::npos, id << ": " << parsed.output);

  auto page = load_page(chromium, "file://" + dir + "/out/load.html", dir);
  BOOST_REQUIRE_MESSAGE(page.exit_code == 0, page.log);
  BOOST_REQUIRE_MESSAGE(page.dom.find("id=\"sum-devices\"") != std::string::npos,
                        "the page did not load:\n" + page.dom.substr(0, 2000) + page.log);
  BOOST_TEST(page.console.empty(), "console messages:\n" + page.console);
  BOOST_TEST(count(page.dom, "<svg class=\"chart\"") >= 5u);
  BOOST_TEST(page.dom.find("<polyline class=\"line") != std::string::npos);
  std::filesystem::remove_all(dir);
}

// A signal in the steady phase: the figures so far still land in load.json and load.html.
BOOST_AUTO_TEST_CASE(a_run_ended_by_sigint_still_writes_its_report) {
  const auto dir = make_temp_dir("mdmlab-load-report-signal-");
  BackgroundProcess load(
      {mdmlab_cli(), "--log-level", "warn", "load", "--devices", "4", "--duration", "120s",
       "--command-interval", "300ms", "--sample-interval", "250ms", "--report-dir", dir + "/out"},
      dir + "/load.log");
  for (int i = 0; i < 600 && read_file(dir + "/load.log").find("t=1s") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_REQUIRE_MESSAGE(read_file(dir + "/load.log").find("t=1s") != std::string::npos,
                        read_file(dir + "/load.log"));
  BOOST_TEST(load.stop(SIGINT, 60000) == 130);
  const auto log = read_file(dir + "/load.log");
  BOOST_TEST(log.find("load.json, load.html") != std::string::npos, log);
  const auto load_json = nlohmann::json::parse(read_file(dir + "/out/load.json"));
  BOOST_TEST(load_json["totals"]["interrupted"] == true);
  BOOST_TEST(load_json["timeline"]["samples"].size() >= 4u);
  BOOST_TEST(load_json["timeline"]["samples"].back()["devices"]["enrolled"] == 4);
  const auto html = read_file(dir + "/out/load.html");
  BOOST_TEST(html.find("id=\"interrupted\"") != std::string::npos);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
