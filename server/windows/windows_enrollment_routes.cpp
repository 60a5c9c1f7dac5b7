#include "server/windows/windows_enrollment_routes.hpp"

#include <algorithm>

#include "core/log/log.hpp"
#include "core/net/media_type.hpp"
#include "crypto/digest.hpp"
#include "crypto/random.hpp"
#include "crypto/secret.hpp"
#include "protocol/windows/discovery.hpp"
#include "protocol/windows/provisioning_doc.hpp"
#include "protocol/windows/soap.hpp"
#include "protocol/windows/sts_token.hpp"
#include "protocol/windows/wstep.hpp"
#include "protocol/windows/xcep.hpp"

namespace mdmlab::server::windows {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
namespace soap = mdmlab::windows::soap;
namespace discovery = mdmlab::windows::discovery;
namespace xcep = mdmlab::windows::xcep;
namespace wstep = mdmlab::windows::wstep;
namespace provisioning = mdmlab::windows::provisioning;

namespace {
constexpr const char* kDeviceEnrollmentUserToken =
    "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/"
    "DeviceEnrollmentUserToken";
constexpr const char* kEntraJwt = "urn:ietf:params:oauth:token-type:jwt";
constexpr const char* kPolicyPath = "/api/mdm/microsoft/policy";
constexpr const char* kEnrollPath = "/api/mdm/microsoft/enroll";

struct Context {
  WindowsEnrollmentSettings settings;
  const crypto::CertificateAuthority& ca;
  store::WindowsStore& store;
  std::shared_ptr<Clock> clock;
  metrics::Family<metrics::Counter>* requests;
  idp::OidcClient* idp;  // null: no Entra tokens

  void count(const char* step, const char* result) { requests->with({step, result}).inc(); }
};

HttpResponse fault(int status, const std::string& subcode, const std::string& reason,
                   const std::string& relates_to) {
  soap::Fault f;
  f.subcode = subcode;
  f.reason = reason;
  f.error_type = subcode.substr(subcode.find(':') + 1);
  f.trace_id = relates_to;
  return HttpResponse::binary(status, soap::write_fault(f, relates_to), soap::kContentType);
}

HttpResponse answer(const std::string& action, const std::string& relates_to,
                    const std::string& body, const std::string& extra_headers = {}) {
  auto xml = soap::write_envelope(action, relates_to, body, "", extra_headers);
  if (!xml) return HttpResponse::text(500, "cannot write the answer\n");
  return HttpResponse::binary(200, *xml, soap::kContentType);
}

// A SOAP request: the right media type, an envelope, the expected action.
Result<soap::Envelope> read_request(const HttpRequest& req, const char* action) {
  if (!net::media_type_is(req.header("Content-Type"), "application/soap+xml"))
    return make_error("s:MessageFormat", "the body must be application/soap+xml");
  auto e = soap::parse_envelope(req.body);
  if (!e) return make_error("s:MessageFormat", e.error().message);
  if (e->action != action) return make_error("s:MessageFormat", "unexpected Action " + e->action);
  return e;
}

// OnPremise: the UsernameToken's password is the enrollment secret; answers the username.
// Federated: the BinarySecurityToken is the sign-in page's STS token (its upn), or, as Azure
// AD join sends it, an access token from the IdP for this app with scp mdm_delegation.
asio::awaitable<Result<std::string>> authenticate(const Context& c, const soap::Envelope& e) {
  const bool federated = !c.settings.authentication_service_url.empty();
  if (e.security_token && federated) {
    const bool entra = e.security_token->value_type == kEntraJwt;
    if (e.security_token->value_type != kDeviceEnrollmentUserToken && !entra)
      co_return make_error("s:Authentication",
                           "the security token is neither a DeviceEnrollmentUserToken nor a JWT");
    auto raw = base64_decode(e.security_token->value);
    if (!raw) co_return make_error("s:Authentication", "the security token is not base64");
    if (entra) {
      if (!c.idp) co_return make_error("s:Authentication", "no identity provider to check it");
      // Named: the coroutine keeps references to its arguments until it has run.
      const auto jwt = to_string(*raw);
      const std::string scope = "mdm_delegation";
      auto checking = c.idp->verify_access_token(jwt, scope);
      auto user = co_await std::move(checking);
      if (!user)
        co_return make_error("s:Authentication",
                             "the access token does not verify: " + user.error().message);
      co_return user->username;
    }
    auto claims = mdmlab::windows::sts::verify(to_string(*raw), c.ca.key(), c.clock->now());
    if (!claims)
      co_return make_error("s:Authentication",
                           "the security token does not verify: " + claims.error().message);
    co_return claims->upn;
  }
  if (!e.username_token)
    co_return make_error("s:Authentication", federated ? "a wsse:UsernameToken or a security token "
                                                         "from the sign-in page is required"
                                                       : "a wsse:UsernameToken is required");
  if (!crypto::constant_time_equals(e.username_token->password, c.settings.enrollment_secret))
    co_return make_error("s:Authentication", "wrong enrollment secret");
  co_return e.username_token->username;
}

int status_of(const std::string& subcode) {
  if (subcode == "s:Authentication") return 401;
  if (subcode == "s:EnrollmentServer") return 503;
  return 400;
}

std::string rfc3339_ms(TimePoint t) {
  auto s = rfc3339_utc(t);  // ...Z
  return s.substr(0, s.size() - 1) + ".000Z";
}

bool plausible_device_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '{' || ch == '}';
  });
}

