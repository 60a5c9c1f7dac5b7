// The published schema and reference are generated from the parser's tables; these tests keep
// the committed copies current and hold two independent checkers to the same verdicts: the C++
// parser (parse_suite) and Python's jsonschema reading scenarios/schema/suite.schema.json.
// tests/scenarios/corpus/ holds suites both must accept (good/), refuse (bad/), and ones only
// the parser can refuse (parser_only/: the documented boundary of what a schema can say).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "scenarios/engine/reference_doc.hpp"
#include "scenarios/engine/scenario.hpp"
#include "scenarios/engine/suite_schema.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab::scenarios;
using namespace mdmlab::testing;
namespace fs = std::filesystem;

namespace {
const std::string kSource = MDMLAB_SOURCE_DIR;
const std::string kCorpus = kSource + "/tests/scenarios/corpus";
// Debian's python3 has python3-jsonschema; a pyenv python3 earlier in PATH may not.
const std::string kPython = "/usr/bin/python3";

std::vector<std::string> json_files(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::string corpus_name(const std::string& path) {
  return fs::relative(path, kCorpus).generic_string();
}

struct Verdicts {
  std::string parser;  // "" when it accepts, else its message
  std::string schema;  // "ok" or "error <pointer> <message>"
};

// Every file through both checkers; the schema checked is the generated one.
std::map<std::string, Verdicts> check_all(const std::vector<std::string>& files) {
  auto dir = make_temp_dir("mdmlab-schema-");
  write_file(dir + "/suite.schema.json", suite_schema().dump(2) + "\n");
  std::string command =
      kPython + " " + kSource + "/tests/scenarios/check_schema.py " + dir + "/suite.schema.json";
  for (const auto& f : files) command += " '" + f + "'";
  auto r = run_command(command);
  fs::remove_all(dir);
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "check_schema.py failed: " << r.output);
  std::istringstream lines(r.output);
  std::map<std::string, Verdicts> out;
  for (const auto& f : files) {
    std::string line;
    BOOST_REQUIRE_MESSAGE(std::getline(lines, line), "check_schema.py said nothing for " << f);
    auto parsed = parse_suite_file(f);
    out[f] = {parsed ? "" : parsed.error().message, line};
  }
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(scenario_schema)

BOOST_AUTO_TEST_CASE(committed_schema_and_reference_are_current) {
  auto schema = read_file(kSource + "/scenarios/schema/suite.schema.json");
  BOOST_TEST((schema == suite_schema().dump(2) + "\n"),
             "scenarios/schema/suite.schema.json is stale: run `mdmlab schema > "
             "scenarios/schema/suite.schema.json`");
  auto readme = read_file(kSource + "/scenarios/README.md");
  BOOST_TEST((readme == scenario_reference_markdown()),
             "scenarios/README.md is stale: run `mdmlab schema --markdown > scenarios/README.md`");
}

BOOST_AUTO_TEST_CASE(every_action_and_key_of_the_tables_is_in_schema_and_reference) {
  auto schema = suite_schema();
  auto readme = scenario_reference_markdown();
  auto text = schema.dump();
  for (const auto& a : action_table()) {
    BOOST_TEST(text.find(std::string(a.verb)) != std::string::npos, a.verb);
    BOOST_TEST(readme.find(std::string(".") + a.verb + "`") != std::string::npos, a.verb);
    for (const auto& k : a.with)
      BOOST_TEST(readme.find(std::string("`") + k.name + "`") != std::string::npos);
  }
  for (const auto* table :
       {&device_settings(), &server_settings(), &matcher_table(), &failure_table()})
    for (const auto& k : *table) {
      BOOST_TEST(text.find(std::string("\"") + k.name + "\"") != std::string::npos, k.name);
      BOOST_TEST(readme.find(std::string("`") + k.name + "`") != std::string::npos, k.name);
    }
  for (const auto& c : capability_table())
    BOOST_TEST(readme.find(std::string("`") + c.name + "`") != std::string::npos, c.name);
  for (const auto& rule : parser_only_rules()) {
    BOOST_TEST(schema["description"].get<std::string>().find(rule) != std::string::npos);
    BOOST_TEST(readme.find(rule) != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(parser_and_schema_agree_on_the_suites_and_the_corpus) {
  auto suites = json_files(kSource + "/scenarios/suites");
  auto good = json_files(kCorpus + "/good");
  auto bad = json_files(kCorpus + "/bad");
  auto parser_only = json_files(kCorpus + "/parser_only");
  BOOST_TEST(suites.size() >= 3u);
  BOOST_TEST(good.size() >= 5u);
  BOOST_TEST(bad.size() >= 25u);
  BOOST_TEST(parser_only.size() >= 5u);
  // What the parser must say about each refused file: it is refused for the reason intended.
  auto expected = nlohmann::json::parse(read_file(kCorpus + "/expected_errors.json"));

  std::vector<std::string> all = suites;
  for (const auto* group : {&good, &bad, &parser_only})
    all.insert(all.end(), group->begin(), group->end());
  auto verdicts = check_all(all);

  for (const auto* group : {&suites, &good})
    for (const auto& f : *group) {
      const auto& v = verdicts[f];
      BOOST_TEST(v.parser.empty(), f << ": the parser refuses it: " << v.parser);
      BOOST_TEST(v.schema == "ok", f << ": the schema refuses it: " << v.schema);
    }
  for (const auto& f : bad) {
    const auto& v = verdicts[f];
    BOOST_TEST(!v.parser.empty(), f << ": the parser accepts it");
    BOOST_TEST(v.schema.rfind("error ", 0) == 0, f << ": the schema accepts it");
    BOOST_TEST_MESSAGE(corpus_name(f) << "\n  parser: " << v.parser << "\n  schema: " << v.schema);
  }
  for (const auto& f : parser_only) {
    const auto& v = verdicts[f];
    BOOST_TEST(!v.parser.empty(), f << ": the parser accepts it");
    BOOST_TEST(v.schema == "ok", f << ": the schema refuses it (move it to bad/): " << v.schema);
  }
  for (const auto* group : {&bad, &parser_only})
    for (const auto& f : *group) {
      auto name = corpus_name(f);
      BOOST_TEST_REQUIRE(expected.contains(name), name << " has no entry in expected_errors.json");
      auto says = expected[name].get<std::string>();
      BOOST_TEST(
          verdicts[f].parser.find(says) != std::string::npos,
          name << ": expected the parser to say `" << says << "`, it said: " << verdicts[f].parser);
    }
  BOOST_TEST(expected.size() == bad.size() + parser_only.size(),
             "stale entries in expected_errors.json");
}

BOOST_AUTO_TEST_CASE(mdmlab_schema_prints_the_schema_and_the_reference) {
  auto json = run_command("(" + mdmlab_cli() + " schema 2>/dev/null)");
  BOOST_TEST(json.exit_code == 0);
  BOOST_TEST((json.output == suite_schema().dump(2) + "\n"));
  auto md = run_command("(" + mdmlab_cli() + " schema --markdown 2>/dev/null)");
  BOOST_TEST(md.exit_code == 0);
  BOOST_TEST((md.output == scenario_reference_markdown()));
}

BOOST_AUTO_TEST_SUITE_END()
