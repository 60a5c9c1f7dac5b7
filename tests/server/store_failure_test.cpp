// The store failing for real while the server runs on loopback: SQLite's write lock held by a
// second connection (SQLITE_BUSY, as a stuck writer or a backup in another process would
// cause), and tables renamed away under the server (reads fail too). Devices get 503 with
// Retry-After, the admin API 503 with its JSON error, SCEP 503; mdmlab_store_errors_total
// counts each failed operation; the server keeps serving, nothing changed while it failed,
// and the same requests succeed once the fault is gone.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <sqlite3.h>

#include "core/db/sqlite.hpp"
#include "tests/server/apple_fixture.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using mdmlab::apple::CommandStatus;
using nlohmann::json;

namespace {

// A second connection to the server's database file, as another process would hold it.
class SecondConnection {
 public:
  explicit SecondConnection(const std::string& path) {
    BOOST_REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
  }
  ~SecondConnection() { sqlite3_close(db_); }
  SecondConnection(const SecondConnection&) = delete;
  SecondConnection& operator=(const SecondConnection&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    const std::string why = err ? err : "";
    sqlite3_free(err);
    BOOST_REQUIRE_MESSAGE(rc == SQLITE_OK, sql + ": " + why);
  }

 private:
  sqlite3* db_ = nullptr;
};

// The server waits busy_timeout (5 s) for a lock before giving up; a short one keeps each
// failing request here quick. The failure is the same.
void shorten_busy_timeout(ScepServerFixture& f) {
  f.server->database().run_sync([](db::Connection& c) { sqlite3_busy_timeout(c.native(), 50); });
}

net::HttpResponse admin_call(ScepServerFixture& f, const std::string& method,
                             const std::string& target, const std::string& body = {}) {
  net::HttpClient http(f.io.executor(), f.server->http_url());
  net::HttpRequest req;
  req.method = method;
  req.target = target;
  req.headers = {{"Authorization", "Bearer " + f.admin_token}};
  if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
  req.body = body;
  return f.run(http.send(req)).value();
}

std::string enqueue_body(const std::string& udid) {
  return json{{"udids", {udid}}, {"command", {{"RequestType", "SecurityInfo"}}}}.dump();
}

net::HttpResponse get(ScepServerFixture& f, const std::string& target) {
  net::HttpClient http(f.io.executor(), f.server->http_url());
  return f.run(http.get(target)).value();
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

// The admin API's answer to a store failure: 503, Retry-After, {"error": "store_unavailable",
// "message": "<operation>: ..."} without SQL.
void check_admin_store_failure(const net::HttpResponse& res, const std::string& operation) {
  BOOST_TEST(res.status == 503);
  BOOST_TEST(res.header("Retry-After") == "5");
  BOOST_TEST(res.header("Content-Type").find("application/json") == 0u);
  auto body = json::parse(res.body);
  BOOST_TEST(body["error"] == "store_unavailable");
  const auto message = body["message"].get<std::string>();
  BOOST_TEST(message.find(operation + ":") == 0u, message);
  BOOST_TEST(message.find("SELECT") == std::string::npos, message);
  BOOST_TEST(message.find("UPDATE") == std::string::npos, message);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(store_failure)

BOOST_AUTO_TEST_CASE(a_locked_database_answers_503_with_retry_after_and_changes_nothing) {
  AppleFixture f;
  auto mac = f.enroll_identity(44, "UDID-LOCKED");
  auto http = f.device_client(&mac);
  BOOST_REQUIRE(f.checkin(http, f.authenticate(mac.udid)) == 200);
  BOOST_REQUIRE(f.checkin(http, f.token_update(mac.udid)) == 200);
  auto uuid = f.enqueue({mac.udid}, "DeviceInformation");
  BOOST_REQUIRE(f.command_in(f.report(http, mac.udid, CommandStatus::idle)) == uuid);
  const auto before = f.from_store(f.server->apple_store().find_enrollment(mac.udid)).value();
  const auto certificates_before = f.certificate_count();
  f.clock->advance(std::chrono::minutes(5));  // so a stray last_seen_at update would show

  shorten_busy_timeout(f);
  SecondConnection other(f.dir + "/mdmlab.db");
  other.exec("BEGIN EXCLUSIVE");

  // A TokenUpdate with a new token, and the command's result: both 503, try again in 5 s.
  auto new_token = f.token_update(mac.udid);
  new_token.token = Bytes(32, 0x43);
  auto token_body = apple::encode_checkin(new_token).value();
  auto refused = f.put(http, apple::kCheckinContentType, token_body);
  BOOST_TEST(refused.status == 503);
  BOOST_TEST(refused.header("Retry-After") == "5");
  auto report = f.report(http, mac.udid, CommandStatus::acknowledged, uuid);
  BOOST_TEST(report.status == 503);
  BOOST_TEST(report.header("Retry-After") == "5");
  // The admin API: 503 with its JSON error.
  check_admin_store_failure(
      admin_call(f, "POST", "/admin/v1/apple/commands", enqueue_body(mac.udid)), "enqueue");
  // SCEP: HTTP 503 rather than a CertRep (the certificate issued is never handed out).
  auto c = f.client();
  auto scep = f.enroll(c, f.request(21, "enrolled-while-locked"));
  BOOST_REQUIRE(!scep.ok());
  BOOST_TEST(scep.error().code == "http_503");

  // Still serving, and it counted each failed operation.
  BOOST_TEST(get(f, "/healthz").status == 200);
  auto metrics = get(f, "/metrics").body;
  BOOST_TEST(has_line(metrics, "mdmlab_store_errors_total{operation=\"token_update\"} 1"));
  BOOST_TEST(has_line(metrics, "mdmlab_store_errors_total{operation=\"touch\"} 1"));
  BOOST_TEST(has_line(metrics, "mdmlab_store_errors_total{operation=\"enqueue\"} 1"));
  BOOST_TEST(has_line(metrics, "mdmlab_store_errors_total{operation=\"insert_transaction\"} 1"));
  BOOST_TEST(has_line(metrics,
                      "mdmlab_apple_checkins_total{message_type=\"TokenUpdate\",code=\"503\"} 1"));
  BOOST_TEST(has_line(
      metrics, "mdmlab_apple_command_reports_total{status=\"Acknowledged\",code=\"503\"} 1"));
  BOOST_TEST(has_line(metrics,
                      "mdmlab_scep_requests_total{operation=\"PKIOperation\",result=\"error\"} 1"));
  BOOST_REQUIRE(have_program("promtool"));
  write_file(f.dir + "/metrics.txt", metrics);
  auto check = run_command("promtool check metrics < " + f.dir + "/metrics.txt");
  BOOST_TEST(check.exit_code == 0, check.output);

  // Nothing changed while it failed (WAL readers are not blocked by the writer's lock).
  auto during = f.from_store(f.server->apple_store().find_enrollment(mac.udid)).value();
  BOOST_TEST((during.push_token == before.push_token));
  BOOST_TEST(during.token_update_count == before.token_update_count);
  BOOST_TEST((during.last_seen_at == before.last_seen_at));
  auto results = f.from_store(f.server->apple_store().command_results(uuid));
  BOOST_REQUIRE(results.size() == 1u);
  BOOST_TEST(results[0].active);
  BOOST_TEST(results[0].status == "");
  BOOST_TEST(f.certificate_count() == certificates_before);

  // The fault gone, the very same requests succeed.
  other.exec("ROLLBACK");
  BOOST_TEST(f.put(http, apple::kCheckinContentType, token_body).status == 200);
  BOOST_TEST(f.report(http, mac.udid, CommandStatus::acknowledged, uuid).status == 200);
  auto after = f.from_store(f.server->apple_store().find_enrollment(mac.udid)).value();
  BOOST_TEST((after.push_token == Bytes(32, 0x43)));
  BOOST_TEST(after.token_update_count == before.token_update_count + 1);
  BOOST_TEST(f.from_store(f.server->apple_store().command_results(uuid)).at(0).status ==
             "Acknowledged");
  BOOST_TEST(admin_call(f, "POST", "/admin/v1/apple/commands", enqueue_body(mac.udid)).status ==
             201);
  auto again = f.enroll(c, f.request(21, "enrolled-while-locked"));
  BOOST_REQUIRE(again.ok());
  BOOST_TEST((again->status == mdmlab::scep::PkiStatus::success));
  BOOST_TEST(f.certificate_count() == certificates_before + 1);
}

BOOST_AUTO_TEST_CASE(missing_tables_answer_admin_reads_and_check_ins_with_503_until_back) {
  AppleFixture f;
  auto mac = f.enroll_identity(45, "UDID-NO-TABLE");
  auto http = f.device_client(&mac);
  BOOST_REQUIRE(f.checkin(http, f.authenticate(mac.udid)) == 200);
  BOOST_REQUIRE(f.checkin(http, f.token_update(mac.udid)) == 200);
  // Another certificate for the same UDID, which will try to take the enrollment over.
  auto usurper = f.enroll_identity(46, "UDID-NO-TABLE");
  auto usurper_http = f.device_client(&usurper);

  SecondConnection other(f.dir + "/mdmlab.db");
  other.exec("ALTER TABLE apple_enrollments RENAME TO apple_enrollments_away");
  other.exec("ALTER TABLE scep_transactions RENAME TO scep_transactions_away");

  check_admin_store_failure(admin_call(f, "GET", "/admin/v1/apple/devices"), "list_enrollments");
  check_admin_store_failure(admin_call(f, "GET", "/admin/v1/scep/transactions"),
                            "list_transactions");
  auto idle = f.report(http, mac.udid, CommandStatus::idle);
  BOOST_TEST(idle.status == 503);
  BOOST_TEST(idle.header("Retry-After") == "5");
  // Authenticate fails in the service, so the new certificate is not bound: the enrollment
  // keeps its own.
  auto takeover = f.put(usurper_http, apple::kCheckinContentType,
                        apple::encode_checkin(f.authenticate(mac.udid)).value());
  BOOST_TEST(takeover.status == 503);
  auto bound = f.from_store(f.server->apple_store().enrollment_certificate(mac.udid));
  BOOST_TEST(bound.value_or("") == mac.cert.sha256_hex());
  auto metrics = get(f, "/metrics").body;
  BOOST_TEST(has_line(metrics, "mdmlab_store_errors_total{operation=\"list_enrollments\"} 1"));
  BOOST_TEST(has_line(metrics, "mdmlab_store_errors_total{operation=\"list_transactions\"} 1"));
  BOOST_TEST(has_line(metrics, "mdmlab_store_errors_total{operation=\"find_enrollment\"} 1"));
  BOOST_TEST(has_line(metrics, "mdmlab_store_errors_total{operation=\"authenticate\"} 1"));

  other.exec("ALTER TABLE apple_enrollments_away RENAME TO apple_enrollments");
  other.exec("ALTER TABLE scep_transactions_away RENAME TO scep_transactions");
  auto devices = admin_call(f, "GET", "/admin/v1/apple/devices");
  BOOST_TEST(devices.status == 200);
  auto listed = json::parse(devices.body)["devices"];
  BOOST_REQUIRE(listed.size() == 1u);
  BOOST_TEST(listed[0]["udid"] == mac.udid);
  BOOST_TEST(listed[0]["state"] == "enrolled");  // the failed Authenticate changed nothing
  BOOST_TEST(admin_call(f, "GET", "/admin/v1/scep/transactions").status == 200);
  BOOST_TEST(f.report(http, mac.udid, CommandStatus::idle).status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
