// load.html from a handmade load.json: one <svg> per chart with ticks, titles and a numbers
// table, the summary's figures shown, every text from load.json escaped, and a load.json with
// no samples (or missing and mistyped fields) rendered without a throw or a division by zero.
// And load/'s side: the timeline samples devices by state, operations and latency per interval,
// and load.json carries them.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "load/load_json.hpp"
#include "load/load_timeline.hpp"
#include "reports/load_report.hpp"

using namespace mdmlab;
using nlohmann::json;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

json sample(double t, const std::string& phase, int pending, int enrolling, int enrolled,
            int failed, long commands, double p50, double p95, double p99) {
  json latency = json::object();
  if (commands > 0)
    latency["command_exchange"] = {
        {"count", commands}, {"p50_ms", p50}, {"p95_ms", p95}, {"p99_ms", p99}, {"max_ms", p99}};
  return {{"t_s", t},
          {"interval_s", 0.5},
          {"phase", phase},
          {"devices",
           {{"pending", pending},
            {"enrolling", enrolling},
            {"enrolled", enrolled},
            {"failed", failed}}},
          {"completed", {{"enroll", enrolling}, {"command_exchange", commands}}},
          {"errors", 0},
          {"latency", latency}};
}

json handmade() {
  json samples = json::array({sample(0.5, "enroll", 6, 4, 0, 0, 0, 0, 0, 0),
                              sample(1.0, "enroll", 0, 2, 7, 1, 0, 0, 0, 0),
                              sample(1.5, "steady", 0, 0, 9, 1, 18, 1.25, 3.5, 7.75),
                              sample(2.0, "steady", 0, 0, 9, 1, 9, 1.5, 4.0, 9.0)});
  return {{"format", "mdmlab-load/1"},
          {"config",
           {{"devices", 10},
            {"duration_s", 1.0},
            {"command_interval_s", 0.5},
            {"concurrency", 4},
            {"seed", 3},
            {"target", "<script>alert('t')</script>"}}},
          {"totals",
           {{"devices", 10},
            {"enrolled", 9},
            {"enroll_failed", 1},
            {"enroll_s", 1.1},
            {"steady_s", 0.9},
            {"run_s", 2.0},
            {"errors", 2},
            {"all_errors", 3},
            {"interrupted", false}}},
          {"throughput", {{"commands_answered_per_s", 30.0}, {"enrollments_per_s", 8.2}}},
          {"latency",
           {{"command_exchange",
             {{"count", 27}, {"p50_ms", 1.25}, {"p95_ms", 4.5}, {"p99_ms", 8.5}, {"max_ms", 9}}},
            {"enroll",
             {{"count", 10}, {"p50_ms", 120}, {"p95_ms", 300}, {"p99_ms", 310}, {"max_ms", 310}}}}},
          {"errors_by_kind",
           json::array({{{"kind", "enroll"}, {"count", 1}, {"first", "mac3: <b>bad</b> & \"q\""}},
                        {{"kind", "<img src=x>"}, {"count", 2}, {"first", "enqueue: 503"}}})},
          {"timeline", {{"interval_s", 0.5}, {"samples", samples}}}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(load_html_report)

BOOST_AUTO_TEST_CASE(shows_the_summary_and_one_svg_per_chart_with_ticks) {
  const auto html = reports::load_html_report(handmade());
  BOOST_TEST(html.find("default-src 'none'; style-src 'unsafe-inline'") != std::string::npos);
  BOOST_TEST(html.find("<script") == std::string::npos);  // no script of its own (nor injected)
  // Summary: devices, duration, throughput, errors, p50/p95/p99 of the command exchange.
  BOOST_TEST(std::regex_search(html, std::regex("id=\"sum-devices\"><b>10</b>")));
  BOOST_TEST(std::regex_search(html, std::regex("id=\"sum-duration\"><b>2.00 s</b>")));
  BOOST_TEST(std::regex_search(html, std::regex("id=\"sum-throughput\"><b>30.0/s</b>")));
  BOOST_TEST(std::regex_search(html, std::regex("id=\"sum-errors\"><b>3</b>")));
  BOOST_TEST(std::regex_search(html, std::regex("id=\"sum-p50\"><b>1.2 ms</b>")));
  BOOST_TEST(std::regex_search(html, std::regex("id=\"sum-p95\"><b>4.5 ms</b>")));
  BOOST_TEST(std::regex_search(html, std::regex("id=\"sum-p99\"><b>8.5 ms</b>")));
  // Charts: throughput, latency (command exchange: the only one with interval samples),
  // devices by state, errors by kind; each an <svg> with a title and a desc, and numbers.
  for (const char* id :
       {"chart-throughput", "chart-latency-command_exchange", "chart-devices", "chart-errors"}) {
    BOOST_TEST(count(html, std::string("<svg class=\"chart\" id=\"") + id + "\"") == 1u, id);
    BOOST_TEST(count(html, std::string("<title id=\"") + id + "-title\">") == 1u, id);
    BOOST_TEST(count(html, std::string("<desc id=\"") + id + "-desc\">") == 1u, id);
  }
  BOOST_TEST(count(html, "<svg") == 4u);
  BOOST_TEST(count(html, "</svg>") == 4u);
  BOOST_TEST(count(html, "<details class=\"numbers\"") == 4u);
  // Ticks: time 0..2 s in 0.5 s steps on the three time charts, devices 0..10, the latency
  // axis up to 10 ms.
  for (const char* tick : {">0.5</text>", ">1.5</text>", ">2</text>", ">10</text>"})
    BOOST_TEST(html.find(tick) != std::string::npos, tick);
  BOOST_TEST(count(html, "class=\"tick x-tick\"") >= 5u * 3);
  BOOST_TEST(count(html, "class=\"tick y-tick\"") >= 6u);
  BOOST_TEST(html.find("seconds since enrollment began") != std::string::npos);
  // Devices by state: one stacked area per state; the steady phase marked.
  BOOST_TEST(count(html, "<polygon class=\"area st-") == 4u);
  BOOST_TEST(html.find("steady phase</text>") != std::string::npos);
  // Latency lines: p50/p95/p99 over the two steady samples; the numbers table has the values.
  BOOST_TEST(html.find("<td class=\"num\">7.75</td>") != std::string::npos);
  // Errors: a bar per kind and the table with the first message.
  BOOST_TEST(count(html, "<rect class=\"c2\"") == 2u);
  BOOST_TEST(html.find("mac3: &lt;b&gt;bad&lt;/b&gt; &amp; &quot;q&quot;") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(escapes_everything_from_load_json) {
  auto load = handmade();
  load["timeline"]["samples"][2]["devices"]["<i>odd</i>"] = 1;
  load["totals"]["<u>x</u>"] = "</td><script>";
  const auto html = reports::load_html_report(load);
  BOOST_TEST(html.find("<script") == std::string::npos);
  BOOST_TEST(html.find("<img") == std::string::npos);
  BOOST_TEST(html.find("<i>odd") == std::string::npos);
  BOOST_TEST(html.find("<u>x") == std::string::npos);
  BOOST_TEST(html.find("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;") != std::string::npos);
  BOOST_TEST(html.find("&lt;img src=x&gt;") != std::string::npos);
  BOOST_TEST(html.find("&lt;i&gt;odd&lt;/i&gt;") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(empty_and_broken_load_json_render_without_nan) {
  for (const json& load :
       {json::object(), json::array(), json{{"timeline", {{"samples", json::array()}}}},
        json{{"totals", "x"}, {"timeline", {{"samples", {1, "x", nullptr}}}}},
        json{{"timeline", {{"samples", {{{"t_s", 0}, {"interval_s", 0}}}}}},
             {"errors_by_kind", {{{"kind", 5}, {"count", "many"}}}}}}) {
    std::string html;
    BOOST_CHECK_NO_THROW(html = reports::load_html_report(load));
    BOOST_TEST(count(html, "<svg") == 4u, load.dump());
    BOOST_TEST(html.find("nan") == std::string::npos, load.dump());
    BOOST_TEST(html.find("inf") == std::string::npos, load.dump());
    BOOST_TEST(html.find("</html>") != std::string::npos);
  }
  const auto html = reports::load_html_report(json::object());
  BOOST_TEST(html.find("no samples") != std::string::npos);
  BOOST_TEST(html.find("no errors") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(load_timeline)

BOOST_AUTO_TEST_CASE(samples_states_operations_and_latency_per_interval) {
  load::LoadTimeline t(3, std::chrono::milliseconds(40));
  t.start();
  t.move(load::DeviceState::pending, load::DeviceState::enrolling);
  t.move(load::DeviceState::enrolling, load::DeviceState::enrolled);
  t.record(load::Operation::enroll, std::chrono::milliseconds(100));
  t.move(load::DeviceState::pending, load::DeviceState::failed);
  t.error(load::ErrorKind::enroll, "mac2: refused");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  t.set_phase(load::Phase::steady);
  for (int i = 1; i <= 100; ++i)
    t.record(load::Operation::command_exchange, std::chrono::microseconds(i * 1000));
  t.stop();
  t.stop();  // idempotent
  const auto& samples = t.samples();
  BOOST_REQUIRE(samples.size() >= 3u);
  const auto& last = samples.back();
  BOOST_TEST(last.devices[0] == 1);  // pending
  BOOST_TEST(last.devices[2] == 1);  // enrolled
  BOOST_TEST(last.devices[3] == 1);  // failed
  BOOST_TEST((last.phase == load::Phase::steady));
  BOOST_TEST(last.completed[1] == 100);
  BOOST_TEST(last.latency[1].count == 100u);
  BOOST_TEST(last.latency[1].p50_ms == 50.0);
  BOOST_TEST(last.latency[1].p95_ms == 95.0);
  BOOST_TEST(last.latency[1].p99_ms == 99.0);
  long enrolls = 0, errors = 0;
  for (const auto& s : samples) {
    enrolls += s.completed[0];
    errors += s.errors;
    BOOST_TEST(s.devices[0] + s.devices[1] + s.devices[2] + s.devices[3] == 3);
  }
  BOOST_TEST(enrolls == 1);
  BOOST_TEST(errors == 1);
  BOOST_TEST(t.overall(load::Operation::command_exchange).p99_ms == 99.0);
  auto kinds = t.errors();
  BOOST_REQUIRE(kinds.size() == 1u);
  BOOST_TEST(kinds[0].first == "mac2: refused");

  load::LoadOptions o;
  o.devices = 3;
  load::LoadReport r;
  r.devices = 3;
  r.enrolled = 1;
  r.timeline = samples;
  r.errors_by_kind = kinds;
  const auto j = load::load_json(o, r);
  BOOST_TEST(j["timeline"]["samples"].size() == samples.size());
  BOOST_TEST(j["timeline"]["samples"].back()["devices"]["enrolled"] == 1);
  BOOST_TEST(j["timeline"]["samples"].back()["latency"]["command_exchange"]["p99_ms"] == 99.0);
  BOOST_TEST(j["totals"]["all_errors"] == 1);
  // And the page renders from it.
  BOOST_TEST(reports::load_html_report(j).find("chart-latency-command_exchange") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
