// The server's side of the DEP API and ADE: RFC 3339 times, the server token (JSON, or the
// decrypted token message), DEP answers read strictly about types, and the machine info a Mac
// posts, signed here by the OpenSSL CLI (not our code).
#include <boost/test/unit_test.hpp>

#include "common/time.hpp"
#include "protocol/apple/dep/dep_answers.hpp"
#include "protocol/apple/dep/server_token.hpp"
#include "protocol/apple/machine_info.hpp"
#include "protocol/apple/profile_service.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
namespace dep = mdmlab::apple::dep;

BOOST_AUTO_TEST_SUITE(dep_answers)

BOOST_AUTO_TEST_CASE(rfc3339_times_with_offsets_and_fractions) {
  auto z = parse_rfc3339("2027-11-29T19:00:00Z");
  BOOST_REQUIRE(z.ok());
  BOOST_TEST(rfc3339_utc(*z) == "2027-11-29T19:00:00Z");
  BOOST_TEST(rfc3339_utc(*parse_rfc3339("2027-11-29T20:30:00.123+01:30")) ==
             "2027-11-29T19:00:00Z");
  BOOST_TEST(rfc3339_utc(*parse_rfc3339("2027-11-29T17:00:00-02:00")) == "2027-11-29T19:00:00Z");
  for (const char* bad :
       {"2027-11-29", "2027-13-29T19:00:00Z", "2027-11-29T19:00:00", "2027-11-29T19:00:00Zjunk",
        "2027-11-29T19:00:00.Z", "x027-11-29T19:00:00Z"})
    BOOST_TEST(!parse_rfc3339(bad).ok(), bad);
}

BOOST_AUTO_TEST_CASE(server_token_json_and_message_forms) {
  const std::string json =
      R"({"consumer_key":"CK","consumer_secret":"CS","access_token":"AT","access_secret":"AS",)"
      R"("access_token_expiry":"2027-11-29T19:00:00Z"})";
  auto t = dep::parse_server_token(json);
  BOOST_REQUIRE(t.ok());
  BOOST_TEST(t->access_secret == "AS");
  BOOST_TEST(rfc3339_utc(t->access_token_expiry) == "2027-11-29T19:00:00Z");
  auto message = dep::parse_server_token("Content-Type: text/plain\r\n\r\n-----BEGIN MESSAGE-----" +
                                         json + "-----END MESSAGE-----\r\n");
  BOOST_REQUIRE(message.ok());
  BOOST_TEST(message->consumer_key == "CK");
  BOOST_TEST(dep::parse_server_token(dep::encode_server_token(*t))->access_token == "AT");
  auto missing = dep::parse_server_token(R"({"consumer_key":"CK","consumer_secret":"CS"})");
  BOOST_REQUIRE(!missing.ok());
  BOOST_TEST(missing.error().message.find("access_token") != std::string::npos);
  BOOST_TEST(!dep::parse_server_token("-----BEGIN MESSAGE-----{}").ok());
  BOOST_TEST(dep::looks_like_smime("Content-Type: application/pkcs7-mime; name=\"smime.p7m\""));
  BOOST_TEST(!dep::smime_enveloped_der("no body here").ok());
}

BOOST_AUTO_TEST_CASE(dep_answers_keep_unknown_keys_out_and_refuse_wrong_types) {
  auto page = dep::parse_fetch_response(
      R"({"cursor":"c2","more_to_follow":false,"fetched_until":"2026-11-29T19:00:00Z",)"
      R"("devices":[{"serial_number":"C02X","op_type":"added","new_apple_field":1}]})");
  BOOST_REQUIRE(page.ok());
  BOOST_TEST(page->devices.size() == 1u);
  BOOST_TEST(page->devices[0].op_type == "added");
  BOOST_TEST(!dep::parse_fetch_response(R"({"cursor":5})").ok());
  BOOST_TEST(!dep::parse_fetch_response(R"({"devices":[{"model":"no serial"}]})").ok());
  BOOST_TEST(!dep::parse_fetch_response(R"({"more_to_follow":"yes"})").ok());
  auto result = dep::parse_profile_result(R"({"profile_uuid":"P","devices":{"A":"SUCCESS"}})");
  BOOST_REQUIRE(result.ok());
  BOOST_TEST(result->devices.at("A") == "SUCCESS");
  BOOST_TEST(!dep::parse_profile_result(R"({"devices":{"A":1}})").ok());
  BOOST_TEST(!dep::parse_session_answer(R"({"auth_session_token":""})").ok());
  BOOST_TEST(!dep::parse_account(R"({"server_name":"no uuid"})").ok());
}

