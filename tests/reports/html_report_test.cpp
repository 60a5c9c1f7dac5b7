// report.html from a small handmade run.json: everything from run.json stays text (a script in
// a suite name, a party name or a body never becomes markup), one arrow per message, the
// failure and its step's messages marked, the counts in the summary, and no throw on a
// run.json with missing or mistyped fields.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "reports/html_report.hpp"
#include "reports/html_sequence_diagram.hpp"
#include "reports/run_json_view.hpp"

using namespace mdmlab::reports;
using nlohmann::json;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

json message(int seq, double t, const std::string& from, const std::string& to,
             const std::string& kind, const std::string& summary, const std::string& body = "") {
  json m{{"seq", seq},   {"t_ms", t},          {"from", from}, {"to", to},
         {"kind", kind}, {"summary", summary}, {"body", body}, {"content_type", ""}};
  if (kind == "request") {
    m["method"] = "PUT";
    m["target"] = "/mdm/apple/mdm";
  } else if (kind != "event") {
    m["status"] = 200;
    m["answers"] = seq - 1;
    m["took_ms"] = 1.5;
  }
  return m;
}

// Two scenarios: one passed (suite order first), one failed at step 1, whose window
// [100, 150] ms holds messages 3 and 4.
json handmade_run() {
  json passed{{"name", "enrolls | cleanly"},
              {"tags", {"apple", "smoke"}},
              {"outcome", "passed"},
              {"seconds", 0.25},
              {"failed_step", -1},
              {"message", ""},
              {"steps",
               {{{"text", "{\"do\":\"mac1.enroll\"}"},
                 {"outcome", "passed"},
                 {"note", "ok"},
                 {"start_ms", 10.0},
                 {"ms", 20.0}}}},
              {"messages",
               {message(1, 11, "mac1", "server", "request", "743 B MessageType=Authenticate"),
                message(2, 12, "server", "mac1", "response", "")}}};
  json failed{
      {"name", "<b>bold</b> scenario"},
      {"tags", {"<i>tag</i>", "quote\"tag"}},
      {"outcome", "failed"},
      {"seconds", 1.5},
      {"failed_step", 1},
      {"message", "step 1: expected state equals \"checked_out\", last seen \"enrolled\""},
      {"steps",
       {{{"text", "{\"do\":\"mac2.enroll\"}"},
         {"outcome", "passed"},
         {"note", "ok"},
         {"start_ms", 50.0},
         {"ms", 40.0}},
        {{"text", "{\"expect\":{\"field\":\"state\"}}"},
         {"outcome", "failed"},
         {"note", "expected state equals \"checked_out\", last seen \"enrolled\""},
         {"start_ms", 100.0},
         {"ms", 50.0}},
        {{"text", "{\"do\":\"mac1.poll\"}"},
         {"outcome", "not_run"},
         {"note", ""},
         {"start_ms", 0.0},
         {"ms", 0.0}}}},
      {"messages",
       {message(1, 55, "mac2", "server", "request", "12 B Status=Idle"),
        message(2, 60, "server", "mac2", "response", "9 B RequestType=DeviceInformation",
                "</pre><script>alert(2)</script>"),
        message(3, 110, "<img src=x onerror=alert(3)>", "server", "request", "x"),
        message(5, 120, "server", "apns", "event", "push for mac2: 200 (delivered)"),
        message(4, 115, "server", "<img src=x onerror=alert(3)>", "error", "connection reset"),
        message(6, 200, "runner", "127.0.0.1:9", "request", "late")}}};
  return json{{"suite", "<script>alert(1)</script>"},
              {"seed", 7},
              {"seconds", 2.0},
              {"passed", 1},
              {"failed", 1},
              {"skipped", 0},
              {"scenarios", {passed, failed}}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(html_report_rendering)

BOOST_AUTO_TEST_CASE(everything_from_run_json_stays_text) {
  const auto html = html_report(handmade_run());
  // Our own script is the only one.
  BOOST_TEST(count(html, "<script") == 1u);
  BOOST_TEST(html.find("<script>alert") == std::string::npos);
  BOOST_TEST(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  BOOST_TEST(html.find("&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;") != std::string::npos);
  BOOST_TEST(html.find("<img") == std::string::npos);
  BOOST_TEST(html.find("&lt;img src=x onerror=alert(3)&gt;") != std::string::npos);
  BOOST_TEST(html.find("<b>bold") == std::string::npos);
  BOOST_TEST(html.find("&lt;i&gt;tag&lt;/i&gt;") != std::string::npos);
  BOOST_TEST(html.find("quote&quot;tag") != std::string::npos);
  // One file: nothing is fetched, and the page says so to the browser too.
  BOOST_TEST(html.find("src=\"") == std::string::npos);
  BOOST_TEST(html.find("href=\"http") == std::string::npos);
  BOOST_TEST(html.find("default-src 'none'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(one_arrow_per_message_linked_to_its_body) {
  const auto run = handmade_run();
  const auto html = html_report(run);
  BOOST_TEST(count(html, "class=\"msg ") == 8u);
  BOOST_TEST(count(html, "<details class=\"message ") == 8u);
  for (int seq = 1; seq <= 6; ++seq) {
    const auto id = "s1-m" + std::to_string(seq);
    BOOST_TEST(count(html, "href=\"#" + id + "\"") == 1u, id);
    BOOST_TEST(count(html, "id=\"" + id + "\"") == 1u, id);
  }
  BOOST_TEST(html.find("class=\"msg error") != std::string::npos);
  BOOST_TEST(html.find("class=\"msg event") != std::string::npos);
  BOOST_TEST(html.find("PUT /mdm/apple/mdm \u00b7 MessageType=Authenticate") != std::string::npos);
  BOOST_TEST(html.find("200 \u00b7 RequestType=DeviceInformation") != std::string::npos);
  // Drawn in time order: seq 4 (115 ms) before seq 5 (120 ms).
  BOOST_TEST(html.find("data-seq=\"4\"") < html.find("data-seq=\"5\""));
}

BOOST_AUTO_TEST_CASE(lifelines_runner_devices_server_apns_then_others) {
  const auto run = handmade_run();
  const auto order = lifeline_order(messages_in_time_order(run["scenarios"][1]));
  const std::vector<std::string> expected{"runner", "mac2", "<img src=x onerror=alert(3)>",
                                          "server", "apns", "127.0.0.1:9"};
  BOOST_TEST(order == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_failure_and_its_steps_messages_are_marked) {
  const auto html = html_report(handmade_run());
  // Failed first: in the table and among the sections, and open.
  BOOST_TEST(html.find("&lt;b&gt;bold&lt;/b&gt; scenario") < html.find("enrolls | cleanly"));
  BOOST_TEST(html.find("<details class=\"scenario failed\" id=\"s1\" open>") != std::string::npos);
  BOOST_TEST(html.find("<details class=\"scenario passed\" id=\"s0\">") != std::string::npos);
  BOOST_TEST(html.find("<b>Failed at step 1</b>") != std::string::npos);
  const auto row = html.find("<tr class=\"step failed\">");
  BOOST_REQUIRE(row != std::string::npos);
  const auto row_end = html.find("</tr>", row);
  BOOST_TEST(html.substr(row, row_end - row)
                 .find("expected state equals &quot;checked_out&quot;, last seen "
                       "&quot;enrolled&quot;") != std::string::npos);
  BOOST_TEST(html.find("<tr class=\"step not_run\">") != std::string::npos);
  // Messages 3, 4, 5 happened in [100, 150] ms: arrow and body marked; 1, 2, 6 not.
  BOOST_TEST(count(html, "in-failed-step\" data-seq=") == 3u);
  BOOST_TEST(html.find("class=\"msg request in-failed-step\" data-seq=\"3\"") != std::string::npos);
  BOOST_TEST(html.find("class=\"msg error in-failed-step\" data-seq=\"4\"") != std::string::npos);
  BOOST_TEST(html.find("class=\"message event in-failed-step\" id=\"s1-m5\"") != std::string::npos);
  BOOST_TEST(html.find("class=\"msg response\" data-seq=\"2\" href=\"#s1-m2\"") !=
             std::string::npos);
  BOOST_TEST(count(html, "class=\"failed-band\"") == 3u);
}

BOOST_AUTO_TEST_CASE(counts_seed_and_duration_in_the_summary) {
  const auto html = html_report(handmade_run());
  BOOST_TEST(html.find("id=\"count-passed\"><b>1</b>") != std::string::npos);
  BOOST_TEST(html.find("id=\"count-failed\"><b>1</b>") != std::string::npos);
  BOOST_TEST(html.find("id=\"count-skipped\"><b>0</b>") != std::string::npos);
  BOOST_TEST(html.find("seed 7") != std::string::npos);
  BOOST_TEST(html.find("2 scenarios in 2.00 s") != std::string::npos);
  BOOST_TEST(html.find("<title>mdmlab run: &lt;script&gt;") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_or_mistyped_fields_do_not_throw) {
  BOOST_CHECK_NO_THROW(html_report(json::object()));
  BOOST_CHECK_NO_THROW(html_report(json::array()));
  BOOST_CHECK_NO_THROW(html_report(json{{"suite", 3}, {"scenarios", {"x", 1, json::object()}}}));
  BOOST_CHECK_NO_THROW(html_report(
      json{{"scenarios",
            {{{"name", 1},
              {"outcome", "failed"},
              {"failed_step", 9},
              {"steps", {{{"start_ms", "soon"}}, 3}},
              {"messages", {{{"seq", "a"}, {"t_ms", "late"}}, 4, {{"kind", "request"}}}}}}}}));
  const auto html = html_report(json{{"scenarios", json::array()}});
  BOOST_TEST(html.find("</html>") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
