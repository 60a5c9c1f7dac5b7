// Scale (ctest label `scale`): 1,000 simulated Macs enroll in one process — SCEP and an mTLS
// identity each — against the embedded reference server, and every one acknowledges a
// command it was woken for by an APNs push. Counts come from the server's admin API.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "tests/support/process.hpp"

using namespace mdmlab::testing;

BOOST_AUTO_TEST_SUITE(scale)

BOOST_AUTO_TEST_CASE(a_thousand_macs_enroll_and_each_acknowledges_a_command) {
  auto dir = make_temp_dir("mdmlab-scale-");
  auto r = run_command(
      mdmlab_cli() +
      " --log-level warn load --devices 1000 --duration 1s --command-interval 10s --json " + dir +
      "/load.json");
  BOOST_TEST_MESSAGE(r.output.substr(r.output.size() > 1500 ? r.output.size() - 1500 : 0));
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0,
                        r.output.substr(r.output.size() > 4000 ? r.output.size() - 4000 : 0));
  auto j = nlohmann::json::parse(read_file(dir + "/load.json"));
  BOOST_TEST(j["enrolled"] == 1000);
  BOOST_TEST(j["enroll_failed"] == 0);
  BOOST_TEST(j["commands_enqueued"].get<long>() >= 1000);
  BOOST_TEST(j["commands_acked"] == j["commands_enqueued"]);  // every device, every command
  BOOST_TEST(j["pushes_received"].get<long>() >= 1000);
  BOOST_TEST(j["errors"] == 0);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
