// What the SCEP and PKCS#12 payloads need of crypto/: a CSR asking for subjectAltName (DNS,
// email, URI, UPN) and keyUsage, a CA that copies the names into the certificate, and PKCS#12
// identities — each checked by the OpenSSL CLI as an independent reader and writer.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "crypto/pkcs12.hpp"
#include "tests/crypto/fixtures.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using namespace mdmlab::crypto;
using namespace mdmlab::testing;

namespace {
SubjectAltNames some_names() {
  SubjectAltNames n;
  n.dns = {"mac-1.example.com", "mac-1.local"};
  n.rfc822 = {"kim@example.com"};
  n.uri = {"urn:mdmlab:device:1,2"};  // a comma stays inside one name
  n.nt_principal = {"kim@corp.example.com"};
  return n;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(identity_payload_crypto)

BOOST_AUTO_TEST_CASE(a_csr_asks_for_alt_names_and_key_usage_and_openssl_reads_them) {
  CsrOptions o;
  o.subject = {{"CN", "mac-1"}};
  o.alt_names = some_names();
  o.key_usage = key_usage_from_scep(1);  // signing only
  auto csr = Csr::build(test_key(1), o).value();
  BOOST_TEST((csr.subject_alt_names() == some_names()));
  BOOST_TEST(csr.key_usage() == kKeyUsageDigitalSignature);
  BOOST_TEST(key_usage_names(key_usage_from_scep(5)) ==
                 (std::vector<std::string>{"digitalSignature", "keyEncipherment"}),
             boost::test_tools::per_element());

  auto dir = make_temp_dir("mdmlab-san-");
  write_file(dir + "/req.pem", csr.to_pem());
  auto text = run_command("openssl req -in " + dir + "/req.pem -noout -text");
  BOOST_REQUIRE(text.exit_code == 0);
  BOOST_TEST(text.output.find("DNS:mac-1.example.com, DNS:mac-1.local") != std::string::npos,
             text.output);
  BOOST_TEST(text.output.find("email:kim@example.com") != std::string::npos);
  BOOST_TEST(text.output.find("URI:urn:mdmlab:device:1,2") != std::string::npos);
  BOOST_TEST(text.output.find("UPN::kim@corp.example.com") != std::string::npos);
  BOOST_TEST(text.output.find("Digital Signature") != std::string::npos);
  BOOST_TEST(text.output.find("Key Encipherment") == std::string::npos);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_ca_copies_requested_alt_names_only_when_asked) {
  CsrOptions o;
  o.subject = {{"CN", "mac-2"}};
  o.alt_names = some_names();
  auto csr = Csr::build(test_key(2), o).value();
  IssueOptions honour;
  honour.honour_requested_alt_names = true;
  auto copied = test_ca().issue(csr, honour, now()).value();
  BOOST_TEST((copied.subject_alt_names() == some_names()));
  auto plain = test_ca().issue(csr, IssueOptions{}, now()).value();
  BOOST_TEST(plain.subject_alt_names().empty());
  // Names the CA chose itself win over the request.
  honour.dns_names = {"ca-chose.example"};
  auto chosen = test_ca().issue(csr, honour, now()).value();
  BOOST_TEST(chosen.subject_alt_names().dns == std::vector<std::string>{"ca-chose.example"},
             boost::test_tools::per_element());
  BOOST_TEST(chosen.subject_alt_names().rfc822.empty());
}

BOOST_AUTO_TEST_CASE(pkcs12_round_trips_and_a_wrong_password_is_its_own_error) {
  auto cert = test_ca()
                  .issue(test_key(3).get(), make_x509_name({{"CN", "p12"}}).value().get(),
                         IssueOptions{}, now())
                  .value();
  auto pfx = make_pkcs12({cert, test_key(3), {test_ca().certificate()}}, "s3cret", "p12").value();
  auto opened = parse_pkcs12(pfx, "s3cret");
  BOOST_REQUIRE(opened.ok());
  BOOST_TEST((opened->certificate == cert));
  BOOST_TEST(same_public_key(opened->key.get(), test_key(3).get()));
  BOOST_TEST(opened->chain.size() == 1u);
  auto wrong = parse_pkcs12(pfx, "guess");
  BOOST_REQUIRE(!wrong.ok());
  BOOST_TEST(wrong.error().code == kBadPkcs12Password);
  auto garbage = parse_pkcs12(to_bytes("not a pfx"), "s3cret");
  BOOST_REQUIRE(!garbage.ok());
  BOOST_TEST(garbage.error().code == kBadPkcs12);
}

BOOST_AUTO_TEST_CASE(openssl_reads_our_pkcs12_and_we_read_openssls_including_legacy) {
  auto dir = make_temp_dir("mdmlab-p12-");
  auto cert = test_ca()
                  .issue(test_key(1).get(), make_x509_name({{"CN", "cli"}}).value().get(),
                         IssueOptions{}, now())
                  .value();
  auto ours = make_pkcs12({cert, test_key(1), {}}, "pw1", "cli").value();
  write_file(dir + "/ours.p12", to_string(ours));
  auto read = run_command("openssl pkcs12 -in " + dir + "/ours.p12 -passin pass:pw1 -nokeys");
  BOOST_TEST(read.exit_code == 0, read.output);
  BOOST_TEST(read.output.find("CN = cli") != std::string::npos, read.output);
  auto refused = run_command("openssl pkcs12 -in " + dir + "/ours.p12 -passin pass:nope -nokeys");
  BOOST_TEST(refused.exit_code != 0);

  write_file(dir + "/cert.pem", cert.to_pem());
  write_file(dir + "/key.pem", test_key(1).to_pem());
  // The modern default and the legacy form (RC2/3DES, SHA-1 MAC) older tools still write.
  for (std::string legacy : {"", " -legacy"}) {
    auto made =
        run_command("openssl pkcs12 -export" + legacy + " -in " + dir + "/cert.pem -inkey " + dir +
                    "/key.pem -passout pass:pw2 -out " + dir + "/theirs.p12");
    BOOST_REQUIRE_MESSAGE(made.exit_code == 0, made.output);
    auto theirs = parse_pkcs12(to_bytes(read_file(dir + "/theirs.p12")), "pw2");
    BOOST_REQUIRE_MESSAGE(theirs.ok(), legacy + ": " + (theirs ? "" : theirs.error().message));
    BOOST_TEST((theirs->certificate == cert));
    BOOST_TEST(parse_pkcs12(to_bytes(read_file(dir + "/theirs.p12")), "pw3").error().code ==
               kBadPkcs12Password);
  }
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