asio::awaitable<HttpResponse> discover(std::shared_ptr<Context> c, const HttpRequest& req) {
  auto e = read_request(req, discovery::kDiscoverAction);
  if (!e) {
    c->count("discovery", "refused");
    co_return fault(400, e.error().code, e.error().message, "");
  }
  auto d = discovery::parse_discover(e->body_xml);
  if (!d) {
    c->count("discovery", "refused");
    co_return fault(400, "s:MessageFormat", d.error().message, e->message_id);
  }
  discovery::DiscoverResponse r;
  const bool federated = !c->settings.authentication_service_url.empty() &&
                         std::find(d->auth_policies.begin(), d->auth_policies.end(), "Federated") !=
                             d->auth_policies.end();
  r.auth_policy = federated ? "Federated" : "OnPremise";
  if (federated) r.authentication_service_url = c->settings.authentication_service_url;
  r.enrollment_version = d->request_version >= "5.0" ? "5.0" : d->request_version;
  r.enrollment_policy_service_url = c->settings.base_url + kPolicyPath;
  r.enrollment_service_url = c->settings.base_url + kEnrollPath;
  c->count("discovery", "ok");
  co_return answer(discovery::kDiscoverResponseAction, e->message_id,
                   discovery::encode_discover_response(r));
}

asio::awaitable<HttpResponse> policy(std::shared_ptr<Context> c, const HttpRequest& req) {
  auto e = read_request(req, xcep::kGetPoliciesAction);
  if (!e) {
    c->count("policy", "refused");
    co_return fault(400, e.error().code, e.error().message, "");
  }
  auto authenticating = authenticate(*c, *e);
  auto who = co_await std::move(authenticating);
  if (!who) {
    c->count("policy", "unauthenticated");
    co_return fault(401, who.error().code, who.error().message, e->message_id);
  }
  if (auto p = xcep::parse_get_policies(e->body_xml); !p) {
    c->count("policy", "refused");
    co_return fault(400, "s:MessageFormat", p.error().message, e->message_id);
  }
  c->count("policy", "ok");
  co_return answer(xcep::kGetPoliciesResponseAction, e->message_id,
                   xcep::encode_get_policies_response(xcep::Policy{}));
}

