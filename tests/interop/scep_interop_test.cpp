// Third-party SCEP peers, both directions, over real sockets:
//   micromdm scepclient -> mdmlab serve, certmonger scep-submit -> mdmlab serve,
//   our ScepClient -> micromdm scepserver, and OpenSSL's CLI parsing our pkiMessages.
#include <boost/test/unit_test.hpp>

#include <cstdlib>

#include "tests/server/scep_fixture.hpp"
#include "tests/support/scepserver.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;

namespace {
// `mdmlab serve` as its own process on a free port.
struct ServeProcess {
  std::string dir = make_temp_dir("mdmlab-serve-");
  unsigned short port = free_port();
  std::unique_ptr<BackgroundProcess> process;
  explicit ServeProcess(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv{mdmlab_cli(),       "serve",
                                  "--data-dir",       dir + "/data",
                                  "--listen",         "127.0.0.1:" + std::to_string(port),
                                  "--scep-challenge", "interop-secret"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process = std::make_unique<BackgroundProcess>(argv, dir + "/serve.log");
    if (!wait_for_port(port, 20000))
      throw std::runtime_error("mdmlab serve did not start: " + read_file(dir + "/serve.log"));
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/scep"; }
  std::string ca() const { return dir + "/data/ca.pem"; }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(scep_interop)

BOOST_AUTO_TEST_CASE(micromdm_scepclient_enrolls_and_renews_against_mdmlab_serve) {
  BOOST_REQUIRE_MESSAGE(have_program("scepclient"), "Debian package scep missing");
  ServeProcess serve;
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
  ServeProcess serve({"--manual-approval"});
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
  ServeProcess serve;
  auto caps = run_command(submit + " -u " + serve.url() + " -c");
  BOOST_TEST(caps.exit_code == 0, caps.output);
  BOOST_TEST(caps.output.find("POSTPKIOperation") != std::string::npos);
  BOOST_TEST(caps.output.find("SHA-256") != std::string::npos);
  auto chain = run_command(submit + " -u " + serve.url() + " -C");
  BOOST_TEST(chain.exit_code == 0, chain.output);
  auto ca_pem = read_file(serve.ca());
  BOOST_TEST(chain.output.find(ca_pem.substr(0, 100)) != std::string::npos);
  std::filesystem::remove_all(serve.dir);

  ServeProcess ra({"--scep-ra"});
  auto ra_chain = run_command(submit + " -u " + ra.url() + " -C");
  BOOST_TEST(ra_chain.exit_code == 0, ra_chain.output);
  BOOST_TEST(ra_chain.output.find(read_file(ra.ca()).substr(0, 100)) != std::string::npos);
  BOOST_TEST(read_file(ra.dir + "/data/ra.pem").size() > 100u);
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
  p.content = crypto::Csr::build(key, {{{"CN", "openssl-parse"}}, f.challenge, {}, nullptr})
                  .value()
                  .to_der();
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
