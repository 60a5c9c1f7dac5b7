// Flyve-style agent enrollment (protocol/agent/agent_enrollment.hpp): the seed's request reads;
// refusals carry GLPI's codes and come out as ["CODE", "message"]; serials that would break an
// MQTT topic are refused; versions compare as semver; the settings answer has the seed's shape.
#include <boost/test/unit_test.hpp>

#include "protocol/agent/agent_enrollment.hpp"

using namespace mdmlab;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(agent_enrollment)

BOOST_AUTO_TEST_CASE(the_seeds_request_reads) {
  auto r = agent::parse_enrollment(R"({"input": {"_email": "ada@contoso.example",
    "_invitation_token": "lkhjfkgsdf546634s", "_serial": "0123456ATDJ-045", "csr": "",
    "firstname": "my first name", "lastname": "my lastname", "version": "0.99.0",
    "type": "android", "inventory": {"model": "Pixel"}}})")
               .value();
  BOOST_TEST(r.email == "ada@contoso.example");
  BOOST_TEST(r.invitation_token == "lkhjfkgsdf546634s");
  BOOST_TEST(r.serial == "0123456ATDJ-045");
  BOOST_TEST(r.version == "0.99.0");
  BOOST_TEST(r.inventory["model"] == "Pixel");
}

BOOST_AUTO_TEST_CASE(refusals_have_glpi_codes_and_the_array_shape) {
  BOOST_TEST(agent::parse_enrollment("not json").error().code == agent::kJsonPayloadInvalid);
  BOOST_TEST(agent::parse_enrollment(R"({"input": []})").error().code == agent::kBadArray);
  BOOST_TEST(agent::parse_enrollment(R"({"input": {"_email": 7}})").error().code ==
             agent::kAddFailed);
  for (const char* serial : {"a/b", "a+b", "a#", "", "tab\there"}) {
    json body{{"input", {{"_email", "a@b"}, {"_invitation_token", "t"}, {"_serial", serial}}}};
    BOOST_TEST(agent::parse_enrollment(body.dump()).error().code == agent::kAddFailed, serial);
  }
  auto a = json::parse(agent::error_array(agent::kAddFailed, "wrong email address"));
  BOOST_TEST(a.is_array());
  BOOST_TEST(a.size() == 2u);
  BOOST_TEST(a[0] == "ERROR_GLPI_ADD");
  BOOST_TEST(a[1] == "wrong email address");
}

BOOST_AUTO_TEST_CASE(versions_compare_as_semver) {
  BOOST_TEST(agent::version_at_least("1.0.0", "0.99.0"));
  BOOST_TEST(agent::version_at_least("0.99.0", "0.99.0"));
  BOOST_TEST(agent::version_at_least("0.100.0", "0.99.9"));
  BOOST_TEST(!agent::version_at_least("0.98.12", "0.99.0"));
  BOOST_TEST(agent::version_at_least("2.1.0-beta+7", "2.0.0"));
  BOOST_TEST(!agent::version_at_least("two", "0.1.0"));
  BOOST_TEST(!agent::version_at_least("1.0", "0.1.0"));
}

BOOST_AUTO_TEST_CASE(settings_have_the_seeds_shape) {
  agent::AgentSettings s;
  s.id = 17;
  s.entity_id = 76;
  s.computer_id = 65;
  s.fleet_id = 103;
  s.name = "ada@contoso.example";
  s.topic = agent::agent_topic(76, "AZERTY");
  s.broker = "127.0.0.1";
  s.api_base = "https://mdm.example/api";
  auto j = agent::settings_json(s);
  BOOST_TEST(j["topic"] == "/76/agent/AZERTY");
  BOOST_TEST(j["tls"] == 1);
  BOOST_TEST(j["port"] == 8883);
  BOOST_TEST(j["links"][0]["href"] == "https://mdm.example/api/Computer/65");
  BOOST_TEST(j["links"][2]["rel"] == "PluginFlyvemdmFleet");
}

BOOST_AUTO_TEST_SUITE_END()
