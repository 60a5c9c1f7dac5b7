#include "tests/hostile/hostile_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <thread>

#include "core/net/media_type.hpp"
#include "core/net/tls_context.hpp"
#include "crypto/ca.hpp"
#include "crypto/init.hpp"
#include "protocol/apple/apns.hpp"
#include "protocol/apple/checkin.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/apple/dep/server_token.hpp"
#include "protocol/apple/machine_info.hpp"
#include "protocol/entra/oauth_form.hpp"
#include "protocol/scep/pki_message.hpp"
#include "protocol/windows/soap.hpp"
#include "protocol/windows/syncml.hpp"
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

AbmHost::~AbmHost() {
  if (abm_sim) abm_sim->stop();
  abm_io.stop();
}

// SsoIdp and AbmHost are bases listed before ScepServerFixture: constructed before the server is
// configured. The ABM simulator starts here, on the server's clock (ScepServerFixture's members
// exist when it calls this).
HostileServer::HostileServer()
    : ScepServerFixture([this](server::ReferenceServerConfig& cfg) {
        cfg.https_port = 0;
        cfg.ade_sso = SsoIdp::settings;
        abm_sim = std::make_unique<simulators::abm::AbmSimulator>(
            abm_io, simulators::abm::AbmSimulatorConfig{}, clock);
        auto started = abm_sim->start();
        BOOST_REQUIRE_MESSAGE(started.ok(),
                              "ABM simulator: " << (started ? "" : started.error().message));
        server::DepSettings dep;
        dep.url = abm_sim->dep_url();
        dep.token_text = apple::dep::encode_server_token(abm_sim->state().token());
        dep.interval = std::chrono::hours(1);  // on the frozen clock: never due again
        dep.poll = std::chrono::milliseconds(20);
        cfg.dep = dep;
      }) {
  // The server's first DEP pass (at start): its profile defined at ABM, no device there yet.
  for (int i = 0; i < 500 && server->dep_passes() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  BOOST_REQUIRE_MESSAGE(server->dep_passes() == 1, "the first DEP sync pass did not end in 5 s");
  auto dep = raw_roundtrip(
      http_port(),
      raw_request("GET", "/admin/v1/apple/dep", {{"Authorization", "Bearer " + admin_token}}, ""),
      kTimeoutMs);
  BOOST_REQUIRE_MESSAGE(dep.status == 200, "GET /admin/v1/apple/dep -> " << dep.status);
  auto dep_state = nlohmann::json::parse(dep.body);
  BOOST_REQUIRE_MESSAGE(dep_state["last_error"] == "" && dep_state["profile_uuid"] != "",
                        "the first DEP pass: " << dep.body);
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
  prepare_windows();
  apns = std::make_unique<ApnsSide>(io);
  m.apns = apns->materials();
  abm = std::make_unique<AbmSide>(*abm_sim, clock);
  m.abm = abm->materials();
  prepare_sso();
  prepare_entra();
  BOOST_REQUIRE_EQUAL(server->dep_passes(), 1);  // nothing made another pass due
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

namespace {
const Device* identity(const Materials& m, ClientCert cert) {
  switch (cert) {
    case ClientCert::mac_a:
      return &m.mac_a;
    case ClientCert::mac_b:
      return &m.mac_b;
    case ClientCert::windows_pc:
      return &m.windows.pc;
    case ClientCert::none:
      break;
  }
  return nullptr;
}
}  // namespace

boost::asio::ssl::context& HostileServer::tls_context(Channel channel, ClientCert cert) {
  auto& ctx = tls_[{channel, channel == Channel::entra_tls ? ClientCert::none : cert}];
  if (!ctx) {
    net::TlsClientConfig tls;
    if (channel == Channel::entra_tls) {
      tls.trusted_roots = {entra->ca_certificate()};
    } else {
      tls.trusted_roots = {server->ca().certificate()};
      if (const auto* d = identity(materials_, cert)) {
        tls.client_certificate = d->cert;
        tls.client_key = d->key;
      }
    }
    ctx = net::make_client_context(tls).value();
  }
  return *ctx;
}

Answer HostileServer::send(const Case& c) {
  if (c.channel == Channel::apns_http || c.channel == Channel::apns_h2) return apns->send(c);
  if (c.channel == Channel::abm_http) return abm->send(c);
  if (c.channel == Channel::raw_http) return raw_roundtrip(http_port(), c.raw, kTimeoutMs);
  if (c.channel == Channel::raw_tls)
    return raw_tls_roundtrip(net::Url::parse(server->https_url()).value().port,
                             tls_context(c.channel, c.cert), c.raw, kTimeoutMs);
  if (c.channel == Channel::entra_tls)
    return raw_tls_roundtrip(net::Url::parse(entra->url()).value().port,
                             tls_context(c.channel, c.cert), c.raw, kTimeoutMs);
  if (c.channel == Channel::entra_http)
    return raw_roundtrip(net::Url::parse(entra->control_url()).value().port, c.raw, kTimeoutMs);
  net::HttpClientOptions o;
  o.timeout = std::chrono::seconds(kTimeoutMs / 1000);
  o.tls = net::TlsClientConfig{};
  o.tls->trusted_roots = {server->ca().certificate()};
  if (const auto* d = identity(materials_, c.cert)) {
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
  a.location = res->header("Location");
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
  auto field = [&](const std::string& name) {
    auto at = lhead.find("\r\n" + name + ":");
    if (at == std::string::npos) return std::string();
    auto start = at + name.size() + 3, end = head.find("\r\n", start);
    auto value = head.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    return value;
  };
  a.content_type = field("content-type");
  a.location = field("location");
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

// What an answer carries of the kind `what` (Carries), "" if nothing of it: the SOAP fault's
// subcode, Entra's OAuth error, the SyncHdr Status of a one-command SyncML answer, the error of
// a redirect, the AADSTS code an HTML page shows.
std::string carried(Carries what, const Answer& a) {
  switch (what) {
    case Carries::nothing:
      return {};
    case Carries::soap_fault: {
      if (!net::media_type_is(a.content_type, "application/soap+xml")) return {};
      auto f = mdmlab::windows::soap::parse_fault(a.body);
      return f ? f->subcode : std::string();
    }
    case Carries::oauth_error: {
      if (!net::media_type_is(a.content_type, "application/json")) return {};
      auto j = nlohmann::json::parse(a.body, nullptr, false);
      if (!j.is_object() || !j["error"].is_string() || !j["error_description"].is_string() ||
          !j["error_description"].get<std::string>().starts_with("AADSTS"))
        return {};
      return j["error"].get<std::string>();
    }
    case Carries::syncml_status: {
      if (!net::media_type_is(a.content_type, mdmlab::windows::syncml::kContentType)) return {};
      auto m = mdmlab::windows::syncml::parse(a.body);
      if (!m || m->body.size() != 1 || m->body[0].name != "Status" || m->body[0].cmd != "SyncHdr")
        return {};
      return m->body[0].data;
    }
    case Carries::redirect_error: {
      const auto q = a.location.find('?');
      if (q == std::string::npos) return {};
      auto params = entra::parse_form(std::string_view(a.location).substr(q + 1));
      return params && params->count("error") ? params->at("error") : std::string();
    }
    case Carries::page_error: {
      if (!a.location.empty() || !net::media_type_is(a.content_type, "text/html")) return {};
      const auto at = a.body.find("AADSTS");
      if (at == std::string::npos) return {};
      auto end = at + 6;
      while (end < a.body.size() && std::isdigit(static_cast<unsigned char>(a.body[end]))) ++end;
      return a.body.substr(at, end - at);
    }
  }
  return {};
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
  if (e.carries != Carries::nothing) return carried(e.carries, a) == e.carried;
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
    if (e.carries == Carries::syncml_status) out += " SyncHdr Status";
    if (e.carries == Carries::redirect_error) out += " error=";
    if (e.carries != Carries::nothing)
      out += (e.carries == Carries::redirect_error ? "" : " ") + e.carried;
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
  } else {
    // The detail the case looks for (the first kind it names), or what else the answer is.
    for (const auto& e : c.expect.any_of) {
      if (e.carries == Carries::nothing) continue;
      auto value = carried(e.carries, a);
      if (e.carries == Carries::syncml_status) {
        auto m = mdmlab::windows::syncml::parse(a.body);
        out += value.empty() ? (m ? " SyncML with " + std::to_string(m->body.size()) + " commands"
                                  : std::string(" (no one-Status SyncML)"))
                             : " SyncHdr Status " + value;
      } else if (e.carries == Carries::redirect_error) {
        out += value.empty() ? " (no error= redirect)" : " error=" + value;
      } else {
        out += value.empty() ? " (" + a.content_type + ")" : " " + value;
      }
      break;
    }
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
