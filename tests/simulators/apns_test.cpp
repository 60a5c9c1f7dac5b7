// The APNs simulator and our APNs client, over real HTTP/2 + TLS on loopback; nghttp (the
// nghttp2 project's client) as an independent peer.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "core/net/http_client.hpp"
#include "server/apple/push/apns_client.hpp"
#include "simulators/services/apns/apns_simulator.hpp"
#include "tests/crypto/fixtures.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using nlohmann::json;
namespace asio = boost::asio;

namespace {
const std::string kTopic = "com.apple.mgmt.External.11111111-2222-3333-4444-555555555555";

std::string token_hex(int n) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", n);
  return std::string(56, 'a') + buf;
}

struct ApnsFixture {
  net::IoRuntime io{2};
  simulators::apns::ApnsSimulator sim;

  explicit ApnsFixture(simulators::apns::ApnsSimulatorConfig cfg = {}) : sim(io, cfg) {
    crypto::init_openssl();
    auto started = sim.start();
    if (!started) throw std::runtime_error(started.error().message);
  }
  ~ApnsFixture() {
    sim.stop();
    io.stop();
  }

  template <typename T>
  T run(asio::awaitable<T> aw) {
    return asio::co_spawn(io.executor(), std::move(aw), asio::use_future).get();
  }

  json control(const std::string& method, const std::string& target, const std::string& body = {}) {
    net::HttpClient http(io.executor(), sim.control_url());
    net::HttpRequest req;
    req.method = method;
    req.target = target;
    req.headers = {{"Content-Type", "application/json"}};
    req.body = body;
    auto res = run(http.send(req)).value();
    BOOST_REQUIRE_MESSAGE(res.status < 300, method + " " + target + " -> " +
                                                std::to_string(res.status) + " " + res.body);
    return res.body.empty() ? json() : json::parse(res.body);
  }

  void register_token(const std::string& token, const std::string& topic = kTopic) {
    control("PUT", "/device/v1/tokens/" + token, json{{"topic", topic}}.dump());
  }

  server::apple::ApnsClientConfig client_config(const std::string& topic = kTopic) {
    auto key = crypto::PrivateKey::generate_ec_p256().value();
    auto id = sim.issue_push_identity(topic, key).value();
    server::apple::ApnsClientConfig c;
    c.url = sim.push_url();
    c.certificate = id.certificate;
    c.key = id.key;
    c.trusted_roots = {sim.ca().certificate()};
    c.backoff = std::chrono::milliseconds(10);
    return c;
  }

