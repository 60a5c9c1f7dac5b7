// The Apple check-in and command loop over HTTPS with mTLS device identities issued by our
// own SCEP, driven by raw plists (the simulated Mac comes with the next step of issue 3).
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "core/db/sqlite.hpp"
#include "protocol/apple/checkin.hpp"
#include "protocol/apple/command.hpp"
#include "server/store/sqlite/sqlite_apple_store.hpp"
#include "tests/server/apple_fixture.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using namespace mdmlab::apple;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(apple_mdm)

BOOST_AUTO_TEST_CASE(enroll_checkin_and_command_round_trip_over_mtls) {
  AppleFixture f;
  auto mac = f.enroll_identity(40, "UDID-MAC-1");
  auto http = f.device_client(&mac);
  BOOST_TEST(f.checkin(http, f.authenticate(mac.udid)) == 200);
  // Before TokenUpdate the enrollment is not active.
  BOOST_TEST(f.report(http, mac.udid, CommandStatus::idle).status == 401);
  BOOST_TEST(f.checkin(http, f.token_update(mac.udid)) == 200);
  BOOST_TEST(f.checkin(http, f.token_update(mac.udid)) == 200);  // routine resend
  auto e = f.from_store(f.server->apple_store().find_enrollment(mac.udid)).value();
  BOOST_TEST(e.enabled);
  BOOST_TEST(e.token_update_count == 2);
  BOOST_TEST(e.push_magic == "MAGIC-" + mac.udid);

  BOOST_TEST(f.report(http, mac.udid, CommandStatus::idle).body.empty());
  auto uuid = f.enqueue({mac.udid}, "DeviceInformation");
  auto offered = f.report(http, mac.udid, CommandStatus::idle);
  BOOST_TEST(offered.status == 200);
  auto cmd = decode_command(offered.body).value();
  BOOST_TEST(cmd.command_uuid == uuid);
  BOOST_TEST(cmd.request_type() == "DeviceInformation");
  plist::Value fields;
  plist::Value answers;
  answers.set("OSVersion", "14.5");
  fields.set("QueryResponses", answers);
  BOOST_TEST(f.report(http, mac.udid, CommandStatus::acknowledged, uuid, fields).body.empty());
  auto results = f.from_store(f.server->apple_store().command_results(uuid));
  BOOST_REQUIRE(results.size() == 1u);
  BOOST_TEST(results[0].status == "Acknowledged");
  BOOST_TEST(!results[0].active);
  BOOST_TEST(results[0].result_plist.find("<string>14.5</string>") != std::string::npos);
  BOOST_TEST(f.admin("GET", "/admin/v1/apple/devices") == 200);
  BOOST_TEST(f.admin("GET", "/admin/v1/apple/commands/" + uuid) == 200);
  BOOST_TEST(f.admin("GET", "/admin/v1/apple/commands/NOPE") == 404);
  // The collection exists for POST: GET there is 405 (it once fell into the '/*' route).
  BOOST_TEST(f.admin("GET", "/admin/v1/apple/commands") == 405);
  BOOST_TEST(f.admin("GET", "/admin/v1/apple/commands/") == 404);
}

