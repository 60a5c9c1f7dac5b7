// Scale (ctest label `scale`): 1,000 simulated Macs (and 1,000 Windows PCs) enroll in one process —
// SCEP and an mTLS identity each — against the embedded reference server, and every one
// acknowledges a command it was woken for by an APNs push. Counts come from the server's admin API.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "tests/support/apns_process.hpp"
#include "tests/support/process.hpp"
#include "tests/support/scepserver.hpp"

using namespace mdmlab::testing;

namespace {
// `mdmlab load` with `args`, its figures from DIR/load.json; the end of its output on failure.
nlohmann::json run_load(const std::string& dir, const std::string& args) {
  auto r = run_command(mdmlab_cli() + " --log-level warn load " + args + " --json " + dir +
                       "/load.json");
  BOOST_TEST_MESSAGE(r.output.substr(r.output.size() > 1500 ? r.output.size() - 1500 : 0));
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0,
                        r.output.substr(r.output.size() > 4000 ? r.output.size() - 4000 : 0));
  return nlohmann::json::parse(read_file(dir + "/load.json"));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(scale)

BOOST_AUTO_TEST_CASE(a_thousand_macs_enroll_and_each_acknowledges_a_command) {
  auto dir = make_temp_dir("mdmlab-scale-");
  auto j = run_load(dir, "--devices 1000 --duration 1s --command-interval 10s");
  BOOST_TEST(j["enrolled"] == 1000);
  BOOST_TEST(j["enroll_failed"] == 0);
  BOOST_TEST(j["commands_enqueued"].get<long>() >= 1000);
  BOOST_TEST(j["commands_acked"] == j["commands_enqueued"]);  // every device, every command
  BOOST_TEST(j["pushes_received"].get<long>() >= 1000);
  BOOST_TEST(j["errors"] == 0);
  std::filesystem::remove_all(dir);
}

// 1,000 simulated Windows PCs in one process: each enrolls over MS-MDE2 (its own key and
// certificate) and runs an OMA DM session over mTLS answering a Get and a policy Replace; the
// server's admin API shows every answer as 200.
BOOST_AUTO_TEST_CASE(a_thousand_windows_pcs_enroll_and_each_answers_its_commands) {
  auto dir = make_temp_dir("mdmlab-scale-windows-");
  auto j = run_load(dir, "--platform windows --devices 1000");
  BOOST_TEST(j["enrolled"] == 1000);
  BOOST_TEST(j["enroll_failed"] == 0);
  BOOST_TEST(j["synced"] == 1000);
  BOOST_TEST(j["commands_enqueued"] == 2000);
  BOOST_TEST(j["commands_ok"] == 2000);  // the server stored a 200 for every command
  std::filesystem::remove_all(dir);
}

// Issue 16's proof: 1,000 Macs (concurrency 16) enroll with a profile whose SCEP payload points
// at micromdm's scepserver, behind a proxy that answers every tenth PKIOperation with 503, with
// Subject variables and Retries 5 / RetryDelay 1 (a Mac fails only if six tries in a row hit the
// tenth slot: about one in a million); mdmlab serve trusts scepserver's CA for device
// identities. Every Mac must enroll (the failed requests sent again) with a subject of its own.
BOOST_AUTO_TEST_CASE(a_thousand_macs_enroll_through_a_failing_scepserver_with_subject_variables) {
  BOOST_REQUIRE_MESSAGE(have_program("scepserver"), "scepserver missing (Debian package scep)");
  auto dir = make_temp_dir("mdmlab-scale-scep-");
  ScepServerProcess scepserver(dir, "their-secret");
  BackgroundProcess proxy(
      {"/usr/bin/python3",
       std::string(MDMLAB_SOURCE_DIR) + "/tests/interop/broken/misbehaving_proxy.py",
       "http://127.0.0.1:" + std::to_string(scepserver.port), dir + "/proxy.port",
       "fail-some-scep"},
      dir + "/proxy.log");
  BOOST_REQUIRE(wait_for_file(dir + "/proxy.port"));
  const auto scep_url = "http://127.0.0.1:" + read_file(dir + "/proxy.port") + "/scep";

  ApnsSimulatorProcess apns(dir, "com.apple.mgmt.External.scale-scep");
  BOOST_REQUIRE(apns.ready());
  auto serve_args = apns.serve_args();
  serve_args.insert(serve_args.end(), {"--identity-ca", scepserver.ca_pem_path()});
  ServeProcess serve(dir, serve_args);
  BOOST_REQUIRE(serve.ready());

  // The server's own profile, its SCEP payload rewritten by Python's plistlib (an independent
  // writer): scepserver behind the proxy, Subject variables, Retries 5 with RetryDelay 1.
  write_file(dir + "/rewrite.py",
             "import plistlib, sys, urllib.request\n"
             "p = plistlib.loads(urllib.request.urlopen(sys.argv[1]).read())\n"
             "for payload in p['PayloadContent']:\n"
             "    if payload['PayloadType'] == 'com.apple.security.scep':\n"
             "        c = payload['PayloadContent']\n"
             "        c['URL'] = sys.argv[2]\n"
             "        c['Challenge'] = 'their-secret'\n"
             "        c['Subject'] = [[['CN', '%HardwareUUID%']], [['OU', '%SerialNumber%']], "
             "[['O', 'mdmlab scale']]]\n"
             "        c['Keysize'] = 2048\n"
             "        c['Retries'] = 5\n"
             "        c['RetryDelay'] = 1\n"
             "open(sys.argv[3], 'wb').write(plistlib.dumps(p))\n");
  auto rewrite =
      run_command("/usr/bin/python3 " + dir + "/rewrite.py '" + serve.base() +
                  "/mdm/apple/enroll?signed=0' " + scep_url + " " + dir + "/profile.mobileconfig");
  BOOST_REQUIRE_MESSAGE(rewrite.exit_code == 0, rewrite.output);
  write_file(dir + "/target.json",
             R"({"name": "serve + scepserver", "server_url": ")" + serve.base() +
                 R"(", "admin_token_file": "data/admin-token", "enroll_profile_url": ")" +
                 serve.base() + R"(/mdm/apple/enroll", "apns_control_url": ")" +
                 apns.control_url() + R"("})");

  auto j = run_load(dir,
                    "--devices 1000 --concurrency 16 --duration 1s --command-interval 10s "
                    "--reuse-keys --target " +
                        dir + "/target.json --profile " + dir + "/profile.mobileconfig");
  BOOST_TEST(j["enrolled"] == 1000);
  BOOST_TEST(j["enroll_failed"] == 0);
  // About one request in ten failed and was sent again.
  BOOST_TEST(j["scep_retries"].get<long>() >= 80);
  BOOST_TEST(j["commands_acked"] == j["commands_enqueued"]);

  // scepserver issued every certificate, each to its own Mac's expanded Subject.
  auto issued = run_command("ls " + dir + "/depot/*.pem | grep -v ca.pem | wc -l");
  BOOST_TEST(std::stoi(issued.output) >= 1000, issued.output);
  auto subjects = run_command("for f in $(ls " + dir +
                              "/depot/*.pem | grep -v ca.pem | head -50); do openssl x509 -in $f "
                              "-noout -subject; done | sort -u");
  BOOST_TEST(subjects.output.find("%") == std::string::npos, subjects.output);
  BOOST_TEST(std::count(subjects.output.begin(), subjects.output.end(), '\n') == 50,
             subjects.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
