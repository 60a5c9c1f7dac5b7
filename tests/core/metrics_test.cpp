#include <boost/test/unit_test.hpp>

#include "core/metrics/registry.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;

BOOST_AUTO_TEST_SUITE(metrics_registry)

BOOST_AUTO_TEST_CASE(exposition_has_help_type_labels_and_cumulative_buckets) {
  metrics::Registry reg;
  auto& c = reg.counter("mdmlab_test_requests_total", "Requests", {"operation", "result"});
  c.with({"GetCACaps", "ok"}).inc();
  c.with({"GetCACaps", "ok"}).inc(2);
  c.with({"PKIOperation", "say \"hi\"\n"}).inc();
  reg.gauge("mdmlab_test_devices", "Devices").get().set(7);
  auto& h = reg.histogram("mdmlab_test_seconds", "Latency", {"op"}, {0.1, 1});
  h.with({"x"}).observe(0.05);
  h.with({"x"}).observe(0.5);
  h.with({"x"}).observe(5);
  auto text = reg.render();
  BOOST_TEST(text.find("# TYPE mdmlab_test_requests_total counter") != std::string::npos);
  BOOST_TEST(text.find("mdmlab_test_requests_total{operation=\"GetCACaps\",result=\"ok\"} 3\n") !=
             std::string::npos);
  BOOST_TEST(text.find("result=\"say \\\"hi\\\"\\n\"") != std::string::npos);
  BOOST_TEST(text.find("mdmlab_test_devices 7\n") != std::string::npos);
  BOOST_TEST(text.find("mdmlab_test_seconds_bucket{op=\"x\",le=\"0.1\"} 1\n") != std::string::npos);
  BOOST_TEST(text.find("mdmlab_test_seconds_bucket{op=\"x\",le=\"1\"} 2\n") != std::string::npos);
  BOOST_TEST(text.find("mdmlab_test_seconds_bucket{op=\"x\",le=\"+Inf\"} 3\n") !=
             std::string::npos);
  BOOST_TEST(text.find("mdmlab_test_seconds_count{op=\"x\"} 3\n") != std::string::npos);
  BOOST_TEST(text.find("mdmlab_test_seconds_sum{op=\"x\"} 5.55\n") != std::string::npos);
  BOOST_CHECK_THROW(c.with({"only-one"}), std::invalid_argument);
  BOOST_CHECK_THROW(c.with({"a", "b"}).inc(-1), std::invalid_argument);

  BOOST_REQUIRE_MESSAGE(testing::have_program("promtool"), "promtool (Debian prometheus) missing");
  auto dir = testing::make_temp_dir("mdmlab-metrics-");
  testing::write_file(dir + "/m.txt", text);
  auto r = testing::run_command("promtool check metrics < " + dir + "/m.txt");
  BOOST_TEST(r.exit_code == 0, r.output);
}

BOOST_AUTO_TEST_CASE(a_family_registered_twice_must_mean_the_same_thing) {
  metrics::Registry reg;
  auto& a = reg.counter("mdmlab_test_total", "Things", {"kind"});
  BOOST_TEST(&reg.counter("mdmlab_test_total", "Things", {"kind"}) == &a);  // same family
  BOOST_CHECK_THROW(reg.counter("mdmlab_test_total", "Other things", {"kind"}), std::logic_error);
  BOOST_CHECK_THROW(reg.counter("mdmlab_test_total", "Things", {"sort"}), std::logic_error);
  BOOST_CHECK_THROW(reg.gauge("mdmlab_test_total", "Things", {"kind"}), std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()