BOOST_AUTO_TEST_CASE(not_now_is_skipped_until_idle_and_errors_keep_their_chain) {
  AppleFixture f;
  auto mac = f.enroll_identity(41, "UDID-MAC-2");
  auto http = f.device_client(&mac);
  BOOST_REQUIRE(f.checkin(http, f.authenticate(mac.udid)) == 200);
  BOOST_REQUIRE(f.checkin(http, f.token_update(mac.udid)) == 200);
  auto a = f.enqueue({mac.udid}, "InstalledApplicationList");
  auto b = f.enqueue({mac.udid}, "SecurityInfo");
  auto urgent = f.enqueue({mac.udid}, "ProfileList", 10);
  BOOST_TEST(f.command_in(f.report(http, mac.udid, CommandStatus::idle)) ==
             urgent);  // priority first
  BOOST_TEST(f.command_in(f.report(http, mac.udid, CommandStatus::acknowledged, urgent)) == a);
  // NotNow: the next non-Idle answer skips it...
  BOOST_TEST(f.command_in(f.report(http, mac.udid, CommandStatus::not_now, a)) == b);
  BOOST_TEST(f.command_in(f.report(http, mac.udid, CommandStatus::error, b)).empty());
  // ...and Idle offers it again.
  BOOST_TEST(f.command_in(f.report(http, mac.udid, CommandStatus::idle)) == a);
  BOOST_TEST(f.command_in(f.report(http, mac.udid, CommandStatus::not_now, a)).empty());
  BOOST_TEST(f.command_in(f.report(http, mac.udid, CommandStatus::idle)) == a);
  BOOST_TEST(f.command_in(f.report(http, mac.udid, CommandStatus::acknowledged, a)).empty());
  auto ra = f.from_store(f.server->apple_store().command_results(a)).at(0);
  BOOST_TEST(ra.status == "Acknowledged");
  BOOST_TEST(ra.not_now_count == 2);
  auto rb = f.from_store(f.server->apple_store().command_results(b)).at(0);
  BOOST_TEST(rb.status == "Error");
  BOOST_TEST(rb.result_plist.find("<integer>12021</integer>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(admin_json_bodies_need_the_json_type_and_strict_json) {
  AppleFixture f;
  auto mac = f.enroll_identity(46, "UDID-MAC-JSON");
  auto http = f.device_client(&mac);
  BOOST_REQUIRE(f.checkin(http, f.authenticate(mac.udid)) == 200);
  auto post = [&](const std::string& target, const std::string& content_type,
                  const std::string& body) {
    net::HttpClient admin(f.io.executor(), f.server->http_url());
    net::HttpRequest req;
    req.method = "POST";
    req.target = target;
    req.headers = {{"Authorization", "Bearer " + f.admin_token}};
    if (!content_type.empty()) req.headers.emplace_back("Content-Type", content_type);
    req.body = body;
    return f.run(admin.send(req)).value().status;
  };
  const std::string cmds = "/admin/v1/apple/commands", push = "/admin/v1/apple/push";
  const std::string udids = "\"udids\":[\"" + mac.udid + "\"],\"no_push\":true";
  auto body = [&](const std::string& rest) {
    return "{" + udids + ",\"command\":{\"RequestType\":\"ProfileList\"}" + rest + "}";
  };
  BOOST_TEST(post(cmds, "application/json", body("")) == 201);
  BOOST_TEST(post(cmds, "Application/JSON; charset=utf-8", body("")) == 201);
  for (const char* ct :
       {"", "text/plain", "application/jsonx", "application/x-www-form-urlencoded"}) {
    BOOST_TEST(post(cmds, ct, body("")) == 415, ct);
    BOOST_TEST(post(push, ct, "{" + udids + "}") == 415, ct);
  }
  BOOST_TEST(post(cmds, "application/json", body(",\"priority\":1,\"priority\":2")) == 400);
  BOOST_TEST(
      post(cmds, "application/json",
           "{" + udids +
               ",\"command\":{\"RequestType\":\"ProfileList\",\"RequestType\":\"EraseDevice\"}}") ==
      400);
  BOOST_TEST(post(push, "application/json", "{" + udids + ",\"udids\":[\"OTHER\"]}") == 400);
  BOOST_TEST(post(cmds, "application/json", body(",\"priority\":9223372036854775807")) == 201);
  for (const char* p : {"9223372036854775808", "18446744073709551615", "18446744073709551616",
                        "-9223372036854775809", "1e400"})
    BOOST_TEST(post(cmds, "application/json", body(",\"priority\":" + std::string(p))) == 400, p);
  BOOST_TEST(post(cmds, "application/json",
                  "{" + udids +
                      ",\"command\":{\"RequestType\":\"X\",\"N\":99999999999999999999}}") == 400);
  BOOST_TEST(
      post(cmds, "application/json",
           "{" + udids + ",\"command\":{\"RequestType\":\"X\",\"N\":9223372036854775808}}") == 400);
}

BOOST_AUTO_TEST_CASE(authenticate_clears_the_queue_and_checkout_disables) {
  AppleFixture f;
  auto mac = f.enroll_identity(42, "UDID-MAC-3");
  auto http = f.device_client(&mac);
  BOOST_REQUIRE(f.checkin(http, f.authenticate(mac.udid)) == 200);
  BOOST_REQUIRE(f.checkin(http, f.token_update(mac.udid)) == 200);
  f.enqueue({mac.udid}, "DeviceLock");
  BOOST_TEST(f.checkin(http, f.authenticate(mac.udid)) == 200);  // re-enrollment
  BOOST_TEST(f.report(http, mac.udid, CommandStatus::idle).status == 401);
  BOOST_TEST(f.checkin(http, f.token_update(mac.udid)) == 200);
  BOOST_TEST(f.report(http, mac.udid, CommandStatus::idle).body.empty());  // queue was cleared
  Checkin out;
  out.type = CheckinType::check_out;
  out.udid = mac.udid;
  out.topic = "com.apple.mgmt.External.mdmlab";
  BOOST_TEST(f.checkin(http, out) == 200);
  BOOST_TEST(!f.from_store(f.server->apple_store().find_enrollment(mac.udid))->enabled);
  BOOST_TEST(f.report(http, mac.udid, CommandStatus::idle).status == 401);
}

BOOST_AUTO_TEST_CASE(identity_is_bound_to_one_device) {
  AppleFixture f;
  auto mac = f.enroll_identity(43, "UDID-MAC-4");
  auto other = f.enroll_identity(44, "UDID-MAC-5");
  auto http = f.device_client(&mac);
  auto other_http = f.device_client(&other);
  BOOST_REQUIRE(f.checkin(http, f.authenticate(mac.udid)) == 200);
  BOOST_REQUIRE(f.checkin(other_http, f.authenticate(other.udid)) == 200);
  // mac's certificate acting for the other device: 403, and nothing changes.
  BOOST_TEST(f.checkin(http, f.token_update(other.udid)) == 403);
  BOOST_TEST(f.checkin(http, f.authenticate(other.udid)) == 403);
  BOOST_TEST(!f.from_store(f.server->apple_store().find_enrollment(other.udid))->enabled);
  // No identity at all.
  auto anonymous = f.device_client(nullptr);
  BOOST_TEST(f.checkin(anonymous, f.authenticate("UDID-ANON")) == 401);
  BOOST_TEST(!f.from_store(f.server->apple_store().find_enrollment("UDID-ANON")).has_value());
  // Malformed plists.
  BOOST_TEST(f.put(http, kCheckinContentType, "<plist>nope").status == 400);
  BOOST_TEST(f.put(http, kCommandContentType, "garbage").status == 400);
  auto text = f.server->metrics().render();
  BOOST_TEST(
      text.find("mdmlab_apple_checkins_total{message_type=\"TokenUpdate\",code=\"403\"} 1") !=
      std::string::npos);
}

BOOST_AUTO_TEST_CASE(mdm_signature_header_identifies_the_device_without_tls) {
  AppleFixture f;
  auto mac = f.enroll_identity(45, "UDID-MAC-6");
  net::HttpClient plain(f.io.executor(), f.server->http_url());
  auto sign = [&](const std::string& body) {
    crypto::SignOptions o;
    o.detached = true;
    auto der = crypto::cms_sign(to_bytes(body), mac.cert, mac.key, {}, o).value();
    return base64_encode(der);
  };
  auto body = encode_checkin(f.authenticate(mac.udid)).value();
  BOOST_TEST(f.put(plain, kCheckinContentType, body, "Mdm-Signature", sign(body)).status == 200);
  auto tu = encode_checkin(f.token_update(mac.udid)).value();
  // A signature over other bytes is no identity.
  BOOST_TEST(f.put(plain, kCheckinContentType, tu, "Mdm-Signature", sign(body)).status == 401);
  BOOST_TEST(f.put(plain, kCheckinContentType, tu, "Mdm-Signature", sign(tu)).status == 200);
  BOOST_TEST(f.from_store(f.server->apple_store().find_enrollment(mac.udid))->enabled);
}

BOOST_AUTO_TEST_CASE(next_command_query_uses_the_index_on_a_100k_queue) {
  AppleFixture f;
  auto& db = f.server->database();
  db.run_sync([](db::Connection& c) {
    c.transaction([&] {
      c.exec(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
          "INSERT INTO apple_commands (command_uuid, request_type, plist, priority, created_at) "
          "SELECT 'BULK-' || i, 'ProfileList', '<plist/>', i % 3, 0 FROM n");
      c.exec(
          "INSERT INTO apple_command_queue (udid, command_uuid, seq, priority, updated_at) "
          "SELECT 'BULK-DEVICE', command_uuid, seq, priority, 0 FROM apple_commands");
      c.exec("ANALYZE");
    });
    return 0;
  });
  auto plan = db.run_sync([](db::Connection& c) {
    auto st =
        c.prepare(std::string("EXPLAIN QUERY PLAN ") + server::store::sqlite::kNextCommandSql);
    st.bind(1, "BULK-DEVICE").bind(2, std::int64_t{1});
    std::string out;
    while (st.step()) out += st.text(3) + "\n";
    return out;
  });
  BOOST_TEST(plan.find("USING INDEX apple_queue_next") != std::string::npos, plan);
  BOOST_TEST(plan.find("SCAN") == std::string::npos, plan);
  BOOST_TEST(plan.find("TEMP B-TREE") == std::string::npos, plan);  // no sort step
  auto next = f.from_store(f.server->apple_store().next_command("BULK-DEVICE", true));
  BOOST_REQUIRE(next.has_value());
  BOOST_TEST(next->command_uuid == "BULK-2");  // highest priority (2), oldest first
}

BOOST_AUTO_TEST_SUITE_END()
