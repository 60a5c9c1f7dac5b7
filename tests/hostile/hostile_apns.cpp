#include "tests/hostile/hostile_apns.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "crypto/ca.hpp"
#include "protocol/apple/apns.hpp"
#include "tests/hostile/generator.hpp"
#include "tests/hostile/h2_client.hpp"
#include "tests/support/process.hpp"

namespace mdmlab::testing::hostile {
namespace asio = boost::asio;
using nlohmann::json;

namespace {
constexpr int kTimeoutMs = 10000;

std::string token_of(char fill, int n) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", n);
  return std::string(56, fill) + buf;
}
}  // namespace

ApnsSide::ApnsSide(net::IoRuntime& io) : io_(io) {
  sim_ = std::make_unique<simulators::apns::ApnsSimulator>(io_,
                                                           simulators::apns::ApnsSimulatorConfig{});
  auto started = sim_->start();
  BOOST_REQUIRE_MESSAGE(started.ok(),
                        "APNs simulator: " << (started ? "" : started.error().message));
  auto& m = materials_;
  m.topic = "com.apple.mgmt.External.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  m.other_topic = "com.apple.mgmt.External.11111111-2222-3333-4444-555555555555";
  m.token = token_of('a', 1);
  m.other_token = token_of('b', 2);
  m.unregistered_token = token_of('c', 3);
  m.magic = "HOSTILE-PUSH-MAGIC";

  const auto now = std::chrono::system_clock::now();
  auto make_ctx = [&](ApnsIdentity id, const std::optional<crypto::Certificate>& cert,
                      const crypto::PrivateKey& key) {
    auto ctx = h2_tls_context({sim_->ca().certificate()}, cert, key);
    BOOST_REQUIRE(ctx.ok());
    tls_[id] = *ctx;
  };
  auto key = crypto::PrivateKey::generate_ec_p256().value();
  auto push = sim_->issue_push_identity(m.topic, key).value();
  make_ctx(ApnsIdentity::push, push.certificate, key);
  auto other = sim_->issue_push_identity(m.other_topic, key).value();
  make_ctx(ApnsIdentity::other_topic, other.certificate, key);
  crypto::IssueOptions opts;
  opts.extended_key_usage = {crypto::ExtendedKeyUsage::client_auth};
  {
    auto name = crypto::make_x509_name({{"CN", "APSP:no-topic"}, {"O", "mdmlab"}}).value();
    make_ctx(ApnsIdentity::no_uid, sim_->ca().issue(key.get(), name.get(), opts, now).value(), key);
  }
  {
    auto name =
        crypto::make_x509_name({{"UID", m.topic}, {"CN", "APSP:expired"}, {"O", "mdmlab"}}).value();
    auto expired_opts = opts;
    expired_opts.validity = std::chrono::hours(24);
    make_ctx(ApnsIdentity::expired,
             sim_->ca()
                 .issue(key.get(), name.get(), expired_opts, now - std::chrono::hours(24 * 400))
                 .value(),
             key);
  }
  {
    auto ca_key = crypto::PrivateKey::generate_ec_p256().value();
    auto foreign = crypto::CertificateAuthority::create_root(
                       ca_key, {{"CN", "mdmlab APNs simulator CA"}, {"O", "mdmlab"}}, now,
                       std::chrono::hours(24 * 365))
                       .value();
    auto name =
        crypto::make_x509_name({{"UID", m.topic}, {"CN", "APSP:foreign"}, {"O", "mdmlab"}}).value();
    make_ctx(ApnsIdentity::foreign_ca, foreign.issue(key.get(), name.get(), opts, now).value(),
             key);
  }
  make_ctx(ApnsIdentity::self_signed,
           crypto::make_self_signed(key, {{"UID", m.topic}, {"CN", "APSP:self"}, {"O", "mdmlab"}},
                                    now, std::chrono::hours(24))
               .value(),
           key);
  make_ctx(ApnsIdentity::none, std::nullopt, key);

  // The state to protect: tokens, one stored notification, a fault for a token nobody pushes to.
  auto ok = [&](const Answer& a, const std::string& what) {
    BOOST_REQUIRE_MESSAGE(a.status >= 200 && a.status < 300,
                          what << " -> " << a.status << " " << a.body << a.error);
  };
  ok(control("PUT", "/device/v1/tokens/" + m.token, json{{"topic", m.topic}}.dump()),
     "register token");
  ok(control("PUT", "/device/v1/tokens/" + m.other_token, json{{"topic", m.other_topic}}.dump()),
     "register other");
  ok(control("PUT", "/device/v1/tokens/" + m.unregistered_token, json{{"topic", m.topic}}.dump()),
     "register third");
  ok(control("POST", "/control/v1/tokens/" + m.unregistered_token + "/unregister"), "unregister");
  ok(control(
         "POST", "/control/v1/faults",
         json{{"token", token_of('d', 4)}, {"status", 429}, {"reason", "TooManyRequests"}}.dump()),
     "fault");
  auto first = send(valid_push());
  BOOST_REQUIRE_MESSAGE(first.status == 200,
                        "valid push -> " << first.status << " " << first.body << first.error);
}

