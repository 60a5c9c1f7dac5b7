#include "tests/hostile/hostile_abm.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "crypto/random.hpp"
#include "protocol/apple/dep/dep_messages.hpp"
#include "protocol/apple/dep/oauth1.hpp"
#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {
namespace dep = mdmlab::apple::dep;
using nlohmann::json;

namespace {
constexpr int kTimeoutMs = 10000;
// raw_request names the host 127.0.0.1 (no port): the URI the simulator checks signatures for.
constexpr const char* kSessionUri = "http://127.0.0.1/session";
constexpr const char* kJson = "application/json;charset=UTF8";

dep::DepDevice device(const std::string& serial, const std::string& model) {
  dep::DepDevice d;
  d.serial_number = serial;
  d.model = model;
  d.description = model;
  d.color = "MIDNIGHT";
  return d;
}
}  // namespace

AbmSide::AbmSide(simulators::abm::AbmSimulator& sim, std::shared_ptr<Clock> clock)
    : clock_(std::move(clock)), sim_(&sim) {
  auto& m = materials_;
  const auto& token = sim_->state().token();
  m.consumer_key = token.consumer_key;
  m.consumer_secret = token.consumer_secret;
  m.access_token = token.access_token;
  m.access_secret = token.access_secret;
  m.serials = {"HOSTILEABM01", "HOSTILEABM02", "HOSTILEABM03", "HOSTILEABM04"};
  sim_->state().add_device(device(m.serials[0], "Mac15,3"));
  sim_->state().add_device(device(m.serials[1], "Mac14,2"));
  sim_->state().add_device(device(m.serials[2], "iPad13,18"));
  sim_->state().add_device(device(m.serials[3], "iPhone15,2"));

  // A session that every session's end (the control API's expire) made stale, then a live one.
  m.expired_session = open_session(authorization(hex_encode(crypto::random_bytes(16))));
  sim_->state().expire_sessions();
  m.used_nonce = hex_encode(crypto::random_bytes(16));
  m.used_authorization = authorization(m.used_nonce);
  m.session = open_session(m.used_authorization);

  // A profile for the first device, over the DEP API as an MDM server defines it.
  auto defined = dep_call("POST", "/profile",
                          json{{"profile_name", "hostile baseline"},
                               {"url", "https://mdm.example/api/mdm/apple/enroll"},
                               {"is_supervised", true},
                               {"devices", {m.serials[0]}}}
                              .dump());
  BOOST_REQUIRE_MESSAGE(defined.status == 200, "POST /profile -> " << defined.status << " "
                                                                   << defined.body
                                                                   << defined.error);
  m.profile_uuid = json::parse(defined.body).at("profile_uuid").get<std::string>();
  BOOST_REQUIRE(sim_->state().device(m.serials[0])->profile_uuid == m.profile_uuid);

  // Cursors: a fetch with more to follow, a fetch that returned everything, a sync.
  m.fetch_cursor = cursor_of(dep_call("POST", "/server/devices", R"({"limit":1})"));
  m.exhausted_cursor = cursor_of(dep_call("POST", "/server/devices", R"({"limit":1000})"));
  m.sync_cursor =
      cursor_of(dep_call("POST", "/devices/sync", json{{"cursor", m.exhausted_cursor}}.dump()));
  baseline_cursor_ = m.sync_cursor;
  BOOST_REQUIRE(healthy(true));
  auto baseline = snapshot();
  BOOST_REQUIRE_MESSAGE(baseline["events"] == "[]",
                        "changes after the baseline: " << baseline["events"]);
}

AbmSide::~AbmSide() = default;

unsigned short AbmSide::dep_port() const {
  return net::Url::parse(sim_->dep_url()).value().port;
}
unsigned short AbmSide::control_port() const {
  return net::Url::parse(sim_->control_url()).value().port;
}

std::string AbmSide::authorization(const std::string& nonce) const {
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_->now().time_since_epoch()).count();
  const auto& m = materials_;
  dep::OAuthParams params = {{"oauth_consumer_key", m.consumer_key},
                             {"oauth_token", m.access_token},
                             {"oauth_signature_method", "HMAC-SHA1"},
                             {"oauth_timestamp", std::to_string(now)},
                             {"oauth_nonce", nonce},
                             {"oauth_version", "1.0"}};
  return dep::authorization_header("GET", kSessionUri, params, m.consumer_secret, m.access_secret);
}

std::string AbmSide::open_session(const std::string& authorization) {
  auto a = raw_roundtrip(dep_port(),
                         raw_request("GET", "/session", {{"Authorization", authorization}}, ""),
                         kTimeoutMs);
  BOOST_REQUIRE_MESSAGE(a.status == 200,
                        "GET /session -> " << a.status << " " << a.body << a.error);
  auto token = json::parse(a.body).at("auth_session_token").get<std::string>();
  BOOST_REQUIRE(!token.empty());
  return token;
}

std::string AbmSide::cursor_of(const Answer& a) const {
  BOOST_REQUIRE_MESSAGE(a.status == 200, "cursor -> " << a.status << " " << a.body << a.error);
  auto cursor = json::parse(a.body).at("cursor").get<std::string>();
  BOOST_REQUIRE(!cursor.empty());
  return cursor;
}

Answer AbmSide::dep_call(const std::string& method, const std::string& target,
                         const std::string& body) {
  net::Headers h{{"X-ADM-Auth-Session", materials_.session}, {"X-Server-Protocol-Version", "3"}};
  if (!body.empty()) h.emplace_back("Content-Type", kJson);
  return raw_roundtrip(dep_port(), raw_request(method, target, h, body), kTimeoutMs);
}

Answer AbmSide::send(const Case& c) {
  return raw_roundtrip(dep_port(), c.raw, kTimeoutMs);
}

Snapshot AbmSide::snapshot() {
  Snapshot s;
  json devices = json::array();
  for (const auto& d : sim_->state().devices()) devices.push_back(dep::to_json(d));
  // A device a case smuggled in may carry any bytes: replace what is not UTF-8, never throw.
  s["devices"] = devices.dump(-1, ' ', false, json::error_handler_t::replace);
  dep::FetchRequest since;
  since.cursor = baseline_cursor_;
  since.limit = dep::kMaxLimit;
  auto changes = sim_->state().sync(since);
  json events = json::array();
  if (!changes)
    events.push_back("the baseline cursor no longer works: " + changes.error().message);
  else
    for (const auto& d : changes->devices) events.push_back(d.serial_number + " " + d.op_type);
  s["events"] = events.dump(-1, ' ', false, json::error_handler_t::replace);
  return s;
}

bool AbmSide::healthy(bool dep_too) {
  auto control = raw_roundtrip(control_port(), raw_request("GET", "/healthz", {}, ""), kTimeoutMs);
  if (control.status != 200) return false;
  return !dep_too || dep_call("GET", "/account").status == 200;
}

}  // namespace mdmlab::testing::hostile
