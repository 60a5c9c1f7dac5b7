#include "tests/hostile/hostile_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "protocol/apple/checkin.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/scep/pki_message.hpp"
#include "tests/hostile/hostile_apns.hpp"

namespace mdmlab::testing::hostile {
namespace {
using namespace mdmlab::apple;

constexpr int kTimeoutMs = 10000;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

HostileServer::HostileServer()
    : ScepServerFixture([](server::ReferenceServerConfig& cfg) { cfg.https_port = 0; }) {
  auto& m = materials_;
  m.admin_token = admin_token;
  m.scep_challenge = challenge;
  m.now = clock->now();
  m.ca = server->ca().certificate();
  m.ca_key = server->ca().key();
  for (std::size_t i = 72; i < 78; ++i) m.keys.push_back(test_key_pool().get(i).value());
  m.mac_a = enroll_identity(70, "HOSTILE-MAC-A", &m.mac_a_transaction);
  m.mac_b = enroll_identity(71, "HOSTILE-MAC-B", nullptr);
  for (auto cert : {ClientCert::mac_a, ClientCert::mac_b}) {
    const auto& d = cert == ClientCert::mac_a ? m.mac_a : m.mac_b;
    Checkin a;
    a.type = CheckinType::authenticate;
    a.udid = d.udid;
    a.topic = "com.apple.mgmt.External.mdmlab";
    a.serial_number = "SN-" + d.udid;
    a.model = "Mac14,2";
    a.os_version = "14.5";
    BOOST_REQUIRE_EQUAL(
        device_put(cert, "/mdm/checkin", kCheckinContentType, encode_checkin(a).value()).status,
        200);
    Checkin t;
    t.type = CheckinType::token_update;
    t.udid = d.udid;
    t.topic = a.topic;
    t.token = Bytes(32, 0x42);
    t.push_magic = "MAGIC-" + d.udid;
    BOOST_REQUIRE_EQUAL(
        device_put(cert, "/mdm/checkin", kCheckinContentType, encode_checkin(t).value()).status,
        200);
  }
  m.answered_command = enqueue(m.mac_a.udid, "DeviceInformation");
  m.queued_command = enqueue(m.mac_a.udid, "SecurityInfo");
  enqueue(m.mac_b.udid, "ProfileList");
  auto idle = encode_command_report({CommandStatus::idle, m.mac_a.udid, "", "", {}, {}}).value();
  auto offered = device_put(ClientCert::mac_a, "/mdm/apple/mdm", kCommandContentType, idle);
  BOOST_REQUIRE(decode_command(offered.body).value().command_uuid == m.answered_command);
  auto ack = encode_command_report(
                 {CommandStatus::acknowledged, m.mac_a.udid, "", m.answered_command, {}, {}})
                 .value();
  BOOST_REQUIRE_EQUAL(
      device_put(ClientCert::mac_a, "/mdm/apple/mdm", kCommandContentType, ack).status, 200);
  m.body_limit = 2 * 1024 * 1024;
  apns = std::make_unique<ApnsSide>(io);
  m.apns = apns->materials();
}

HostileServer::~HostileServer() = default;

unsigned short HostileServer::http_port() const {
  return net::Url::parse(server->http_url()).value().port;
}

Device HostileServer::enroll_identity(std::size_t key_index, const std::string& udid,
                                      std::string* transaction_id) {
  auto c = client();
  auto r = enroll(c, request(key_index, udid)).value();
  BOOST_REQUIRE((r.status == mdmlab::scep::PkiStatus::success));
  if (transaction_id) *transaction_id = r.transaction_id;
  return {udid, test_key_pool().get(key_index).value(), r.certificate};
}

std::string HostileServer::enqueue(const std::string& udid, const std::string& request_type) {
  nlohmann::json body = {{"udids", {udid}}, {"command", {{"RequestType", request_type}}}};
  net::HttpClient http(io.executor(), server->http_url());
  net::HttpRequest req;
  req.method = "POST";
  req.target = "/admin/v1/apple/commands";
  req.headers = {{"Authorization", "Bearer " + admin_token}, {"Content-Type", "application/json"}};
  req.body = body.dump();
  auto res = run(http.send(req)).value();
  BOOST_REQUIRE_MESSAGE(res.status == 201, res.body);
  auto parsed = nlohmann::json::parse(res.body);
  return parsed["command_uuid"].get<std::string>();
}

Answer HostileServer::device_put(ClientCert cert, const std::string& target,
                                 const std::string& content_type, const std::string& body) {
  Case c;
  c.channel = Channel::tls;
  c.cert = cert;
  c.request.method = "PUT";
  c.request.target = target;
  c.request.headers.emplace_back("Content-Type", content_type);
  c.request.body = body;
  return send(c);
}

Answer HostileServer::send(const Case& c) {
  if (c.channel == Channel::apns_http || c.channel == Channel::apns_h2) return apns->send(c);
  if (c.channel == Channel::raw_http)
    return parse_raw_answer(raw_exchange(http_port(), c.raw, kTimeoutMs));
  net::HttpClientOptions o;
  o.timeout = std::chrono::seconds(kTimeoutMs / 1000);
  o.tls = net::TlsClientConfig{};
  o.tls->trusted_roots = {server->ca().certificate()};
  const Device* d = c.cert == ClientCert::mac_a   ? &materials_.mac_a
                    : c.cert == ClientCert::mac_b ? &materials_.mac_b
                                                  : nullptr;
  if (d) {
    o.tls->client_certificate = d->cert;
    o.tls->client_key = d->key;
  }
  net::HttpClient http(io.executor(), server->https_url(), o);
  auto res = run(http.send(c.request));
  Answer a;
  if (!res) {
    a.error = res.error().message;
    return a;
  }
  a.status = res->status;
  a.content_type = res->header("Content-Type");
  a.body = std::move(res->body);
  return a;
}

bool HostileServer::healthy() {
  auto a = parse_raw_answer(raw_exchange(
      http_port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", kTimeoutMs));
  return a.status == 200;
}

Answer parse_raw_answer(const std::string& raw) {
  Answer a;
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) {
    a.error = raw.empty() ? "no answer (timeout or reset)" : "not an HTTP answer";
    return a;
  }
  a.status = std::atoi(raw.substr(9, 3).c_str());
  auto head_end = raw.find("\r\n\r\n");
  auto head = raw.substr(0, head_end);
  a.body = head_end == std::string::npos ? std::string() : raw.substr(head_end + 4);
  auto lhead = lower(head);
  auto ct = lhead.find("\r\ncontent-type:");
  if (ct != std::string::npos) {
    auto start = ct + 15, end = head.find("\r\n", start);
    a.content_type = head.substr(start, end - start);
    while (!a.content_type.empty() && a.content_type.front() == ' ') a.content_type.erase(0, 1);
  }
  return a;
}

Verdict judge(const Answer& a) {
  if (a.status >= 500) return Verdict::server_error;
  if (a.status >= 400 && a.status < 500) return Verdict::clean;
  if (a.status == 200 && a.content_type == "application/x-pki-message") {
    auto rep = mdmlab::scep::decode_pki_message(to_bytes(a.body));
    if (rep && rep->status == mdmlab::scep::PkiStatus::failure) return Verdict::clean;
  }
  return Verdict::not_clean;
}

}  // namespace mdmlab::testing::hostile