asio::awaitable<HttpResponse> enroll(std::shared_ptr<Context> c, const HttpRequest& req) {
  auto e = read_request(req, wstep::kRstAction);
  if (!e) {
    c->count("enroll", "refused");
    co_return fault(400, e.error().code, e.error().message, "");
  }
  auto authenticating = authenticate(*c, *e);
  auto upn = co_await std::move(authenticating);
  if (!upn) {
    c->count("enroll", "unauthenticated");
    co_return fault(401, upn.error().code, upn.error().message, e->message_id);
  }
  auto refuse = [&](const char* subcode, const std::string& why) {
    c->count("enroll", "refused");
    return fault(status_of(subcode), subcode, why, e->message_id);
  };
  auto rst = wstep::parse_rst(e->body_xml);
  if (!rst) co_return refuse("s:MessageFormat", rst.error().message);
  if (rst->request_type != wstep::kIssue)
    co_return refuse("s:MessageFormat", "only Issue requests enroll");
  if (rst->token_type != wstep::kDeviceEnrollmentToken)
    co_return refuse("s:MessageFormat", "only a DeviceEnrollmentToken is issued");
  const auto device_id = rst->context_value("DeviceID");
  if (!plausible_device_id(device_id))
    co_return refuse("s:MessageFormat", "AdditionalContext has no usable DeviceID");
  auto csr = crypto::Csr::from_der(rst->csr_der);
  // The whole token is the request: bytes after it are not a PKCS#10 request either.
  if (!csr || csr->to_der() != rst->csr_der)
    co_return refuse("s:CertificateRequest", "not a PKCS#10 request");
  if (!csr->signature_valid())
    co_return refuse("s:CertificateRequest", "the request's signature does not verify");
  auto subject = crypto::make_x509_name({{"CN", device_id}});
  if (!subject) co_return refuse("s:CertificateRequest", subject.error().message);
  const auto now = c->clock->now();
  crypto::IssueOptions options;
  options.validity = c->settings.certificate_validity;
  options.extended_key_usage = {crypto::ExtendedKeyUsage::client_auth};
  auto cert = c->ca.issue(csr->public_key(), subject->get(), options, now);
  if (!cert) co_return refuse("s:CertificateRequest", cert.error().message);
  const auto der = cert->to_der();
  store::WindowsEnrollment record;
  record.device_id = device_id;
  record.hw_dev_id = rst->context_value("HWDevID");
  record.upn = *upn;
  record.enrollment_type = rst->context_value("EnrollmentType");
  record.device_name = rst->context_value("DeviceName");
  record.os_version = rst->context_value("OSVersion");
  record.cert_fingerprint = crypto::sha256_hex(der);
  record.cert_serial = cert->serial_hex();
  record.enrolled_at = now;
  record.last_seen_at = now;
  auto stored = co_await c->store.upsert_windows_enrollment(record);
  if (!stored) co_return refuse("s:EnrollmentServer", "the enrollment could not be stored");
  if (c->settings.agent) {
    // Seed 001: the agent follows the enrollment, with the user's EUA token when there is one.
    auto install = agent_install_commands(*c->settings.agent, device_id, *upn, c->ca.key(), now);
    if (!install) co_return refuse("s:EnrollmentServer", install.error().message);
    // Named, not a braced temporary: GCC 12 and temporaries across co_await.
    std::vector<std::pair<std::string, std::string>> commands = {{"Add", install->add},
                                                                 {"Exec", install->exec}};
    for (const auto& [verb, element] : commands) {
      store::WindowsCommand command;
      command.command_uuid = crypto::random_uuid();
      command.device_id = device_id;
      command.verb = verb;
      command.syncml = element;
      command.created_at = now;
      auto queued = co_await c->store.enqueue_windows_command(command);
      if (!queued) co_return refuse("s:EnrollmentServer", "the agent install could not be queued");
    }
  }
  provisioning::EnrollmentSettings doc;
  doc.root_der = c->ca.certificate().to_der();
  doc.client_der = der;
  doc.user_store = record.enrollment_type == "Full";
  doc.device_id = device_id;
  doc.management_url = c->settings.base_url + kManagementPath;
  doc.provider_id = "mdmlab";
  doc.server_name = "mdmlab";
  log::info("windows", "enrolled {} ({}) for {}", device_id, record.enrollment_type, *upn);
  c->count("enroll", "ok");
  const auto timestamp =
      soap::security_timestamp(rfc3339_ms(now), rfc3339_ms(now + std::chrono::minutes(5)));
  co_return answer(
      wstep::kRstrcAction, e->message_id,
      wstep::encode_rstrc(provisioning::serialize(provisioning::enrollment_document(doc))),
      timestamp);
}
}  // namespace

void add_windows_enrollment_routes(net::Router& router, WindowsEnrollmentSettings settings,
                                   const crypto::CertificateAuthority& ca,
                                   store::WindowsStore& store, std::shared_ptr<Clock> clock,
                                   metrics::Registry& registry, idp::OidcClient* idp) {
  auto c = std::make_shared<Context>(Context{
      std::move(settings), ca, store, std::move(clock),
      &registry.counter("mdmlab_windows_enrollment_requests_total",
                        "Windows enrollment requests, by step (discovery, policy, enroll) and "
                        "result (ok, refused, unauthenticated)",
                        {"step", "result"}),
      idp});
  for (const char* path : {"/EnrollmentServer/Discovery.svc", "/api/mdm/microsoft/discovery"}) {
    router.add("GET", path, [](const HttpRequest&) -> asio::awaitable<HttpResponse> {
      co_return HttpResponse::text(200, "");
    });
    router.add("POST", path, [c](const HttpRequest& req) { return discover(c, req); });
  }
  router.add("POST", kPolicyPath, [c](const HttpRequest& req) { return policy(c, req); });
  router.add("POST", kEnrollPath, [c](const HttpRequest& req) { return enroll(c, req); });
}

}  // namespace mdmlab::server::windows
