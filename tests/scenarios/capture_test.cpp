// --capture: a real run writes every message as JSON Lines, no secret in it;
// scripts/capture-to-corpus.py sorts the bodies into fuzz corpora, and the fuzz targets' own
// replay binaries read every seed without a crash.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/process.hpp"

using namespace mdmlab::testing;

BOOST_AUTO_TEST_SUITE(mdmlab_run_capture)

BOOST_AUTO_TEST_CASE(a_capture_becomes_fuzz_seeds_the_parsers_read) {
  auto dir = make_temp_dir("mdmlab-capture-");
  auto r = run_command(mdmlab_cli() + " --log-level warn run " + MDMLAB_SOURCE_DIR +
                       "/scenarios/suites/apple-user-channel.json --report-dir " + dir +
                       "/out --capture " + dir + "/capture.jsonl");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const auto capture = read_file(dir + "/capture.jsonl");
  std::istringstream lines(capture);
  std::size_t n = 0, checkins = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    auto m = nlohmann::json::parse(line);
    BOOST_TEST(m.contains("scenario"));
    checkins += m["body"].get<std::string>().find("<key>MessageType</key>") != std::string::npos;
  }
  BOOST_TEST(n > 50u);
  BOOST_TEST(checkins > 5u);
  // PushMagic and the unlock token are redacted by plist key.
  BOOST_TEST(capture.find("<key>PushMagic</key>\\n\\t<string>[redacted]</string>") !=
             std::string::npos);

  auto corpus =
      run_command("/usr/bin/python3 " + std::string(MDMLAB_SOURCE_DIR) +
                  "/scripts/capture-to-corpus.py " + dir + "/capture.jsonl " + dir + "/corpus");
  BOOST_REQUIRE_MESSAGE(corpus.exit_code == 0, corpus.output);
  for (const char* target : {"apple_checkin", "apple_command_report", "plist_xml",
                             "plist_xml_structured", "admin_json"}) {
    auto folder = dir + "/corpus/" + target;
    BOOST_REQUIRE_MESSAGE(std::filesystem::exists(folder), target << ": " << corpus.output);
    BOOST_TEST(!std::filesystem::is_empty(folder), target);
    auto replay =
        run_command(std::string(MDMLAB_BINARY_DIR) + "/fuzz/fuzz_" + target + " " + folder);
    BOOST_TEST(replay.exit_code == 0, target << ": " << replay.output);
  }
  // Twice: nothing new.
  auto again =
      run_command("/usr/bin/python3 " + std::string(MDMLAB_SOURCE_DIR) +
                  "/scripts/capture-to-corpus.py " + dir + "/capture.jsonl " + dir + "/corpus");
  BOOST_TEST(again.output.find("no new seeds") != std::string::npos, again.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
