// The enrollment profile codec: every key of the identity (SCEP, PKCS#12), certificate and MDM
// payloads that the simulated Mac honours, Apple's defaults when a key is absent, where a bad
// profile is wrong, and CMS-signed profiles (a tampered one refused). Python's plistlib reads
// what we write.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "crypto/random.hpp"
#include "protocol/apple/profile.hpp"
#include "tests/crypto/fixtures.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using namespace mdmlab::apple;
using namespace mdmlab::testing;

namespace {
Profile full_profile() {
  Profile p;
  p.identifier = "com.example.enroll";
  p.uuid = "A0000000-0000-4000-8000-000000000001";
  p.display_name = "Example";
  p.roots.push_back({"R1", "com.example.root", test_ca().certificate()});
  p.roots.push_back({"R2", "com.example.pin", test_ca().certificate(), "com.apple.security.pkcs1"});
  ScepPayload s;
  s.uuid = "S1";
  s.identifier = "com.example.scep";
  s.url = "https://scep.example.com/scep";
  s.subject = {{"CN", "%HardwareUUID%"}, {"O", "Example"}};
  s.alt_names.dns = {"%LocalHostName%"};
  s.alt_names.rfc822 = {"a@example.com", "b@example.com"};
  s.alt_names.nt_principal = {"%SerialNumber%@corp.example.com"};
  s.key_size = 2048;
  s.key_usage = 5;
  p.scep = s;
  p.pkcs12.push_back({"P1", "com.example.p12", Bytes{1, 2, 3}, "s3cret"});
  MdmPayload m;
  m.uuid = "M1";
  m.identifier = "com.example.mdm";
  m.server_url = "https://mdm.example.com/mdm";
  m.topic = "com.apple.mgmt.External.1";
  m.identity_certificate_uuid = "P1";
  m.server_pinning_uuids = {"R2"};
  m.pinning_revocation_check_required = true;
  p.mdm = m;
  return p;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  BOOST_REQUIRE_MESSAGE(pos != std::string::npos, from);
  return text.replace(pos, from.size(), to);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(enrollment_profile)

BOOST_AUTO_TEST_CASE(every_identity_and_pinning_key_round_trips_and_plistlib_reads_it) {
  auto xml = encode_profile(full_profile()).value();
  auto p = decode_profile(xml).value();
  BOOST_REQUIRE(p.scep.has_value());
  BOOST_TEST((p.scep->alt_names == full_profile().scep->alt_names));
  BOOST_TEST(p.scep->key_size == 2048);
  BOOST_TEST(p.scep->key_usage == 5);
  BOOST_REQUIRE(p.pkcs12.size() == 1u);
  BOOST_TEST(p.pkcs12[0].password == "s3cret");
  BOOST_TEST((p.pkcs12[0].pfx == Bytes{1, 2, 3}));
  BOOST_TEST(p.mdm->identity_certificate_uuid == "P1");
  BOOST_TEST(p.mdm->server_pinning_uuids == std::vector<std::string>{"R2"},
             boost::test_tools::per_element());
  BOOST_TEST(p.mdm->pinning_revocation_check_required);
  BOOST_TEST(p.roots[1].type == "com.apple.security.pkcs1");
  BOOST_TEST(certificates_with_uuids(p, {"R2"}).value().size() == 1u);

  auto dir = make_temp_dir("mdmlab-profile-");
  write_file(dir + "/p.mobileconfig", xml);
  auto py = run_command(
      "/usr/bin/python3 -c \"import plistlib,sys; p=plistlib.load(open(sys.argv[1],'rb')); "
      "s=[x for x in p['PayloadContent'] if x['PayloadType']=='com.apple.security.scep'][0]"
      "['PayloadContent']; m=[x for x in p['PayloadContent'] if x['PayloadType']=="
      "'com.apple.mdm'][0]; print(s['SubjectAltName']['dNSName'], "
      "s['SubjectAltName']['rfc822Name'], m['ServerURLPinningCertificateUUIDs'], "
      "m['PinningRevocationCheckRequired'])\" " +
      dir + "/p.mobileconfig");
  BOOST_TEST(py.exit_code == 0, py.output);
  BOOST_TEST(py.output.find("%LocalHostName% ['a@example.com', 'b@example.com'] ['R2'] True") !=
                 std::string::npos,
             py.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(absent_keys_take_apples_defaults) {
  auto p = full_profile();
  auto xml = encode_profile(p).value();
  xml = replace(xml, "<key>Keysize</key>\n\t\t\t\t<integer>2048</integer>\n", "");
  xml = replace(xml, "<key>Key Usage</key>\n\t\t\t\t<integer>5</integer>\n", "");
  xml = replace(xml, "<key>Retries</key>\n\t\t\t\t<integer>3</integer>\n", "");
  auto back = decode_profile(xml).value();
  BOOST_TEST(back.scep->key_size == 1024);
  BOOST_TEST(back.scep->key_usage == 0);
  BOOST_TEST(back.scep->retries == 3);
  BOOST_TEST(back.scep->retry_delay == 10);
}

BOOST_AUTO_TEST_CASE(a_pem_certificate_payload_is_read_like_a_der_one) {
  auto xml = encode_profile(full_profile()).value();
  auto der_b64 = base64_encode(test_ca().certificate().to_der());
  auto pem_b64 = base64_encode(to_bytes(test_ca().certificate().to_pem()));
  auto pos = xml.find(der_b64.substr(0, 40));
  BOOST_REQUIRE(pos != std::string::npos);
  auto end = xml.find("</data>", pos);
  xml.replace(pos, end - pos, pem_b64);
  auto p = decode_profile(xml);
  BOOST_REQUIRE(p.ok());
  BOOST_TEST((p->roots[0].certificate == test_ca().certificate()));
}

BOOST_AUTO_TEST_CASE(a_bad_profile_says_which_payload_and_key) {
  auto xml = encode_profile(full_profile()).value();
  ProfileFault fault;
  auto bad_size =
      decode_profile(replace(xml, "<integer>2048</integer>", "<integer>3000</integer>"), &fault);
  BOOST_REQUIRE(!bad_size.ok());
  BOOST_TEST(fault.payload_type == "com.apple.security.scep");
  BOOST_TEST(fault.payload_identifier == "com.example.scep");
  BOOST_TEST(fault.key == "Keysize");
  BOOST_TEST(bad_size.error().message.find("com.example.scep, key Keysize") != std::string::npos,
             bad_size.error().message);

  auto p = full_profile();
  p.mdm->server_pinning_uuids = {"NOPE"};
  auto unknown_pin = decode_profile(encode_profile(p).value(), &fault);
  BOOST_REQUIRE(!unknown_pin.ok());
  BOOST_TEST(fault.key == "ServerURLPinningCertificateUUIDs");

  p = full_profile();
  p.mdm->identity_certificate_uuid = "GONE";
  BOOST_TEST(!decode_profile(encode_profile(p).value(), &fault).ok());
  BOOST_TEST(fault.key == "IdentityCertificateUUID");
}

BOOST_AUTO_TEST_CASE(a_signed_profile_records_its_signer_and_a_tampered_one_is_refused) {
  auto xml = encode_profile(full_profile()).value();
  auto signed_der = sign_profile(xml, test_ca().certificate(), test_ca().key()).value();
  auto ok = decode_profile(to_string(signed_der));
  BOOST_REQUIRE(ok.ok());
  BOOST_TEST(ok->signed_by_cms);
  BOOST_TEST((ok->signer == test_ca().certificate()));

  // One byte of the signed content changed: the digest no longer matches.
  auto tampered = to_string(signed_der);
  auto at = tampered.find("mdm.example.com");
  BOOST_REQUIRE(at != std::string::npos);
  tampered[at] = 'M';
  ProfileFault fault;
  auto refused = decode_profile(tampered, &fault);
  BOOST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.error().message.find("signature does not verify") != std::string::npos,
             refused.error().message);
}

BOOST_AUTO_TEST_SUITE_END()
