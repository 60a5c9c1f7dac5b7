#include "tests/hostile/hostile_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>

#include "crypto/ca.hpp"
#include "crypto/init.hpp"
#include "protocol/apple/apns.hpp"
#include "protocol/apple/checkin.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/apple/machine_info.hpp"
#include "protocol/entra/oauth_form.hpp"
#include "protocol/scep/pki_message.hpp"
#include "tests/hostile/generator.hpp"
#include "tests/hostile/hostile_abm.hpp"
#include "tests/hostile/hostile_apns.hpp"

namespace mdmlab::testing::hostile {
namespace {
using namespace mdmlab::apple;

constexpr int kTimeoutMs = 10000;
// Sign-ins started for the SSO callback's cases, each taken by at most one case.
constexpr int kSsoSignIns = 40;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

SsoIdp::SsoIdp() {
  crypto::init_openssl();
  entra = std::make_unique<simulators::entra::EntraSimulator>(
      idp_io, simulators::entra::EntraSimulatorConfig{});
  auto started = entra->start();
  BOOST_REQUIRE_MESSAGE(started.ok(),
                        "Entra simulator: " << (started ? "" : started.error().message));
  tenant = entra->state().add_tenant("contoso.example", "Contoso").id;
  auto app = entra->state().add_app(tenant, {});
  BOOST_REQUIRE(app.has_value());
  client_id = app->client_id;
  settings = server::AdeSsoSettings{
      entra->authority(tenant), app->client_id, app->client_secret, {entra->ca_certificate()}};
}

SsoIdp::~SsoIdp() {
  entra->stop();
  idp_io.stop();
}

// SsoIdp is a base listed before ScepServerFixture: constructed before the server is configured.
HostileServer::HostileServer()
    : ScepServerFixture([this](server::ReferenceServerConfig& cfg) {
        cfg.https_port = 0;
        cfg.ade_sso = SsoIdp::settings;
      }) {
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
  abm = std::make_unique<AbmSide>(io, clock);
  m.abm = abm->materials();
  prepare_sso();
}

void HostileServer::prepare_sso() {
  entra->state().add_redirect_uri(tenant, client_id, server->ade_sso_redirect_uri());
  // Device info as Setup Assistant sends it: a spare key's self-signed certificate signs it.
  const auto& key = materials_.keys.at(5);
  auto cert = crypto::make_self_signed(key, {{"CN", "hostile sso device"}}, clock->now(),
                                       std::chrono::hours(24))
                  .value();
  apple::MachineInfo info{
      "0000FE00-HOSTILE-SSO", "C02HOSTILESSO", "Mac15,3", "14.6", "en-US", "", ""};
  const auto device_info = base64_encode(apple::encode_machine_info(info, cert, key).value());
  for (int i = 0; i < kSsoSignIns; ++i)
    materials_.sso.fresh_states.push_back(start_sign_in(device_info));
  // One answered with the IdP's refusal: taken, so it is unknown from now on.
  materials_.sso.used_state = start_sign_in(device_info);
  auto refused = raw_roundtrip(
      http_port(),
      raw_request("GET",
                  "/api/mdm/apple/ade/sso/callback?state=" +
                      net::percent_encode(materials_.sso.used_state) + "&error=access_denied",
                  {}, ""),
      kTimeoutMs);
  BOOST_REQUIRE_MESSAGE(refused.status == 403, "SSO callback with the IdP's error -> "
                                                   << refused.status << " " << refused.body);
}

std::string HostileServer::start_sign_in(const std::string& device_info) {
  net::HttpClient http(io.executor(), server->http_url());
  net::HttpRequest req;
  req.method = "GET";
  req.target = "/api/mdm/apple/ade/sso";
  req.headers = {{"x-apple-aspen-deviceinfo", device_info}};
  auto res = run(http.send(req));
  BOOST_REQUIRE_MESSAGE(res.ok(),
                        "GET /api/mdm/apple/ade/sso: " << (res ? "" : res.error().message));
  BOOST_REQUIRE_MESSAGE(res->status == 302,
                        "GET /api/mdm/apple/ade/sso -> " << res->status << " " << res->body);
  const auto location = res->header("Location");
  const auto query = location.find('?');
  BOOST_REQUIRE(query != std::string::npos);
  auto params = entra::parse_form(std::string_view(location).substr(query + 1));
  BOOST_REQUIRE(params.ok() && params->count("state") == 1);
  return params->at("state");
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
  if (c.channel == Channel::abm_http) return abm->send(c);
  if (c.channel == Channel::raw_http) return raw_roundtrip(http_port(), c.raw, kTimeoutMs);
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
  auto a = raw_roundtrip(
      http_port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", kTimeoutMs);
  return a.status == 200;
}

Answer raw_roundtrip(unsigned short port, const std::string& data, int timeout_ms) {
  Answer a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    a.error = std::string("refused: cannot connect: ") + std::strerror(errno);
    close(fd);
    return a;
  }
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::size_t sent = 0;
  while (sent < data.size()) {  // the server may answer (413) and close before taking it all
    auto n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  std::string out, end;
  char buf[4096];
  for (;;) {
    auto n = recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0)
      end = "closed: the connection ended without an answer";
    else if (errno == EAGAIN || errno == EWOULDBLOCK)
      end = "timeout: no answer within " + std::to_string(timeout_ms) + " ms";
    else if (errno == ECONNRESET)
      end = "reset: the connection was reset without an answer";
    else
      end = std::string("error: ") + std::strerror(errno);
    break;
  }
  close(fd);
  if (out.empty()) {
    a.error = end;
    return a;
  }
  return parse_raw_answer(out);
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

namespace {
// The SCEP CertRep an answer carries (HTTP 200, application/x-pki-message), if any.
std::optional<mdmlab::scep::PkiMessage> cert_rep_of(const Answer& a) {
  if (a.status != 200 || a.content_type != mdmlab::scep::content_type::pki_message) return {};
  auto rep = mdmlab::scep::decode_pki_message(to_bytes(a.body));
  if (!rep || !rep->status) return {};
  return std::move(*rep);
}

// The reason of an APNs error answer ({"reason": ...} as application/json), "" if none.
std::string apns_reason_of(const Answer& a) {
  if (a.content_type != "application/json") return {};
  auto body = apple::parse_apns_error_body(a.body);
  return body ? body->reason : std::string();
}

bool matches(const Expected::One& e, const Answer& a) {
  switch (e.outcome) {
    case Outcome::closed:
      return a.status < 0 && (a.error.starts_with("closed") || a.error.starts_with("reset"));
    case Outcome::refused:
      return a.status < 0 && !a.error.starts_with("timeout") &&
             !a.error.starts_with("http2_stream_reset");
    case Outcome::reset:
      return a.status < 0 && a.error.starts_with("http2_stream_reset") &&
             a.error.find("PROTOCOL_ERROR") != std::string::npos;
    case Outcome::http:
      break;
  }
  if (a.status != e.status) return false;
  if (e.fail_info) {
    auto rep = cert_rep_of(a);
    return rep && rep->status == mdmlab::scep::PkiStatus::failure && rep->fail_info == e.fail_info;
  }
  return e.reason.empty() || apns_reason_of(a) == e.reason;
}
}  // namespace

std::string Expected::describe() const {
  if (any_of.empty()) return "(nothing: the case states no expected answer)";
  std::string out;
  for (const auto& e : any_of) {
    if (!out.empty()) out += " or ";
    switch (e.outcome) {
      case Outcome::closed:
        out += "closed";
        continue;
      case Outcome::refused:
        out += "refused";
        continue;
      case Outcome::reset:
        out += "RST_STREAM PROTOCOL_ERROR";
        continue;
      case Outcome::http:
        break;
    }
    out += std::to_string(e.status);
    if (e.fail_info)
      out += " CertRep FAILURE " + std::string(mdmlab::scep::to_string(*e.fail_info));
    if (!e.reason.empty()) out += " " + e.reason;
  }
  return out;
}

std::string describe_answer(const Case& c, const Answer& a) {
  if (a.status < 0) {
    auto what = a.error.substr(0, a.error.find(':'));
    if (what == "http2_stream_reset") {
      for (const char* code : {"PROTOCOL_ERROR", "REFUSED_STREAM", "CANCEL", "INTERNAL_ERROR"})
        if (a.error.find(code) != std::string::npos) return "RST_STREAM " + std::string(code);
      return "RST_STREAM";
    }
    return what.empty() ? "no answer" : what;
  }
  auto out = std::to_string(a.status);
  if (auto rep = cert_rep_of(a)) {
    out += " CertRep " + std::string(mdmlab::scep::to_string(*rep->status));
    if (rep->fail_info) out += " " + std::string(mdmlab::scep::to_string(*rep->fail_info));
  } else if (c.channel == Channel::apns_h2 && a.status >= 400) {
    auto reason = apns_reason_of(a);
    out += reason.empty() ? " (no APNs reason)" : " " + reason;
  }
  return out;
}

Verdict judge(const Case& c, const Answer& a, std::string* got) {
  if (got) *got = describe_answer(c, a);
  for (const auto& e : c.expect.any_of)
    if (matches(e, a)) return Verdict::clean;
  if (a.status >= 500) return Verdict::server_error;
  if (a.status >= 400) return Verdict::wrong_answer;
  auto rep = cert_rep_of(a);
  if (rep && rep->status == mdmlab::scep::PkiStatus::failure) return Verdict::wrong_answer;
  return Verdict::not_clean;
}

}  // namespace mdmlab::testing::hostile
