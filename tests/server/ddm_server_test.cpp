// Declarative Device Management on the reference server (issue 13): the check-in endpoints
// serve an active enrollment its own declarations only, status reports are stored per
// declaration (a bad one is 400 and stores nothing), admin changes queue DeclarativeManagement
// carrying the enrollment's SyncTokens, and the admin API refuses bad declarations.
#include <boost/test/unit_test.hpp>

#include "protocol/apple/ddm/status_report.hpp"
#include "protocol/apple/ddm/sync_messages.hpp"
#include "protocol/plist/xml.hpp"
#include "tests/server/apple_fixture.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using nlohmann::json;
namespace ddm = mdmlab::apple::ddm;

namespace {
net::HttpResponse ddm_checkin(AppleFixture& f, net::HttpClient& http, const std::string& udid,
                              const std::string& endpoint, const std::string& data = {}) {
  apple::Checkin c;
  c.type = apple::CheckinType::declarative_management;
  c.udid = udid;
  c.topic = "com.apple.mgmt.External.mdmlab";
  c.endpoint = endpoint;
  c.data = to_bytes(data);
  return f.put(http, apple::kCheckinContentType, apple::encode_checkin(c).value());
}

net::HttpResponse admin(AppleFixture& f, const std::string& method, const std::string& target,
                        const std::string& body = {}) {
  net::HttpClient http(f.io.executor(), f.server->http_url());
  net::HttpRequest req;
  req.method = method;
  req.target = target;
  req.headers = {{"Authorization", "Bearer " + f.admin_token}};
  if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
  req.body = body;
  return f.run(http.send(req)).value();
}

void enroll(AppleFixture& f, net::HttpClient& http, const std::string& udid) {
  BOOST_REQUIRE(f.checkin(http, f.authenticate(udid)) == 200);
  BOOST_REQUIRE(f.checkin(http, f.token_update(udid)) == 200);
}

const char* kPasscode =
    R"({"Type":"com.apple.configuration.passcode.settings","Identifier":"pc-1",)"
    R"("Payload":{"MinimumLength":8}})";
}  // namespace

BOOST_AUTO_TEST_SUITE(ddm_server)

BOOST_AUTO_TEST_CASE(an_enrollment_reads_its_own_declarations_only) {
  AppleFixture f;
  auto a = f.enroll_identity(60, "UDID-DDM-A");
  auto b = f.enroll_identity(61, "UDID-DDM-B");
  auto http_a = f.device_client(&a);
  auto http_b = f.device_client(&b);
  enroll(f, http_a, a.udid);
  enroll(f, http_b, b.udid);

  auto put = admin(f, "PUT", "/admin/v1/apple/ddm/declarations", kPasscode);
  BOOST_REQUIRE_MESSAGE(put.status == 200, put.body);
  const auto token = json::parse(put.body)["server_token"].get<std::string>();
  BOOST_TEST(admin(f, "PUT", "/admin/v1/apple/ddm/sets/s1/declarations/pc-1").status == 200);
  auto assigned = admin(f, "PUT", "/admin/v1/apple/ddm/enrollments/UDID-DDM-A/sets/s1");
  BOOST_REQUIRE(assigned.status == 200);
  BOOST_TEST(json::parse(assigned.body)["notified"] == 1);

  // A's DeclarativeManagement command carries its SyncTokens.
  auto cmd = f.report(http_a, a.udid, apple::CommandStatus::idle);
  auto decoded = apple::decode_command(cmd.body).value();
  BOOST_TEST(decoded.request_type() == "DeclarativeManagement");
  auto data = decoded.command.find("Data");
  BOOST_REQUIRE(data && data->data());
  auto carried = ddm::parse_tokens(to_string(*data->data())).value();

  auto tokens_a = ddm::parse_tokens(ddm_checkin(f, http_a, a.udid, "tokens").body).value();
  BOOST_TEST(tokens_a.declarations_token == carried.declarations_token);
  auto items =
      ddm::parse_declaration_items(ddm_checkin(f, http_a, a.udid, "declaration-items").body)
          .value();
  BOOST_REQUIRE(items.configurations.size() == 1);
  BOOST_TEST(items.configurations[0].server_token == token);
  BOOST_TEST(items.declarations_token == tokens_a.declarations_token);
  auto got = ddm_checkin(f, http_a, a.udid, "declaration/configuration/pc-1");
  BOOST_TEST(got.header("Content-Type") == "application/json");
  BOOST_TEST(ddm::parse_declaration(got.body, true).value().payload["MinimumLength"] == 8);

  // B is in no set: another token, and A's declaration is not B's to read.
  auto tokens_b = ddm::parse_tokens(ddm_checkin(f, http_b, b.udid, "tokens").body).value();
  BOOST_TEST(tokens_b.declarations_token != tokens_a.declarations_token);
  BOOST_TEST(ddm_checkin(f, http_b, b.udid, "declaration/configuration/pc-1").status == 404);
  BOOST_TEST(ddm_checkin(f, http_a, a.udid, "declaration/asset/pc-1").status == 404);
  BOOST_TEST(ddm_checkin(f, http_a, a.udid, "declarations").status == 400);

  // A changed declaration changes A's token; an unchanged PUT changes nothing.
  BOOST_TEST(
      json::parse(admin(f, "PUT", "/admin/v1/apple/ddm/declarations", kPasscode).body)["changed"] ==
      false);
  std::string changed = kPasscode;
  changed.replace(changed.find("8}"), 1, "10");
  auto again = admin(f, "PUT", "/admin/v1/apple/ddm/declarations", changed);
  BOOST_TEST(json::parse(again.body)["changed"] == true);
  BOOST_TEST(json::parse(again.body)["notified"] == 1);
  BOOST_TEST(
      ddm::parse_tokens(ddm_checkin(f, http_a, a.udid, "tokens").body).value().declarations_token !=
      tokens_a.declarations_token);
}

