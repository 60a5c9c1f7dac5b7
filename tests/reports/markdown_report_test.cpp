// report.md: the headline counts, a table of scenarios whose cells cannot break the table
// (`|`, line breaks, inline HTML), and each failure's step, expectation and message.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "reports/markdown_report.hpp"

using namespace mdmlab::reports;
using nlohmann::json;

namespace {
json run_with(json scenarios) {
  return json{{"suite", "smoke | <b>x</b>"},
              {"seed", 3},
              {"seconds", 65.2},
              {"scenarios", std::move(scenarios)}};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(markdown_report_rendering)

BOOST_AUTO_TEST_CASE(cells_escape_pipes_line_breaks_and_html) {
  BOOST_TEST(markdown_cell("a|b\nc<d>&e") == "a\\|b c&lt;d&gt;&amp;e");
  const auto md = markdown_report(
      run_with({{{"name", "left | right\nsecond line"}, {"outcome", "passed"}, {"seconds", 0.4}}}));
  BOOST_TEST(
      md.find("| left \\| right second line | passed | 400 ms | 0 | 0 |") != std::string::npos, md);
  BOOST_TEST(md.find("## mdmlab run: smoke \\| &lt;b&gt;x&lt;/b&gt;") != std::string::npos, md);
  BOOST_TEST(md.find("## Failures") == std::string::npos, md);
}

BOOST_AUTO_TEST_CASE(headline_table_and_failures) {
  const auto md = markdown_report(
      run_with({{{"name", "fine"}, {"outcome", "passed"}, {"seconds", 1.25}},
                {{"name", "skipped one"}, {"outcome", "skipped"}},
                {{"name", "broken"},
                 {"outcome", "failed"},
                 {"seconds", 2.0},
                 {"failed_step", 1},
                 {"message", "step 1 ```{\"expect\":1}```: expected 1, last seen 2"},
                 {"steps",
                  {{{"text", "{\"do\":\"mac1.enroll\"}"}, {"outcome", "passed"}, {"note", "ok"}},
                   {{"text", "{\"expect\":1}"},
                    {"outcome", "failed"},
                    {"note", "expected 1, last seen 2"}}}}}}));
  BOOST_TEST(md.find("**FAILED**: 1 passed, 1 failed, 1 skipped \u00b7 seed 3 \u00b7 1 min 05 s") !=
                 std::string::npos,
             md);
  // Failures first in the table.
  BOOST_TEST(md.find("| broken | **failed** | 2.00 s | 2 | 0 |") < md.find("| fine | passed"), md);
  BOOST_TEST(md.find("| skipped one | skipped |") != std::string::npos, md);
  BOOST_TEST(md.find("### broken") != std::string::npos, md);
  BOOST_TEST(md.find("Failed at step 1:\n\n```text\n{\"expect\":1}\n```") != std::string::npos, md);
  BOOST_TEST(md.find("```text\nexpected 1, last seen 2\n```") != std::string::npos, md);
  // A message holding a fence gets a longer one.
  BOOST_TEST(md.find("````text\nstep 1 ```") != std::string::npos, md);
}

BOOST_AUTO_TEST_SUITE_END()