ApnsSide::~ApnsSide() {
  sim_->stop();
}

unsigned short ApnsSide::control_port() const {
  return net::Url::parse(sim_->control_url()).value().port;
}
unsigned short ApnsSide::push_port() const {
  return net::Url::parse(sim_->push_url()).value().port;
}

Case ApnsSide::valid_push() const {
  Case c;
  c.endpoint = "POST /3/device/<token> (APNs, HTTP/2)";
  c.name = "valid push";
  c.channel = Channel::apns_h2;
  c.h2_headers = {{":method", "POST"},
                  {":scheme", "https"},
                  {":authority", "api.push.apple.com"},
                  {":path", "/3/device/" + materials_.token},
                  {"apns-push-type", "mdm"},
                  {"apns-priority", "10"},
                  {"apns-topic", materials_.topic},
                  {"content-type", "application/json"}};
  c.h2_body = apple::mdm_push_payload(materials_.magic);
  return c;
}

Answer ApnsSide::send(const Case& c) {
  Answer a;
  if (c.channel == Channel::apns_http) return raw_roundtrip(control_port(), c.raw, kTimeoutMs);
  auto task = h2_exchange(io_.executor(), "127.0.0.1", push_port(), tls_.at(c.identity),
                          c.h2_headers, c.h2_body, std::chrono::milliseconds(kTimeoutMs));
  auto future = asio::co_spawn(io_.executor(), std::move(task), asio::use_future);
  if (future.wait_for(std::chrono::milliseconds(kTimeoutMs + 5000)) != std::future_status::ready) {
    a.error = "timeout: no answer, not even a refused handshake";
    return a;
  }
  auto h = future.get();
  a.status = h.status;
  a.content_type = h.content_type;
  a.body = std::move(h.body);
  if (!h.error_code.empty()) a.error = h.error_code + ": " + h.error;
  return a;
}

Answer ApnsSide::control(const std::string& method, const std::string& target,
                         const std::string& body) {
  net::Headers h;
  if (!body.empty()) h.emplace_back("Content-Type", "application/json");
  return raw_roundtrip(control_port(), raw_request(method, target, h, body), kTimeoutMs);
}

Snapshot ApnsSide::snapshot() {
  Snapshot s;
  auto get = [&](const std::string& target) {
    auto a = control("GET", target);
    BOOST_REQUIRE_MESSAGE(a.status == 200, "GET " << target << " -> " << a.status << a.error);
    return json::parse(a.body);
  };
  auto stats = get("/control/v1/stats");
  s["stats"] = json{{"accepted", stats["accepted"]},
                    {"delivered", stats["delivered"]},
                    {"coalesced", stats["coalesced"]},
                    {"expired", stats["expired"]},
                    {"max_concurrent_streams", stats["max_concurrent_streams"]}}
                   .dump();
  std::map<std::string, int> states;
  std::map<std::string, std::map<std::string, int>> per_token;
  for (const auto& d : get("/control/v1/deliveries")["deliveries"]) {
    auto state = d.value("state", std::string());
    if (state == "rejected") continue;
    states[state]++;
    per_token[d.value("token", std::string())][state]++;
  }
  s["deliveries"] = json{{"by_state", states}, {"by_token", per_token}}.dump();
  s["tokens"] = get("/control/v1/tokens")["tokens"].dump();
  s["faults"] = get("/control/v1/faults")["faults"].dump();
  return s;
}

bool ApnsSide::healthy(bool push_too) {
  if (control("GET", "/healthz").status != 200) return false;
  if (!push_too) return true;
  auto probe = valid_push();
  probe.h2_headers[3].second = "/3/device/" + token_of('e', 5);
  auto a = send(probe);
  return a.status == 400 && a.body.find("BadDeviceToken") != std::string::npos;
}

}  // namespace mdmlab::testing::hostile
