#include <boost/test/unit_test.hpp>

#include "common/result.hpp"

using namespace mdmlab;

BOOST_AUTO_TEST_SUITE(result)

// Result<void> used to default-construct to success while Result<T> defaulted to an error, so a
// forgotten assignment read as "ok" in one and as a failure in the other.
BOOST_AUTO_TEST_CASE(default_constructed_results_are_errors_for_every_type) {
  Result<int> i;
  Result<void> v;
  BOOST_TEST(!i.ok());
  BOOST_TEST(!v.ok());
  BOOST_TEST(v.error().code == i.error().code);
  BOOST_CHECK_THROW(v.value(), BadResultAccess);
  BOOST_TEST(success().ok());
  Result<void> failed = make_error("x", "why");
  BOOST_TEST(!failed.ok());
  BOOST_TEST(failed.error().message == "why");
}

BOOST_AUTO_TEST_SUITE_END()