BOOST_AUTO_TEST_CASE(status_reports_are_stored_and_bad_ones_store_nothing) {
  AppleFixture f;
  auto a = f.enroll_identity(62, "UDID-DDM-S");
  auto http = f.device_client(&a);
  enroll(f, http, a.udid);
  ddm::StatusReport r;
  r.full_report = true;
  ddm::DeclarationStatus s;
  s.identifier = "pc-1";
  s.valid = "invalid";
  s.server_token = "t1";
  s.reasons = json::array({{{"code", "Error.InvalidPayload"}, {"description", "bad"}}});
  r.declarations.push_back(s);
  r.errors = json::array({{{"StatusItem", "device.model"}, {"Reasons", json::array()}}});
  BOOST_TEST(ddm_checkin(f, http, a.udid, "status", ddm::encode_status_report(r)).status == 200);
  auto view =
      json::parse(admin(f, "GET", "/admin/v1/apple/ddm/enrollments/UDID-DDM-S/status").body);
  BOOST_REQUIRE(view["declarations"].size() == 1);
  BOOST_TEST(view["declarations"][0]["valid"] == "invalid");
  BOOST_TEST(view["declarations"][0]["reasons"][0]["code"] == "Error.InvalidPayload");
  BOOST_TEST(view["errors"].size() == 1);

  for (const char* bad : {"not json", "[]", R"({"StatusItems":[]})",
                          R"({"StatusItems":{"management":{"declarations":{"configurations":)"
                          R"([{"identifier":"pc-1","valid":"maybe"}]}}}})",
                          R"({"StatusItems":{},"StatusItems":{}})"}) {
    BOOST_TEST(ddm_checkin(f, http, a.udid, "status", bad).status == 400, bad);
  }
  auto after =
      json::parse(admin(f, "GET", "/admin/v1/apple/ddm/enrollments/UDID-DDM-S/status").body);
  BOOST_TEST(after == view);
  auto metrics = f.server->metrics().render();
  BOOST_TEST(metrics.find("mdmlab_ddm_checkins_total{endpoint=\"status\",code=\"400\"} 5") !=
                 std::string::npos,
             metrics);
  BOOST_TEST(metrics.find("mdmlab_ddm_declaration_status_total{valid=\"invalid\"} 1") !=
             std::string::npos);

  // CheckOut ends DDM for the enrollment.
  apple::Checkin out;
  out.type = apple::CheckinType::check_out;
  out.udid = a.udid;
  out.topic = "com.apple.mgmt.External.mdmlab";
  BOOST_REQUIRE(f.checkin(http, out) == 200);
  BOOST_TEST(ddm_checkin(f, http, a.udid, "tokens").status == 400);
}

BOOST_AUTO_TEST_CASE(the_admin_api_refuses_bad_declarations_and_names) {
  AppleFixture f;
  for (const char* bad :
       {R"({"Type":"com.example.thing","Identifier":"x"})",
        R"({"Type":"com.apple.configuration.x"})",
        R"({"Type":"com.apple.configuration.x","Identifier":"a/b"})",
        R"({"Type":"com.apple.configuration.x","Identifier":"x","Payload":[]})",
        R"({"Type":"com.apple.configuration.x","Identifier":"x","Identifier":"y"})"}) {
    auto r = admin(f, "PUT", "/admin/v1/apple/ddm/declarations", bad);
    BOOST_TEST(r.status == 400, bad << " -> " << r.status << " " << r.body);
  }
  BOOST_TEST(admin(f, "PUT", "/admin/v1/apple/ddm/sets/s1/declarations/nope").status == 404);
  BOOST_TEST(admin(f, "DELETE", "/admin/v1/apple/ddm/declarations/nope").status == 404);
  BOOST_TEST(admin(f, "PUT", "/admin/v1/apple/ddm/enrollments/U1/sets/").status == 400);
  BOOST_TEST(json::parse(admin(f, "GET", "/admin/v1/apple/ddm/declarations").body)["declarations"]
                 .empty());
  net::HttpClient http(f.io.executor(), f.server->http_url());
  net::HttpRequest unauth;
  unauth.method = "GET";
  unauth.target = "/admin/v1/apple/ddm/declarations";
  BOOST_TEST(f.run(http.send(unauth)).value().status == 401);
}

BOOST_AUTO_TEST_SUITE_END()
