// The wap-provisioningdoc enrollment installs: the certificate stores keyed by upper-case SHA-1
// thumbprints (checked with the OpenSSL CLI against the DER inside, read out by Python's
// xml.etree), the APPLICATION w7 pointing at the management URL, DMClient poll settings; round
// trips, and refusals of what is not a provisioning document.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "crypto/ca.hpp"
#include "protocol/windows/provisioning_doc.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
namespace prov = mdmlab::windows::provisioning;

BOOST_AUTO_TEST_SUITE(windows_provisioning)

BOOST_AUTO_TEST_CASE(the_enrollment_document_names_each_certificate_by_its_sha1_thumbprint) {
  auto key = crypto::PrivateKey::generate_ec_p256().value();
  const auto now = std::chrono::system_clock::now();
  auto root = crypto::make_self_signed(key, {{"CN", "mdmlab root"}}, now, std::chrono::hours(24))
                  .value()
                  .to_der();
  auto client = crypto::make_self_signed(key, {{"CN", "DEVICE-1"}}, now, std::chrono::hours(24))
                    .value()
                    .to_der();
  prov::EnrollmentSettings s;
  s.root_der = root;
  s.client_der = client;
  s.device_id = "DEVICE-1";
  s.management_url = "https://mdm.example.com/ManagementServer/MDM.svc";
  s.provider_id = "mdmlab";
  s.server_name = "mdmlab";
  const auto xml = prov::serialize(prov::enrollment_document(s));

  auto back = prov::parse(xml);
  BOOST_REQUIRE(back.ok());
  BOOST_TEST(prov::serialize(*back) == xml);
  const auto* store = back->at({"CertificateStore", "Root", "System", prov::thumbprint(root)});
  BOOST_REQUIRE(store);
  BOOST_TEST(store->parm("EncodedCertificate")->value == base64_encode(root));
  BOOST_TEST(back->at({"CertificateStore", "My", "System", prov::thumbprint(client)}));
  BOOST_TEST(back->at({"CertificateStore", "My", "WSTEP", "Renew"})->parm("RenewPeriod")->value ==
             "42");
  const auto* app = back->at({"APPLICATION"});
  BOOST_REQUIRE(app);
  BOOST_TEST(app->parm("APPID")->value == "w7");
  BOOST_TEST(app->parm("ADDR")->value == s.management_url);
  BOOST_TEST(app->parm("SSLCLIENTCERTSEARCHCRITERIA")->value ==
             "Subject=CN%3DDEVICE-1&Stores=MY%5CSystem");
  BOOST_TEST(back->at({"DMClient", "Provider", "mdmlab", "Poll"}));

  // Independent readers: xml.etree finds the root CA by its thumbprint, OpenSSL agrees on it.
  auto dir = testing::make_temp_dir("mdmlab-prov-");
  testing::write_file(dir + "/doc.xml", xml);
  auto py = testing::run_command(
      "/usr/bin/python3 -c \"import xml.etree.ElementTree as E, base64; r = E.parse('" + dir +
      "/doc.xml').getroot(); c = r.find(\\\"characteristic[@type='CertificateStore']/"
      "characteristic[@type='Root']/characteristic[@type='System']/characteristic\\\"); "
      "open('" +
      dir +
      "/root.der', 'wb').write(base64.b64decode(c.find('parm').get('value'))); "
      "print(c.get('type'))\"");
  BOOST_REQUIRE_MESSAGE(py.exit_code == 0, py.output);
  auto ossl = testing::run_command("openssl x509 -inform DER -in " + dir +
                                   "/root.der -noout -fingerprint -sha1");
  std::string colons = ossl.output.substr(ossl.output.find('=') + 1);
  colons.erase(std::remove(colons.begin(), colons.end(), ':'), colons.end());
  colons.erase(std::remove(colons.begin(), colons.end(), '\n'), colons.end());
  BOOST_TEST(colons == prov::thumbprint(root));
  BOOST_TEST(py.output.find(prov::thumbprint(root)) != std::string::npos, py.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(what_is_not_a_provisioning_document_is_refused) {
  std::string deep = "<wap-provisioningdoc version=\"1.1\">";
  for (int i = 0; i < 20; ++i) deep += "<characteristic type=\"x\">";
  for (int i = 0; i < 20; ++i) deep += "</characteristic>";
  deep += "</wap-provisioningdoc>";
  for (const auto& xml : std::vector<std::string>{
           "<wap-provisioningdoc><characteristic><parm name=\"a\"/></characteristic>"
           "</wap-provisioningdoc>",
           "<wap-provisioningdoc><characteristic type=\"a\"><parm value=\"b\"/></characteristic>"
           "</wap-provisioningdoc>",
           "<wap-provisioningdoc><characteristic type=\"a\"><script/></characteristic>"
           "</wap-provisioningdoc>",
           "<wap-provisioningdoc><parm name=\"a\"/></wap-provisioningdoc>", "<provisioningdoc/>",
           deep, "<wap-provisioningdoc>"})
    BOOST_TEST(!prov::parse(xml).ok(), xml.substr(0, 80));
  BOOST_TEST(prov::parse("<wap-provisioningdoc version=\"1.1\"/>").ok());
}

BOOST_AUTO_TEST_SUITE_END()
