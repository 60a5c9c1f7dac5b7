#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "protocol/apple/apns.hpp"
#include "protocol/apple/checkin.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/plist/xml.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using namespace mdmlab::apple;

BOOST_AUTO_TEST_SUITE(apple_protocol)

BOOST_AUTO_TEST_CASE(checkins_round_trip_and_python_reads_them) {
  Checkin auth;
  auth.type = CheckinType::authenticate;
  auth.udid = "0000FE00-5F3C1B2D7A1E5D3C";
  auth.topic = "com.apple.mgmt.External.5a1e";
  auth.serial_number = "C02XL0GHJGH5";
  auth.model = "Mac14,2";
  auth.os_version = "14.5";
  auth.build_version = "23F79";
  auth.device_name = "Ada's Mac";
  auto xml = encode_checkin(auth).value();
  auto back = decode_checkin(xml).value();
  BOOST_TEST((back.type == CheckinType::authenticate));
  BOOST_TEST(back.udid == auth.udid);
  BOOST_TEST(back.serial_number == auth.serial_number);
  BOOST_TEST(back.device_name == "Ada's Mac");

  Checkin tu;
  tu.type = CheckinType::token_update;
  tu.udid = auth.udid;
  tu.topic = auth.topic;
  tu.token = Bytes(32, 0xAB);
  tu.push_magic = "PUSH-MAGIC-1";
  tu.unlock_token = Bytes(100, 0x01);
  tu.awaiting_configuration = false;
  auto tu_xml = encode_checkin(tu).value();
  auto tu_back = decode_checkin(tu_xml).value();
  BOOST_TEST((tu_back.token == tu.token));
  BOOST_TEST(tu_back.push_magic == "PUSH-MAGIC-1");
  BOOST_TEST(tu_back.awaiting_configuration.value() == false);

  auto dir = testing::make_temp_dir("mdmlab-apple-");
  testing::write_file(dir + "/tu.plist", tu_xml);
  auto py = testing::run_command(
      "python3 -c \"import plistlib; d = plistlib.load(open('" + dir +
      "/tu.plist', 'rb')); print(d['MessageType'], d['Token'].hex()[:8], d['PushMagic'])\"");
  BOOST_TEST(py.exit_code == 0, py.output);
  BOOST_TEST(py.output == "TokenUpdate abababab PUSH-MAGIC-1\n");
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(bad_checkins_are_refused) {
  auto wrap = [](const std::string& dict) {
    return "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>" + dict + "</dict></plist>";
  };
  BOOST_TEST(!decode_checkin("garbage").ok());
  BOOST_TEST(
      !decode_checkin(
           wrap("<key>MessageType</key><string>Hack</string><key>UDID</key><string>x</string>"))
           .ok());
  BOOST_TEST(!decode_checkin(wrap("<key>MessageType</key><string>Authenticate</string><key>Topic</"
                                  "key><string>t</string>"))
                  .ok());
  BOOST_TEST(
      !decode_checkin(
           wrap(
               "<key>MessageType</key><string>TokenUpdate</string><key>UDID</key><string>x</string>"
               "<key>Topic</key><string>t</string>"))
           .ok());
  auto checkout = decode_checkin(
      wrap("<key>MessageType</key><string>CheckOut</string><key>UDID</key><string>x</string>"
           "<key>Topic</key><string>t</string>"));
  BOOST_REQUIRE(checkout.ok());
  BOOST_TEST((checkout->type == CheckinType::check_out));
  BOOST_TEST(
      !decode_checkin("<?xml version=\"1.0\"?><plist version=\"1.0\"><array/></plist>").ok());
}

BOOST_AUTO_TEST_CASE(checkin_fields_of_the_wrong_plist_type_are_refused) {
  auto wrap = [](const std::string& dict) {
    return "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>" + dict + "</dict></plist>";
  };
  const std::string token_update =
      "<key>MessageType</key><string>TokenUpdate</string><key>UDID</key><string>u1</string>"
      "<key>Topic</key><string>t</string><key>Token</key><data>AAEC</data>"
      "<key>PushMagic</key><string>m</string>";
  BOOST_REQUIRE(decode_checkin(wrap(token_update)).ok());
  // Each field swapped for another type: once read as "" (or ignored) and accepted.
  const std::vector<std::pair<std::string, std::string>> swaps{
      {"<key>Topic</key><string>t</string>", "<key>Topic</key><integer>-5</integer>"},
      {"<key>PushMagic</key><string>m</string>", "<key>PushMagic</key><integer>7</integer>"},
      {"<key>PushMagic</key><string>m</string>", "<key>PushMagic</key><data>AAEC</data>"},
      {"<key>UDID</key><string>u1</string>", "<key>UDID</key><array><string>u1</string></array>"},
      {"<key>Token</key><data>AAEC</data>", "<key>Token</key><string>AAEC</string>"},
      {"<key>MessageType</key><string>TokenUpdate</string>", "<key>MessageType</key><true/>"},
  };
  for (const auto& [from, to] : swaps) {
    auto body = token_update;
    body.replace(body.find(from), from.size(), to);
    auto r = decode_checkin(wrap(body));
    BOOST_TEST(!r.ok(), to);
    if (!r.ok()) BOOST_TEST(r.error().code == "bad_checkin");
  }
  for (const std::string extra :
       {"<key>AwaitingConfiguration</key><string>no</string>",
        "<key>UnlockToken</key><integer>1</integer>", "<key>EnrollmentID</key><dict/>",
        "<key>SerialNumber</key><integer>12345</integer>", "<key>UserID</key><false/>"}) {
    auto r = decode_checkin(wrap(token_update + extra));
    BOOST_TEST(!r.ok(), extra);
  }
  // Keys we do not decode keep whatever type the device sent.
  auto other =
      decode_checkin(wrap(token_update + "<key>NotOnConsole</key><string>whatever</string>"));
  BOOST_TEST(other.ok());
}

BOOST_AUTO_TEST_CASE(command_report_fields_of_the_wrong_plist_type_are_refused) {
  auto wrap = [](const std::string& dict) {
    return "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>" + dict + "</dict></plist>";
  };
  BOOST_REQUIRE(decode_command_report(
                    wrap("<key>Status</key><string>Idle</string><key>UDID</key><string>u</string>"))
                    .ok());
  for (const std::string dict :
       {"<key>Status</key><string>Idle</string><key>UDID</key><string>u</string><key>CommandUUID</"
        "key><integer>1</integer>",
        "<key>Status</key><string>Idle</string><key>UDID</key><integer>42</"
        "integer><key>EnrollmentID</key><string>e</string>",
        "<key>Status</key><array/><key>UDID</key><string>u</string>",
        "<key>Status</key><string>Idle</string><key>UDID</key><string>u</string><key>UserID</"
        "key><data>AA==</data>",
        "<key>Status</key><string>Error</string><key>UDID</key><string>u</string><key>CommandUUID</"
        "key><string>c</string>"
        "<key>ErrorChain</key><dict/>",
        "<key>Status</key><string>Error</string><key>UDID</key><string>u</string><key>CommandUUID</"
        "key><string>c</string>"
        "<key>ErrorChain</key><array><string>x</string></array>",
        "<key>Status</key><string>Error</string><key>UDID</key><string>u</string><key>CommandUUID</"
        "key><string>c</string>"
        "<key>ErrorChain</key><array><dict><key>ErrorCode</key><string>12021</string></dict></"
        "array>"}) {
    auto r = decode_command_report(wrap(dict));
    BOOST_TEST(!r.ok(), dict);
    if (!r.ok()) BOOST_TEST(r.error().code == "bad_report");
  }
}

BOOST_AUTO_TEST_CASE(command_reports_with_error_chains_and_commands_round_trip) {
  CommandReport r;
  r.status = CommandStatus::error;
  r.udid = "UDID-1";
  r.command_uuid = "CMD-1";
  r.error_chain.push_back({12021, "MCMDMErrorDomain", "Unknown command", "Unknown command"});
  auto xml = encode_command_report(r).value();
  auto back = decode_command_report(xml).value();
  BOOST_TEST((back.status == CommandStatus::error));
  BOOST_REQUIRE(back.error_chain.size() == 1u);
  BOOST_TEST(back.error_chain[0].error_code == 12021);
  BOOST_TEST(back.error_chain[0].error_domain == "MCMDMErrorDomain");

  plist::Value fields;
  plist::Value info;
  info.set("OSVersion", "14.5").set("SerialNumber", "C02");
  fields.set("QueryResponses", info);
  CommandReport ack{CommandStatus::acknowledged, "UDID-1", "", "CMD-2", {}, {}};
  auto ack_back = decode_command_report(encode_command_report(ack, fields).value()).value();
  BOOST_TEST(ack_back.raw.find("QueryResponses")->string_or("OSVersion") == "14.5");

  BOOST_TEST(!decode_command_report(
                  "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>Status</key>"
                  "<string>Acknowledged</string><key>UDID</key><string>u</string></dict></plist>")
                  .ok());  // no CommandUUID
  auto idle = decode_command_report(
      "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>Status</key>"
      "<string>Idle</string><key>UDID</key><string>u</string></dict></plist>");
  BOOST_TEST(idle.ok());

  Command c;
  c.command_uuid = "CMD-3";
  c.command.set("RequestType", "DeviceInformation")
      .set("Queries", plist::Array{"OSVersion", "UDID"});
  auto cxml = encode_command(c).value();
  auto cback = decode_command(cxml).value();
  BOOST_TEST(cback.command_uuid == "CMD-3");
  BOOST_TEST(cback.request_type() == "DeviceInformation");
  BOOST_TEST(!decode_command("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict/></plist>").ok());
  Command no_type;
  no_type.command_uuid = "x";
  BOOST_TEST(!encode_command(no_type).ok());
}

// A misbehaving APNs endpoint's reason text must not become a label value as it is.
BOOST_AUTO_TEST_CASE(apns_answers_map_onto_a_fixed_set_of_metric_labels) {
  BOOST_TEST(apns_reason_label(400, "BadDeviceToken") == "BadDeviceToken");
  BOOST_TEST(apns_reason_label(410, "Unregistered") == "Unregistered");
  BOOST_TEST(apns_reason_label(400, "x\" evil=\"1") == "other");
  BOOST_TEST(apns_reason_label(400, std::string(5000, 'A')) == "other");
  BOOST_TEST(apns_reason_label(0, "connection refused") == "transport");
  BOOST_TEST(apns_reason_label(200, "") == "");
  BOOST_TEST(apns_status_label(429) == "429");
  BOOST_TEST(apns_status_label(299) == "other");
}

BOOST_AUTO_TEST_SUITE_END()
