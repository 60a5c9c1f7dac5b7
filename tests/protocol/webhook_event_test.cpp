// MicroMDM-style webhook events (protocol/apple/webhook_event.hpp): what we write reads back the
// same, a report's event carries its Status and CommandUUID, and each malformed shape is
// refused with the reason.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "protocol/apple/webhook_event.hpp"

using namespace mdmlab;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(webhook_event)

BOOST_AUTO_TEST_CASE(a_command_report_event_round_trips) {
  apple::WebhookEvent e;
  e.topic = apple::kConnectTopic;
  e.event_id = "e-1";
  e.created_at = "2026-11-29T13:40:00Z";
  e.acknowledge = true;
  e.udid = "1E2F3A4B-0000-4000-8000-000000000001";
  e.id = e.udid;
  e.id_type = "Device";
  e.status = "Acknowledged";
  e.command_uuid = "0F6E5A5E-2E55-4C43-9B8B-5A2B7C7D1E11";
  e.url_params = {{"tenant", "a b"}};
  e.raw_payload = to_bytes("<plist version=\"1.0\"><dict/></plist>");
  auto text = apple::encode_webhook_event(e);
  auto j = json::parse(text);
  BOOST_TEST(j["topic"] == "mdm.Connect");
  BOOST_TEST(j["acknowledge_event"]["status"] == "Acknowledged");
  BOOST_TEST(j["acknowledge_event"]["ids"]["type"] == "Device");
  BOOST_TEST(!j.contains("checkin_event"));
  BOOST_TEST(j["acknowledge_event"]["raw_payload"] ==
             base64_encode(to_bytes("<plist version=\"1.0\"><dict/></plist>")));
  auto back = apple::decode_webhook_event(text);
  BOOST_REQUIRE(back.ok());
  BOOST_TEST(back->command_uuid == e.command_uuid);
  BOOST_TEST(back->url_params.at("tenant") == "a b");
  BOOST_TEST(back->raw_payload == e.raw_payload);
  BOOST_TEST(apple::encode_webhook_event(*back) == text);
}

BOOST_AUTO_TEST_CASE(a_token_update_event_carries_its_tally) {
  apple::WebhookEvent e;
  e.topic = apple::webhook_topic(apple::CheckinType::token_update);
  e.created_at = "2026-11-29T13:40:00Z";
  e.udid = "U";
  e.id = "U:alice";
  e.id_type = "User";
  e.parent_id = "U";
  e.token_update_tally = 2;
  auto j = json::parse(apple::encode_webhook_event(e));
  BOOST_TEST(j["topic"] == "mdm.TokenUpdate");
  BOOST_TEST(j["checkin_event"]["token_update_tally"] == 2);
  BOOST_TEST(j["checkin_event"]["ids"]["parent_id"] == "U");
  BOOST_TEST(!j.contains("event_id"));
}

BOOST_AUTO_TEST_CASE(malformed_events_are_refused_with_the_reason) {
  const std::string payload = R"("raw_payload": "PGRpY3QvPg==")";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[]", "not a JSON object"},
      {R"({"topic": "mdm.Connect", "created_at": "x", "topic": "mdm.Connect"})", "duplicate key"},
      {R"({"topic": "mdm.Nope", "created_at": "x", "checkin_event": {)" + payload + "}}",
       "unknown topic"},
      {R"({"topic": "mdm.Authenticate", "checkin_event": {)" + payload + "}}",
       "created_at is missing"},
      {R"({"topic": "mdm.Authenticate", "created_at": "x"})", "exactly one"},
      {R"({"topic": "mdm.Connect", "created_at": "x", "checkin_event": {)" + payload + "}}",
       "goes with mdm.Connect"},
      {R"({"topic": "mdm.Connect", "created_at": "x", "acknowledge_event": {)" + payload + "}}",
       "status is missing"},
      {R"({"topic": "mdm.Authenticate", "created_at": "x", "checkin_event": {"udid": 7, )" +
           payload + "}}",
       "udid is not a string"},
      {R"({"topic": "mdm.Authenticate", "created_at": "x", "checkin_event": {}})",
       "raw_payload is missing"},
      {R"({"topic": "mdm.Authenticate", "created_at": "x", "checkin_event": {"raw_payload": "!!"}})",
       "not base64"},
      {R"({"topic": "mdm.TokenUpdate", "created_at": "x", "checkin_event": {"token_update_tally": "1", )" +
           payload + "}}",
       "not an integer"},
  };
  for (const auto& [body, why] : cases) {
    auto r = apple::decode_webhook_event(body);
    BOOST_TEST_CONTEXT(body) {
      BOOST_REQUIRE(!r.ok());
      BOOST_TEST(r.error().message.find(why) != std::string::npos, r.error().message);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
