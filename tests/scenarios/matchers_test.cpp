// Paths and matchers, each shown to hold and to fail: an expectation that cannot fail proves
// nothing.
#include <boost/test/unit_test.hpp>

#include "scenarios/engine/matchers.hpp"

using namespace mdmlab::scenarios;
using nlohmann::json;

namespace {
std::optional<json> at(const json& doc, const std::string& path) {
  return lookup(doc, parse_path(path).value());
}
bool holds(const json& m, const std::optional<json>& seen) {
  return matches(m, seen);
}

const char* kReport = R"(<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>Status</key><string>Error</string>
<key>ErrorChain</key><array>
  <dict><key>ErrorCode</key><integer>12021</integer><key>ErrorDomain</key><string>MCMDMErrorDomain</string></dict>
  <dict><key>ErrorCode</key><integer>4</integer><key>ErrorDomain</key><string>Other</string></dict>
</array>
<key>QueryResponses</key><dict><key>OSVersion</key><string>14.5</string><key>IsSupervised</key><true/></dict>
</dict></plist>)";
}  // namespace

BOOST_AUTO_TEST_SUITE(matchers)

BOOST_AUTO_TEST_CASE(paths_reach_into_plist_results_and_lists) {
  json doc{{"status", "Error"},
           {"result", kReport},
           {"deliveries", {{{"status", 429}}, {{"status", 200}}}}};
  BOOST_TEST(*at(doc, "result.QueryResponses.OSVersion") == json("14.5"));
  BOOST_TEST(*at(doc, "result.QueryResponses.IsSupervised") == json(true));
  BOOST_TEST(*at(doc, "result.ErrorChain[0].ErrorCode") == json(12021));
  BOOST_TEST(*at(doc, "result.ErrorChain[-1].ErrorDomain") == json("Other"));
  BOOST_TEST(*at(doc, "deliveries[-1].status") == json(200));
  BOOST_TEST(*at(doc, "deliveries[0].status") == json(429));
  BOOST_TEST(!at(doc, "deliveries[2]").has_value());
  BOOST_TEST(!at(doc, "deliveries[-3]").has_value());
  BOOST_TEST(!at(doc, "result.QueryResponses.Nope").has_value());
  BOOST_TEST(!at(doc, "status.deeper").has_value());  // a string that is no plist
}

BOOST_AUTO_TEST_CASE(bad_paths_are_refused) {
  for (const char* bad : {"", "a.", "a..b", "a[", "a[x]", "a[1", ".a", "a[1]."})
    BOOST_TEST(!parse_path(bad).ok(), bad);
  BOOST_TEST(parse_path("[0].a[1][2].b").ok());
}

BOOST_AUTO_TEST_CASE(each_matcher_holds_and_fails) {
  const json list = json::array({"a", "b", "c"});
  struct Case {
    json m;
    std::optional<json> seen;
    bool want;
  };
  const std::vector<Case> cases = {
      {{{"equals", 2}}, json(2.0), true},
      {{{"equals", 2}}, json(3), false},
      {{{"equals", "x"}}, std::nullopt, false},
      {{{"not_equals", "x"}}, json("y"), true},
      {{{"not_equals", "x"}}, json("x"), false},
      {{{"not_equals", "x"}}, std::nullopt, false},  // absence is not "some other value"
      {{{"contains", "b"}}, list, true},
      {{{"contains", "z"}}, list, false},
      {{{"contains", "ell"}}, json("hello"), true},
      {{{"contains", "key"}}, json{{"key", 1}}, true},
      {{{"matches", "^C02[0-9A-F]{3}$"}}, json("C02ABC"), true},
      {{{"matches", "^C02[0-9A-F]{3}$"}}, json("C02ABCD"), false},
      {{{"present", true}}, json(nullptr), true},
      {{{"present", true}}, std::nullopt, false},
      {{{"present", false}}, std::nullopt, true},
      {{{"absent", true}}, std::nullopt, true},
      {{{"absent", true}}, json(0), false},
      {{{"gte", 2}}, json(2), true},
      {{{"gte", 2}}, json(1.5), false},
      {{{"gte", 2}}, json("3"), false},  // text is not a number
      {{{"lte", 2}}, json(2), true},
      {{{"lte", 2}}, json(3), false},
      {{{"between", {1, 3}}}, json(3), true},
      {{{"between", {1, 3}}}, json(4), false},
      {{{"count", 3}}, list, true},
      {{{"count", 2}}, list, false},
      {{{"count", {{"gte", 2}}}}, list, true},
      {{{"count", {{"gte", 4}}}}, list, false},
      {{{"count", 0}}, json("abc"), false},  // a string has no count
      {{{"any", {{"equals", "c"}}}}, list, true},
      {{{"any", {{"equals", "z"}}}}, list, false},
      {{{"all", {{"matches", "^[abc]$"}}}}, list, true},
      {{{"all", {{"matches", "^[ab]$"}}}}, list, false},
      {{{"gte", 1}, {"lte", 2}}, json(3), false},  // several matchers: all must hold
      {{{"gte", 1}, {"lte", 3}}, json(3), true},
  };
  for (const auto& c : cases)
    BOOST_TEST(holds(c.m, c.seen) == c.want, c.m.dump()
                                                 << " on " << (c.seen ? c.seen->dump() : "absent"));
}

BOOST_AUTO_TEST_CASE(any_and_all_read_inside_elements_with_their_own_field) {
  json chain = json::array({{{"ErrorCode", 12021}, {"ErrorDomain", "MCMDMErrorDomain"}},
                            {{"ErrorCode", 4}, {"ErrorDomain", "Other"}}});
  BOOST_TEST(holds({{"any", {{"field", "ErrorCode"}, {"equals", 4}}}}, chain));
  BOOST_TEST(!holds({{"all", {{"field", "ErrorCode"}, {"gte", 5}}}}, chain));
  BOOST_TEST(holds({{"all", {{"field", "ErrorDomain"}, {"present", true}}}}, chain));
  BOOST_TEST(!holds({{"any", {{"field", "Missing"}, {"present", true}}}}, chain));
}

BOOST_AUTO_TEST_CASE(descriptions_name_every_matcher) {
  auto d = describe_matchers({{"gte", 1}, {"any", {{"field", "a.b"}, {"equals", "x"}}}});
  BOOST_TEST(d.find("gte 1") != std::string::npos, d);
  BOOST_TEST(d.find("any (a.b equals \"x\")") != std::string::npos, d);
}

BOOST_AUTO_TEST_SUITE_END()
