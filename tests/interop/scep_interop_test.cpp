// Third-party SCEP peers, both directions, over real sockets:
//   micromdm scepclient -> mdmlab serve, certmonger scep-submit -> mdmlab serve,
//   our ScepClient -> micromdm scepserver, and OpenSSL's CLI parsing our pkiMessages.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "tests/server/scep_fixture.hpp"
#include "tests/support/scepserver.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;

namespace {
// `mdmlab serve` as its own process on a free port (plain HTTP, challenge "interop-secret"),
// its data in a fresh temporary directory.
struct InteropServe {
  std::string dir = make_temp_dir("mdmlab-serve-");
  testing::ServeProcess process;
  unsigned short port;
  explicit InteropServe(const std::vector<std::string>& extra = {})
      : process(dir, with_challenge(extra), /*https=*/false), port(process.port()) {
    if (!process.ready(20000))
      throw std::runtime_error("mdmlab serve did not start: " + read_file(dir + "/serve.log"));
  }
  std::string url() const { return process.base() + "/scep"; }
  std::string ca() const { return dir + "/data/ca.pem"; }

 private:
  static std::vector<std::string> with_challenge(std::vector<std::string> extra) {
    extra.insert(extra.begin(), {"--scep-challenge", "interop-secret"});
    return extra;
  }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(scep_interop)

BOOST_AUTO_TEST_CASE(micromdm_scepclient_enrolls_and_renews_against_mdmlab_serve) {
  BOOST_REQUIRE_MESSAGE(have_program("scepclient"), "Debian package scep missing");
  InteropServe serve;
  auto d = serve.dir;
  auto enroll =
      run_command("cd " + d + " && scepclient -server-url=" + serve.url() +
                  " -private-key client.key -certificate client.pem -challenge interop-secret"
                  " -cn scepclient-host -organization interop");
  BOOST_TEST(enroll.exit_code == 0, enroll.output);
  auto verify = run_command("openssl verify -CAfile " + serve.ca() + " " + d + "/client.pem");
  BOOST_TEST(verify.exit_code == 0, verify.output);
  BOOST_TEST(verify.output.find(": OK") != std::string::npos);
  auto first_serial = run_command("openssl x509 -noout -serial -in " + d + "/client.pem").output;

  // scepclient sends RenewalReq (signed by client.pem, same key, same transactionID) when the
  // certificate file exists.
  auto renew =
      run_command("cd " + d + " && scepclient -server-url=" + serve.url() +
                  " -private-key client.key -certificate client.pem -challenge interop-secret"
                  " -cn scepclient-host -organization interop");
  BOOST_TEST(renew.exit_code == 0, renew.output);
  auto second_serial = run_command("openssl x509 -noout -serial -in " + d + "/client.pem").output;
  BOOST_TEST(first_serial != second_serial);
  BOOST_TEST(
      run_command("openssl verify -CAfile " + serve.ca() + " " + d + "/client.pem").exit_code == 0);

  // Wrong challenge: scepclient reports the FAILURE and gets no certificate.
  auto wrong =
      run_command("cd " + d + " && scepclient -server-url=" + serve.url() +
                  " -private-key other.key -certificate other.pem -challenge nope -cn other");
  BOOST_TEST(wrong.exit_code != 0);
  BOOST_TEST(!std::filesystem::exists(d + "/other.pem"));
  std::filesystem::remove_all(d);
}

BOOST_AUTO_TEST_CASE(mdmlab_cli_manual_approval_round_trip) {
  InteropServe serve({"--manual-approval"});
  auto d = serve.dir;
  auto cli = mdmlab_cli();
  auto enroll_cmd = cli + " scep enroll --url " + serve.url() +
                    " --challenge interop-secret --key " + d + "/dev.key --cert-out " + d +
                    "/dev.pem --subject CN=needs-approval";
  auto pending = run_command(enroll_cmd);
  BOOST_TEST(pending.exit_code == 3, pending.output);  // 3 = PENDING
  auto pos = pending.output.find("transaction ");
  BOOST_REQUIRE(pos != std::string::npos);
  auto id = pending.output.substr(pos + 12, pending.output.find(':', pos) - pos - 12);
  auto admin = " --server http://127.0.0.1:" + std::to_string(serve.port) + " --token-file " + d +
               "/data/admin-token";
  auto list = run_command(cli + " scep pending" + admin);
  BOOST_TEST(list.exit_code == 0, list.output);
  BOOST_TEST(list.output.find(id) != std::string::npos, list.output);
  auto approve = run_command(cli + " scep approve" + admin + " --transaction '" + id + "'");
  BOOST_TEST(approve.exit_code == 0, approve.output);
  BOOST_TEST(approve.output.find("\"issued\"") != std::string::npos, approve.output);
  auto again = run_command(cli + " scep approve" + admin + " --transaction '" + id + "'");
  BOOST_TEST(again.exit_code != 0);     // 409: already decided
  auto done = run_command(enroll_cmd);  // same key, same transactionID: now SUCCESS
  BOOST_TEST(done.exit_code == 0, done.output);
  BOOST_TEST(run_command("openssl verify -CAfile " + serve.ca() + " " + d + "/dev.pem").exit_code ==
             0);
  auto bad_token =
      run_command(cli + " scep pending --server http://127.0.0.1:" + std::to_string(serve.port) +
                  " --token-file /dev/null");
  BOOST_TEST(bad_token.exit_code != 0);
  std::filesystem::remove_all(d);
}

BOOST_AUTO_TEST_CASE(certmonger_scep_submit_reads_caps_and_ca_chain) {
  const std::string submit = "/usr/lib/certmonger/scep-submit";
  BOOST_REQUIRE_MESSAGE(have_program(submit), "Debian package certmonger missing");
  InteropServe serve;
  auto caps = run_command(submit + " -u " + serve.url() + " -c");
  BOOST_TEST(caps.exit_code == 0, caps.output);
  BOOST_TEST(caps.output.find("POSTPKIOperation") != std::string::npos);
  BOOST_TEST(caps.output.find("SHA-256") != std::string::npos);
  auto chain = run_command(submit + " -u " + serve.url() + " -C");
  BOOST_TEST(chain.exit_code == 0, chain.output);
  auto ca_pem = read_file(serve.ca());
  BOOST_TEST(chain.output.find(ca_pem.substr(0, 100)) != std::string::npos);
  std::filesystem::remove_all(serve.dir);

  InteropServe ra({"--scep-ra"});
  auto ra_chain = run_command(submit + " -u " + ra.url() + " -C");
  BOOST_TEST(ra_chain.exit_code == 0, ra_chain.output);
  BOOST_TEST(ra_chain.output.find(read_file(ra.ca()).substr(0, 100)) != std::string::npos);
  BOOST_TEST(read_file(ra.dir + "/data/ra.pem").size() > 100u);
  std::filesystem::remove_all(ra.dir);
}

// The whole certmonger enrollment through scep-submit: the daemon generates the key and CSR,
// sends PKCSReq with the challenge, checks the CertRep and saves the certificate. Its own
// D-Bus daemon and its state under a temporary directory (nothing in /var/lib/certmonger).
BOOST_AUTO_TEST_CASE(certmonger_daemon_enrolls_through_scep_submit) {
  for (std::string program :
       {"certmonger", "getcert", "dbus-daemon", "openssl", "/usr/lib/certmonger/scep-submit"})
    BOOST_REQUIRE_MESSAGE(have_program(program),
                          program + " missing (Debian packages certmonger, dbus-daemon, openssl)");
  InteropServe serve;              // GetCACert answers the CA alone
  InteropServe ra({"--scep-ra"});  // GetCACert answers the RA certificate and the CA
  auto d = make_temp_dir("mdmlab-certmonger-");
  auto state = d + "/state";
  std::filesystem::create_directory(state);
  // A private session bus with no <servicedir>: nothing is bus-activated, so the only
  // certmonger on it is the one started below.
  write_file(d + "/bus.conf", "<busconfig><type>session</type><listen>unix:path=" + d +
                                  "/bus</listen><policy context=\"default\"><allow "
                                  "send_destination=\"*\" eavesdrop=\"true\"/><allow "
                                  "eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n");
  BackgroundProcess bus(
      {"dbus-daemon", "--config-file=" + d + "/bus.conf", "--nofork", "--nopidfile"},
      d + "/dbus.log");
  for (int i = 0; i < 200 && !std::filesystem::exists(d + "/bus"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_REQUIRE_MESSAGE(std::filesystem::exists(d + "/bus"), read_file(d + "/dbus.log"));
  const std::string address = "DBUS_SESSION_BUS_ADDRESS=unix:path=" + d + "/bus";
  BackgroundProcess certmonger(
      {"env", address, "CERTMONGER_REQUESTS_DIR=" + state, "CERTMONGER_CAS_DIR=" + state,
       "CERTMONGER_LOCAL_CA_DIR=" + state, "CERTMONGER_TMPDIR=" + state, "certmonger", "-s", "-n"},
      d + "/certmonger.log");
  auto getcert = [&](const std::string& args) { return run_command(address + " getcert " + args); };
  // Runs `getcert args` until `done` holds or `seconds` pass; the last result either way.
  auto poll = [&](const std::string& args, auto done, int seconds) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    auto r = getcert(args);
    while (!done(r) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      r = getcert(args);
    }
    return r;
  };
  auto up = poll(
      "list-cas -s", [](const ProcessResult& r) { return r.exit_code == 0; }, 20);
  BOOST_REQUIRE_MESSAGE(up.exit_code == 0, up.output + read_file(d + "/certmonger.log"));

  // certmonger 0.79 checks a CertRep's signature only against the SCEP "signing CA"
  // certificate; from a GetCACert answer holding the CA alone it keeps just the encryption
  // (RA) certificate and would trust nothing, so that CA is named with -N. The RA form gives
  // it both certificates.
  const std::vector<std::pair<std::string, const InteropServe*>> cas{{"mdmlab", &serve},
                                                                     {"mdmlab-ra", &ra}};
  for (const auto& [name, srv] : cas) {
    auto add = getcert("add-scep-ca -s -c " + name + " -u " + srv->url() +
                       (srv == &serve ? " -N " + serve.ca() : std::string()));
    BOOST_REQUIRE_MESSAGE(add.exit_code == 0, add.output);
    // GetCACaps and GetCACert are done before the request goes out.
    auto fetched = poll(
        "list-cas -s -c " + name,
        [](const ProcessResult& r) { return r.output.find("thumbprint") != std::string::npos; },
        30);
    BOOST_REQUIRE_MESSAGE(fetched.output.find("thumbprint") != std::string::npos, fetched.output);
    auto request =
        getcert("request -s -c " + name + " -k " + d + "/" + name + ".key -f " + d + "/" + name +
                ".pem -N CN=certmonger-" + name + ",O=interop -L interop-secret");
    BOOST_REQUIRE_MESSAGE(request.exit_code == 0, request.output);
  }
  auto both_monitoring = [](const ProcessResult& r) {
    std::size_t n = 0;
    for (auto p = r.output.find("status: MONITORING"); p != std::string::npos;
         p = r.output.find("status: MONITORING", p + 1))
      ++n;
    return n == 2;
  };
  auto list = poll("list -s", both_monitoring, 60);
  BOOST_REQUIRE_MESSAGE(both_monitoring(list),
                        "getcert list:\n" + list.output + "\ncertmonger log:\n" +
                            read_file(d + "/certmonger.log") + "\nserve logs:\n" +
                            read_file(serve.dir + "/serve.log") + read_file(ra.dir + "/serve.log"));
  for (const auto& [name, srv] : cas) {
    auto cert = d + "/" + name + ".pem";
    auto verify = run_command("openssl verify -CAfile " + srv->ca() + " " + cert);
    BOOST_TEST(verify.exit_code == 0, verify.output);
    auto subject = run_command("openssl x509 -noout -subject -in " + cert);
    BOOST_TEST(subject.output == "subject=CN = certmonger-" + name + ", O = interop\n");
    // The certificate is for the key certmonger generated.
    auto cert_key = run_command("openssl x509 -noout -pubkey -in " + cert);
    auto own_key = run_command("openssl pkey -pubout -in " + d + "/" + name + ".key");
    BOOST_TEST((cert_key.exit_code == 0 && cert_key.output == own_key.output), own_key.output);
  }
  certmonger.stop(SIGTERM);
  bus.stop(SIGTERM);
  std::filesystem::remove_all(d);
  std::filesystem::remove_all(serve.dir);
  std::filesystem::remove_all(ra.dir);
}

BOOST_AUTO_TEST_CASE(our_client_enrolls_against_micromdm_scepserver) {
  BOOST_REQUIRE_MESSAGE(have_program("scepserver"), "Debian package scep missing");
  auto d = make_temp_dir("mdmlab-scepserver-");
  ScepServerProcess server(d, "their-secret");

  net::IoRuntime io(1);
  simulators::scep::ScepClient client(io.executor(), server.url());
  simulators::scep::EnrollRequest req;
  req.key = test_key_pool().get(30).value();
  req.subject = {{"CN", "mdmlab-to-micromdm"}, {"O", "mdmlab"}};
  req.challenge = "their-secret";
  auto r = boost::asio::co_spawn(io.executor(), client.enroll(req), boost::asio::use_future).get();
  BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
  BOOST_TEST((r->status == mdmlab::scep::PkiStatus::success));
  write_file(d + "/issued.pem", r->certificate.to_pem());
  auto verify = run_command("openssl verify -CAfile " + d + "/depot/ca.pem " + d + "/issued.pem");
  BOOST_TEST(verify.exit_code == 0, verify.output);

  simulators::scep::EnrollRequest bad = req;
  bad.key = test_key_pool().get(31).value();
  bad.challenge = "wrong";
  auto refused =
      boost::asio::co_spawn(io.executor(), client.enroll(bad), boost::asio::use_future).get();
  BOOST_REQUIRE(refused.ok());
  BOOST_TEST((refused->status == mdmlab::scep::PkiStatus::failure));
  io.stop();
  std::filesystem::remove_all(d);
}

BOOST_AUTO_TEST_CASE(openssl_cms_parses_our_pki_messages) {
  ScepServerFixture f;
  auto c = f.client();
  auto ca = f.run(c.get_ca_cert()).value();
  auto key = test_key_pool().get(32).value();
  mdmlab::scep::RequestParams p;
  p.transaction_id = mdmlab::scep::transaction_id_for(key.get());
  p.content = crypto::Csr::build(key, {{{"CN", "openssl-parse"}}, f.challenge}).value().to_der();
  p.recipients = {ca.recipient()};
  p.signer = crypto::make_self_signed(key, {{"CN", "openssl-parse"}}, f.clock->now(),
                                      std::chrono::hours(1))
                 .value();
  p.signer_key = key;
  auto request = mdmlab::scep::build_request(p).value();
  auto reply = f.run(c.send_pki_message(request)).value();
  write_file(f.dir + "/req.der", to_string(request));
  write_file(f.dir + "/rep.der", reply.body);
  write_file(f.dir + "/key.pem", key.to_pem());
  write_file(f.dir + "/ca.pem", ca.ca.to_pem());
  for (const char* file : {"req.der", "rep.der"}) {
    auto printed = run_command("openssl cms -inform DER -cmsout -print -in " + f.dir + "/" + file);
    BOOST_TEST(printed.exit_code == 0, printed.output);
    BOOST_TEST(printed.output.find("2.16.840.1.113733.1.9.2") != std::string::npos,
               file);  // messageType
    BOOST_TEST(printed.output.find("2.16.840.1.113733.1.9.7") != std::string::npos,
               file);  // transactionID
  }
  // OpenSSL verifies the CertRep's signature against our CA and reads the envelope inside.
  auto verified = run_command("openssl cms -verify -inform DER -in " + f.dir + "/rep.der -CAfile " +
                              f.dir + "/ca.pem -binary -out " + f.dir + "/envelope.der");
  BOOST_TEST(verified.exit_code == 0, verified.output);
  auto decrypted =
      run_command("openssl cms -decrypt -inform DER -in " + f.dir + "/envelope.der -inkey " +
                  f.dir + "/key.pem -binary -out " + f.dir + "/certs.p7");
  BOOST_TEST(decrypted.exit_code == 0, decrypted.output);
  auto certs =
      run_command("openssl pkcs7 -inform DER -print_certs -noout -in " + f.dir + "/certs.p7");
  BOOST_TEST(certs.output.find("openssl-parse") != std::string::npos, certs.output);
}

BOOST_AUTO_TEST_SUITE_END()
