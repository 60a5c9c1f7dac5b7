// Content-Type matching (core/net/media_type.hpp): the exact media type, any case, optional
// parameters; never a prefix.
#include <boost/test/unit_test.hpp>

#include "core/net/media_type.hpp"

using mdmlab::net::media_type_is;

BOOST_AUTO_TEST_SUITE(media_type)

BOOST_AUTO_TEST_CASE(the_exact_type_with_optional_parameters_matches) {
  for (const char* ct : {"application/json", "Application/JSON", "application/json; charset=utf-8",
                         "application/json;charset=UTF-8", " application/json ",
                         "application/json ; charset=utf-8", "application/json;"})
    BOOST_TEST(media_type_is(ct, "application/json"), ct);
  BOOST_TEST(media_type_is("application/x-apple-aspen-mdm-checkin",
                           "application/x-apple-aspen-mdm-checkin"));
}

BOOST_AUTO_TEST_CASE(prefixes_extensions_and_other_types_do_not) {
  for (const char* ct :
       {"", "application/jsonx", "application/json-seq", "application/jso", "text/json", "json",
        "application/json,text/plain", "application /json", "application/x-www-form-urlencoded"})
    BOOST_TEST(!media_type_is(ct, "application/json"), ct);
  BOOST_TEST(!media_type_is("application/x-apple-aspen-mdm-checkin-x",
                            "application/x-apple-aspen-mdm-checkin"));
  BOOST_TEST(
      !media_type_is("application/x-apple-aspen-mdm", "application/x-apple-aspen-mdm-checkin"));
}

BOOST_AUTO_TEST_SUITE_END()