  server::apple::ApnsResult push(server::apple::ApnsClient& client, const std::string& token,
                                 const std::string& magic = "magic-1") {
    apple::ApnsPush p;
    p.token_hex = token;
    p.topic = client.topic();
    p.payload = apple::mdm_push_payload(magic);
    return run(client.send(p));
  }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(apns)

BOOST_AUTO_TEST_CASE(nghttp_delivers_one_push_and_a_wrong_topic_gets_400) {
  // A missing peer is a failed test, not a silent pass (scripts/setup.sh installs it).
  BOOST_REQUIRE_MESSAGE(have_program("nghttp"), "nghttp missing (Debian package nghttp2-client)");
  ApnsFixture f;
  auto token = token_hex(1);
  f.register_token(token);
  auto dir = make_temp_dir("mdmlab-nghttp-");
  auto key = crypto::PrivateKey::generate_ec_p256().value();
  auto id = f.sim.issue_push_identity(kTopic, key).value();
  write_file(dir + "/push.pem", id.certificate.to_pem());
  write_file(dir + "/push.key", key.to_pem());
  write_file(dir + "/payload.json", apple::mdm_push_payload("magic-from-nghttp"));
  auto nghttp = [&](const std::string& topic) {
    return run_command("nghttp -v --no-dep --cert=" + dir + "/push.pem --key=" + dir +
                       "/push.key -d " + dir + "/payload.json -H 'apns-topic: " + topic +
                       "' -H 'apns-push-type: mdm' " + f.sim.push_url() + "/3/device/" + token +
                       " 2>&1");
  };
  auto ok = nghttp(kTopic);
  BOOST_TEST_INFO(ok.output);
  BOOST_TEST(ok.output.find(":status: 200") != std::string::npos);
  auto wrong = nghttp("com.apple.mgmt.External.someone-else");
  BOOST_TEST_INFO(wrong.output);
  BOOST_TEST(wrong.output.find(":status: 400") != std::string::npos);
  BOOST_TEST(wrong.output.find("TopicDisallowed") != std::string::npos);

  auto log = f.control("GET", "/control/v1/deliveries?token=" + token);
  BOOST_REQUIRE(log["deliveries"].size() == 2u);
  BOOST_TEST(log["deliveries"][0]["status"] == 200);
  BOOST_TEST(log["deliveries"][0]["payload"] == apple::mdm_push_payload("magic-from-nghttp"));
  BOOST_TEST(log["deliveries"][1]["reason"] == "TopicDisallowed");
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(many_concurrent_pushes_stay_within_max_concurrent_streams) {
  simulators::apns::ApnsSimulatorConfig cfg;
  cfg.initial_max_concurrent_streams = 1;
  cfg.max_concurrent_streams = 8;
  ApnsFixture f(cfg);
  constexpr int kPushes = 60;
  for (int i = 0; i < kPushes; ++i) f.register_token(token_hex(i));
  server::apple::ApnsClient client(f.io.executor(), f.client_config(), nullptr);
  // Pushes with a delay so streams overlap; all at once from many coroutines.
  f.control("POST", "/control/v1/faults", json{{"status", 200}, {"delay_ms", 20}}.dump());
  std::vector<std::future<server::apple::ApnsResult>> results;
  for (int i = 0; i < kPushes; ++i) {
    apple::ApnsPush p;
    p.token_hex = token_hex(i);
    p.topic = client.topic();
    p.payload = apple::mdm_push_payload("m");
    results.push_back(asio::co_spawn(f.io.executor(), client.send(p), asio::use_future));
  }
  int delivered = 0;
  for (auto& r : results) delivered += r.get().delivered();
  BOOST_TEST(delivered == kPushes);
  auto stats = f.control("GET", "/control/v1/stats");
  BOOST_TEST_INFO(stats.dump());
  BOOST_TEST(stats["connections"] == 1);  // one connection for all of them
  BOOST_TEST(stats["streams_refused"] == 0);
  BOOST_TEST(stats["peak_concurrent_streams"].get<int>() <= 8);
  BOOST_TEST(stats["peak_concurrent_streams"].get<int>() > 1);  // the limit was raised and used
}

BOOST_AUTO_TEST_CASE(retries_429_and_5xx_but_not_410_or_400) {
  ApnsFixture f;
  auto token = token_hex(7);
  f.register_token(token);
  server::apple::ApnsClient client(f.io.executor(), f.client_config(), nullptr);

  f.control(
      "POST", "/control/v1/faults",
      json{{"token", token}, {"status", 429}, {"reason", "TooManyRequests"}, {"count", 2}}.dump());
  auto r = f.push(client, token);
  BOOST_TEST(r.delivered());
  BOOST_TEST(r.attempts == 3);

  f.control("POST", "/control/v1/faults",
            json{{"token", token}, {"status", 503}, {"reason", "ServiceUnavailable"}}.dump());
  r = f.push(client, token);
  BOOST_TEST(r.status == 503);
  BOOST_TEST(r.attempts == 4);  // max_attempts
  f.control("DELETE", "/control/v1/faults");

  f.control("POST", "/control/v1/tokens/" + token + "/unregister");
  r = f.push(client, token);
  BOOST_TEST(r.status == 410);
  BOOST_TEST(r.reason == "Unregistered");
  BOOST_TEST(r.attempts == 1);
  BOOST_TEST(apple::apns_invalidates_token(r.status, r.reason));

  r = f.push(client, token_hex(999));  // never registered
  BOOST_TEST(r.status == 400);
  BOOST_TEST(r.reason == "BadDeviceToken");
  BOOST_TEST(r.attempts == 1);
}

BOOST_AUTO_TEST_CASE(an_offline_device_gets_only_the_last_push_when_it_returns) {
  ApnsFixture f;
  auto token = token_hex(3);
  f.register_token(token);  // registered, never connected: offline
  server::apple::ApnsClient client(f.io.executor(), f.client_config(), nullptr);
  for (int i = 1; i <= 3; ++i)
    BOOST_TEST(f.push(client, token, "magic-" + std::to_string(i)).delivered());
  auto log = f.control("GET", "/control/v1/deliveries?token=" + token);
  BOOST_REQUIRE(log["deliveries"].size() == 3u);
  BOOST_TEST(log["deliveries"][0]["state"] == "coalesced");
  BOOST_TEST(log["deliveries"][1]["state"] == "coalesced");
  BOOST_TEST(log["deliveries"][2]["state"] == "stored");
  // The device connects: one notification, the newest.
  auto got = f.control("GET", "/device/v1/tokens/" + token + "/notifications?wait_ms=0");
  BOOST_REQUIRE(got["notifications"].size() == 1u);
  BOOST_TEST(got["notifications"][0]["payload"] == apple::mdm_push_payload("magic-3"));
  log = f.control("GET", "/control/v1/deliveries?token=" + token);
  BOOST_TEST(log["deliveries"][2]["state"] == "delivered");
  BOOST_TEST(log["counts"]["coalesced"] == 2);
}

BOOST_AUTO_TEST_CASE(provider_api_errors_are_apples) {
  // Pure request checks, in APNs' order.
  apple::ApnsRejection why;
  std::vector<apple::ApnsHeader> h = {
      {":method", "POST"}, {":path", "/3/device/" + token_hex(1)}, {"apns-topic", kTopic}};
  BOOST_TEST(apple::parse_apns_request(h, "{}", kTopic, why).ok());
  auto reject = [&](std::vector<apple::ApnsHeader> headers, const std::string& body) {
    apple::ApnsRejection r;
    BOOST_TEST(!apple::parse_apns_request(headers, body, kTopic, r).ok());
    return std::to_string(r.status) + " " + r.reason;
  };
  BOOST_TEST(reject({{":method", "GET"}, {":path", "/3/device/" + token_hex(1)}}, "{}") ==
             "405 MethodNotAllowed");
  BOOST_TEST(reject({{":method", "POST"}, {":path", "/4/device/x"}}, "{}") == "404 BadPath");
  BOOST_TEST(reject({{":method", "POST"}, {":path", "/3/device/"}}, "{}") ==
             "400 MissingDeviceToken");
  BOOST_TEST(reject({{":method", "POST"}, {":path", "/3/device/zz"}}, "{}") ==
             "400 BadDeviceToken");
  BOOST_TEST(
      reject({{":method", "POST"}, {":path", "/3/device/" + token_hex(1)}, {"apns-priority", "7"}},
             "{}") == "400 BadPriority");
  BOOST_TEST(reject({{":method", "POST"},
                     {":path", "/3/device/" + token_hex(1)},
                     {"apns-push-type", "alert"}},
                    "{}") == "400 InvalidPushType");
  BOOST_TEST(
      reject({{":method", "POST"}, {":path", "/3/device/" + token_hex(1)}, {"apns-id", "nope"}},
             "{}") == "400 BadMessageId");
  BOOST_TEST(reject({{":method", "POST"}, {":path", "/3/device/" + token_hex(1)}}, "") ==
             "400 PayloadEmpty");
  BOOST_TEST(reject({{":method", "POST"}, {":path", "/3/device/" + token_hex(1)}},
                    std::string(5000, 'x')) == "413 PayloadTooLarge");
  BOOST_TEST(
      reject({{":method", "POST"}, {":method", "POST"}, {":path", "/3/device/" + token_hex(1)}},
             "{}") == "400 DuplicateHeaders");
}

BOOST_AUTO_TEST_SUITE_END()