BOOST_AUTO_TEST_CASE(machine_info_signed_by_the_openssl_cli_is_read_and_a_changed_byte_refused) {
  auto dir = testing::make_temp_dir("mdmlab-machine-info-");
  testing::write_file(dir + "/info.plist",
                      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
                      "<key>UDID</key><string>0000FE00-1234</string>"
                      "<key>SERIAL</key><string>C02CLI0001</string>"
                      "<key>PRODUCT</key><string>Mac15,3</string></dict></plist>\n");
  auto r = testing::run_command(
      "cd " + dir +
      " && openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -subj /CN=device "
      "-days 1 && openssl cms -sign -nodetach -binary -in info.plist -signer c.pem -inkey k.pem "
      "-outform DER -out signed.der");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const auto der = to_bytes(testing::read_file(dir + "/signed.der"));
  auto info = apple::parse_machine_info(der);
  BOOST_REQUIRE(info.ok());
  BOOST_TEST(info->info.udid == "0000FE00-1234");
  BOOST_TEST(info->info.serial == "C02CLI0001");
  BOOST_TEST(info->info.product == "Mac15,3");
  auto changed = der;
  const auto at = testing::read_file(dir + "/signed.der").find("C02CLI0001");
  BOOST_REQUIRE(at != std::string::npos);
  changed[at] = 'X';
  BOOST_TEST(!apple::parse_machine_info(changed).ok());
  BOOST_TEST(!apple::parse_machine_info(to_bytes("not der")).ok());
}

BOOST_AUTO_TEST_CASE(profile_service_round_trips_and_python_plistlib_reads_it) {
  apple::ProfileService p;
  p.identifier = "com.example.ota";
  p.uuid = "8C7B5E7E-2F1B-4A60-9C1B-6C1B0F4B8E11";
  p.display_name = "Example OTA";
  p.organization = "Example";
  p.url = "https://mdm.example.com/api/latest/fleet/ota_enrollment";
  p.challenge = "0123456789abcdef";
  auto xml = apple::encode_profile_service(p);
  BOOST_REQUIRE(xml.ok());
  auto back = apple::decode_profile_service(*xml);
  BOOST_REQUIRE(back.ok());
  BOOST_TEST(back->url == p.url);
  BOOST_TEST(back->challenge == p.challenge);
  BOOST_TEST(back->device_attributes.size() == 4u);
  auto dir = testing::make_temp_dir("mdmlab-ota-");
  testing::write_file(dir + "/ps.plist", *xml);
  auto r = testing::run_command(
      "/usr/bin/python3 -c \"import plistlib; p = plistlib.load(open('" + dir +
      "/ps.plist', 'rb')); print(p['PayloadType'], p['PayloadContent']['URL'], "
      "p['PayloadContent']['DeviceAttributes'][3])\"");
  BOOST_TEST(r.output.find("Profile Service https://mdm.example.com/api/latest/fleet/"
                           "ota_enrollment SERIAL") != std::string::npos,
             r.output);
  auto wrong = *xml;
  wrong.replace(wrong.find("Profile Service"), 15, "Configuration");
  BOOST_TEST(!apple::decode_profile_service(wrong).ok());
  auto ftp = *xml;
  ftp.replace(ftp.find("https://"), 8, "ftp://");
  BOOST_TEST(!apple::decode_profile_service(ftp).ok());
}

BOOST_AUTO_TEST_SUITE_END()
