// Strict JSON (protocol/json/strict_json.hpp) for the admin API's bodies, and the JSON -> plist
// conversion's integer range (protocol/plist/json.hpp).
#include <boost/test/unit_test.hpp>

#include <climits>

#include "protocol/json/strict_json.hpp"
#include "protocol/plist/json.hpp"

using namespace mdmlab;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(strict_json)

BOOST_AUTO_TEST_CASE(duplicate_keys_are_refused_at_any_depth) {
  const std::vector<std::string> bad{
      R"({"udids":["A"],"udids":["B"]})",
      R"({"udids":["A"],"udids":["A"]})",
      R"({"command":{"RequestType":"DeviceLock","RequestType":"EraseDevice"}})",
      R"({"a":[1,{"x":{"y":1,"y":2}}]})",
      R"([{"k":1,"k":1}])",
  };
  for (const auto& b : bad) {
    BOOST_TEST(json::parse(b, nullptr, false).is_discarded() ==
               false);  // what json::parse would accept
    auto r = parse_strict_json(b);
    BOOST_TEST(!r.ok(), b);
    if (!r.ok()) {
      BOOST_TEST(r.error().code == "bad_json");
      BOOST_TEST(r.error().message.find("duplicate key") != std::string::npos, r.error().message);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_same_key_in_different_objects_is_fine) {
  auto r = parse_strict_json(R"({"a":{"id":1},"b":{"id":2},"c":[{"id":3},{"id":4}],"id":5})");
  BOOST_REQUIRE(r.ok());
  BOOST_TEST((*r)["a"]["id"].get<int>() == 1);
  BOOST_TEST((*r)["c"][1]["id"].get<int>() == 4);
  BOOST_TEST((*r)["id"].get<int>() == 5);
  BOOST_TEST(*r == json::parse(R"({"a":{"id":1},"b":{"id":2},"c":[{"id":3},{"id":4}],"id":5})"));
}

BOOST_AUTO_TEST_CASE(integers_beyond_64_bits_and_bad_json_are_refused) {
  for (std::string b : {"18446744073709551616", "-9223372036854775809",
                        R"({"n":99999999999999999999999})", "[1e400]", "-1e999", "{\"a\":1",
                        "{\"a\":1} x", "{\"s\":\"\xFF\"}", R"({"s":"\ud800"})", "", "/* c */ {}"}) {
    auto r = parse_strict_json(b);
    BOOST_TEST(!r.ok(), b);
  }
  auto edges = parse_strict_json(R"([18446744073709551615, -9223372036854775808, 1.5, 1e300, 0])");
  BOOST_REQUIRE(edges.ok());
  BOOST_TEST((*edges)[0].get<std::uint64_t>() == UINT64_MAX);
  BOOST_TEST((*edges)[1].get<std::int64_t>() == INT64_MIN);
  BOOST_TEST((*edges)[2].get<double>() == 1.5);
}

BOOST_AUTO_TEST_CASE(json_integers_become_plist_integers_only_within_int64) {
  auto ok = plist::from_json(
      json::parse(R"({"max":9223372036854775807,"min":-9223372036854775808,"one":1})"));
  BOOST_REQUIRE(ok.ok());
  BOOST_TEST(ok->find("max")->integer().value() == INT64_MAX);
  BOOST_TEST(ok->find("min")->integer().value() == INT64_MIN);
  BOOST_TEST(ok->find("one")->integer().value() == 1);
  for (const char* big : {R"({"n":9223372036854775808})", R"({"n":18446744073709551615})"}) {
    auto r = plist::from_json(json::parse(big));
    BOOST_TEST(!r.ok(), big);  // once wrapped to a negative integer
  }
}

BOOST_AUTO_TEST_SUITE_END()
