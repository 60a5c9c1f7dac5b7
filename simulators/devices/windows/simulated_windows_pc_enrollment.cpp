// The simulated PC's enrollment (MS-MDE2): discovery, the certificate policy, the
// RequestSecurityToken, and the provisioning document installed.
#include <chrono>

#include "crypto/csr.hpp"
#include "crypto/random.hpp"
#include "crypto/windows_client_csr.hpp"
#include "protocol/windows/provisioning_doc.hpp"
#include "protocol/windows/wstep.hpp"
#include "simulators/devices/windows/enrollment_install.hpp"
#include "simulators/devices/windows/simulated_windows_pc.hpp"

namespace mdmlab::simulators::windows_pc {
namespace asio = boost::asio;
namespace soap = mdmlab::windows::soap;
namespace discovery = mdmlab::windows::discovery;
namespace xcep = mdmlab::windows::xcep;
namespace wstep = mdmlab::windows::wstep;
namespace provisioning = mdmlab::windows::provisioning;

namespace {
constexpr const char* kEnrollUserAgent = "ENROLLClient";
// The enrollment app's broker return address, as Windows' Settings app sends it.
constexpr const char* kAppReturnUrl = "ms-app://windows.immersivecontrolpanel";
constexpr const char* kDeviceType = "CIMClient_Windows";
}  // namespace

net::HttpClientOptions SimulatedWindowsPc::enrollment_options(const std::string& scheme) const {
  auto options = client_options();
  if (scheme == "https" && !knobs_.trusted_roots.empty()) {
    options.tls = net::TlsClientConfig{};
    options.tls->trusted_roots = knobs_.trusted_roots;
  }
  return options;
}

asio::awaitable<Result<void>> SimulatedWindowsPc::enroll_locked(std::string discovery_url) {
  state_ = WindowsState::unenrolled;
  last_error_.clear();
  auto discovering = discover(discovery_url);
  auto found = co_await std::move(discovering);
  if (!found) co_return fail(found.error());
  if (discovery_.auth_policy == "Federated" && identity_.federated_token.empty() &&
      knobs_.entra_token.empty()) {
    auto signing_in = sign_in_federated();
    auto token = co_await std::move(signing_in);
    if (!token) co_return fail(token.error());
    identity_.federated_token = std::move(*token);
  }
  auto security = security_for(discovery_.auth_policy);
  if (!security) co_return fail(security.error());
  auto asking = get_policy(*security);
  auto policy = co_await std::move(asking);
  if (!policy) co_return fail(policy.error());
  auto requesting = request_token(*security);
  auto doc = co_await std::move(requesting);
  if (!doc) co_return fail(doc.error());
  auto installed = install(*doc);
  if (!installed) co_return fail(installed.error());
  state_ = WindowsState::enrolled;
  co_return success();
}

Result<RequestSecurity> SimulatedWindowsPc::security_for(const std::string& auth_policy) const {
  if (auth_policy == "OnPremise")
    return on_premise_security(identity_.upn.value_or(""), identity_.enrollment_secret);
  if (auth_policy == "Federated") {
    if (!knobs_.entra_token.empty()) return federated_security(knobs_.entra_token, true);
    if (identity_.federated_token.empty())
      return make_error("windows_no_federated_token",
                        "discovery chose Federated and the PC has no token from the auth page");
    return federated_security(identity_.federated_token);
  }
  return make_error("windows_unsupported_auth_policy",
                    "discovery chose AuthPolicy '" + auth_policy + "'");
}

asio::awaitable<Result<soap::Envelope>> SimulatedWindowsPc::post_soap(std::string url_text,
                                                                      std::string action,
                                                                      std::string body_xml,
                                                                      RequestSecurity security,
                                                                      std::string stage) {
  auto url = net::Url::parse(url_text);
  if (!url) co_return url.error();
  net::HttpClient http(executor_, url->origin(), enrollment_options(url->scheme));
  const auto message_id = new_message_id();
  net::HttpRequest req;
  req.method = "POST";
  req.target = url->target;
  req.headers.emplace_back("Content-Type", soap::kContentType);
  req.headers.emplace_back("User-Agent", kEnrollUserAgent);
  req.body = write_request(action, message_id, url_text, body_xml, security);
  auto sending = http.send(std::move(req));
  auto res = co_await std::move(sending);
  if (!res) co_return res.error();
  if (auto fault = soap::parse_fault(res->body)) {
    std::string why = fault->subcode + ": " + fault->reason;
    if (!fault->error_type.empty()) why += " (" + fault->error_type + ")";
    co_return make_error(stage + "_fault", why);
  }
  if (res->status != 200)
    co_return make_error(stage + "_http", url_text + " answered HTTP " +
                                              std::to_string(res->status) + ": " +
                                              res->body.substr(0, 200));
  auto envelope = soap::parse_envelope(res->body);
  if (!envelope) co_return make_error(stage + "_bad_answer", envelope.error().message);
  if (envelope->relates_to != message_id)
    warnings_.push_back(action + ": RelatesTo is '" + envelope->relates_to +
                        "', not our MessageID " + message_id);
  co_return std::move(*envelope);
}

asio::awaitable<Result<void>> SimulatedWindowsPc::discover(const std::string& url_text) {
  // The probe: Windows GETs the discovery URL first and goes on only after a 200.
  auto url = net::Url::parse(url_text);
  if (!url) co_return url.error();
  net::HttpClient http(executor_, url->origin(), enrollment_options(url->scheme));
  net::HttpRequest probe;
  probe.target = url->target;
  probe.headers.emplace_back("User-Agent", kEnrollUserAgent);
  auto probing = http.send(std::move(probe));
  auto probed = co_await std::move(probing);
  if (!probed) co_return probed.error();
  if (probed->status != 200)
    co_return make_error("windows_discovery_probe",
                         "GET " + url_text + " answered HTTP " + std::to_string(probed->status));

  discovery::DiscoverRequest request{
      identity_.upn.value_or(""), knobs_.request_version, kDeviceType,
      identity_.os_version,       identity_.os_edition,   knobs_.auth_policies};
  auto posting =
      post_soap(url_text, discovery::kDiscoverAction, discovery::encode_discover(request),
                RequestSecurity{}, "windows_discovery");
  auto answer = co_await std::move(posting);
  if (!answer) co_return answer.error();
  auto response = discovery::parse_discover_response(answer->body_xml);
  if (!response) co_return make_error("windows_discovery_bad_answer", response.error().message);
  if (response->enrollment_policy_service_url.empty())
    co_return make_error("windows_discovery_bad_answer",
                         "DiscoverResponse has no EnrollmentPolicyServiceUrl");
  discovery_ = std::move(*response);
  co_return success();
}

asio::awaitable<Result<std::string>> SimulatedWindowsPc::sign_in_federated() {
  // The Web Authentication Broker: AuthenticationServiceUrl?appru=...&login_hint=<UPN>, through
  // the identity provider's sign-in, to an end page whose form posts wresult to appru.
  if (discovery_.authentication_service_url.empty())
    co_return make_error("windows_discovery_bad_answer",
                         "AuthPolicy Federated without an AuthenticationServiceUrl");
  if (!knobs_.sign_in || knobs_.sign_in->username.empty())
    co_return make_error("windows_sign_in_required",
                         "discovery chose Federated and the PC has no account to sign in with");
  const auto& start = discovery_.authentication_service_url;
  web::WebFlow flow;
  flow.start_url = start + (start.find('?') == std::string::npos ? "?" : "&") +
                   "appru=" + net::percent_encode(kAppReturnUrl) + "&login_hint=" +
                   net::percent_encode(identity_.upn.value_or(knobs_.sign_in->username));
  flow.server_options = enrollment_options("https");
  flow.sign_in = &*knobs_.sign_in;
  flow.error_prefix = "windows";
  auto browsing = web::browse(executor_, std::move(flow));
  auto end = co_await std::move(browsing);
  if (!end) co_return end.error();
  if (!end->app_form)
    co_return make_error("windows_auth_bad_end_page",
                         "the sign-in ended in " + end->content_type + ", not a page for the app");
  if (end->app_form->action != kAppReturnUrl)
    co_return make_error("windows_auth_bad_end_page",
                         "the end page posts to " + end->app_form->action + ", not to appru");
  auto token = end->app_form->field("wresult");
  if (token.empty())
    co_return make_error("windows_auth_bad_end_page", "the end page has no wresult");
  co_return token;
}

asio::awaitable<Result<void>> SimulatedWindowsPc::get_policy(const RequestSecurity& security) {
  auto posting = post_soap(discovery_.enrollment_policy_service_url, xcep::kGetPoliciesAction,
                           xcep::encode_get_policies({}), security, "windows_policy");
  auto answer = co_await std::move(posting);
  if (!answer) co_return answer.error();
  auto policy = xcep::parse_get_policies_response(answer->body_xml);
  if (!policy) co_return make_error("windows_policy_bad_answer", policy.error().message);
  if (policy->not_changed) {
    warnings_.push_back("GetPolicies answered policiesNotChanged to a client with no policy");
    policy_ = xcep::Policy{};
  } else {
    policy_ = std::move(*policy);
  }
  if (policy_.minimal_key_length < 1024 || policy_.minimal_key_length > 8192)
    co_return make_error("windows_policy_bad_answer",
                         "minimalKeyLength " + std::to_string(policy_.minimal_key_length));
  co_return success();
}

asio::awaitable<Result<std::string>> SimulatedWindowsPc::request_token(
    const RequestSecurity& security) {
  const int bits = policy_.minimal_key_length;
  if (key_.empty() || key_.type() != crypto::KeyType::rsa || key_.bits() < bits) {
    auto fresh = crypto::PrivateKey::generate_rsa(bits);
    if (!fresh) co_return fresh.error();
    key_ = std::move(*fresh);
  }
  // The request as Windows writes it (crypto/windows_client_csr.hpp), or a clean one.
  Result<crypto::Csr> csr = make_error("bad_csr", "");
  if (knobs_.clean_csr) {
    crypto::CsrOptions csr_options;
    csr_options.subject = {{"CN", identity_.device_id}};
    csr = crypto::Csr::build(key_, csr_options);
  } else {
    csr = crypto::build_windows_client_csr(key_, identity_.device_id,
                                           crypto::random_uuid().substr(0, 30));
  }
  if (!csr) co_return csr.error();

  wstep::RequestSecurityToken rst;
  rst.token_type = wstep::kDeviceEnrollmentToken;
  rst.request_type = wstep::kIssue;
  rst.value_type = wstep::kPkcs10;
  rst.csr_der = csr->to_der();
  rst.context = {
      {"UXInitiated", "true"},
      {"HWDevID", identity_.hw_dev_id},
      {"Locale", identity_.locale},
      {"TargetedUserLoggedIn", user_enrollment() ? "true" : "false"},
      {"OSEdition", identity_.os_edition},
      {"DeviceName", identity_.device_name},
      {"MAC", identity_.mac_address},
      {"DeviceID", identity_.device_id},
      {"EnrollmentType", user_enrollment() ? "Full" : "Device"},
      {"DeviceType", kDeviceType},
      {"OSVersion", identity_.os_version},
      {"ApplicationVersion", identity_.os_version},
  };
  auto posting = post_soap(discovery_.enrollment_service_url, wstep::kRstAction,
                           wstep::encode_rst(rst), security, "windows_enrollment");
  auto answer = co_await std::move(posting);
  if (!answer) co_return answer.error();
  auto doc = wstep::parse_rstrc(answer->body_xml);
  if (!doc) co_return make_error("windows_enrollment_bad_answer", doc.error().message);
  co_return std::move(*doc);
}

Result<void> SimulatedWindowsPc::install(const std::string& provisioning_xml) {
  provisioning_xml_ = provisioning_xml;
  auto doc = provisioning::parse(provisioning_xml);
  if (!doc) return make_error("windows_bad_provisioning", doc.error().message);
  auto installed = install_enrollment(*doc, key_, identity_.device_id, user_enrollment(),
                                      std::chrono::system_clock::now());
  if (!installed) return installed.error();
  auto url = net::Url::parse(installed->management_url);
  if (!url) return make_error("windows_bad_provisioning", "ADDR: " + url.error().message);

  certificate_ = installed->client;
  roots_ = installed->roots;
  management_url_ = installed->management_url;
  provider_id_ = installed->provider_id;
  for (auto& w : installed->warnings) warnings_.push_back(std::move(w));
  const std::string provider = "./Vendor/MSFT/DMClient/Provider/" + provider_id_;
  for (const auto& [name, value] : installed->provider_parms)
    csp_.set(provider + "/" + name, value);
  for (const auto& [name, value] : installed->poll) csp_.set(provider + "/Poll/" + name, value);

  // The management connection: the provisioned roots (and the scenario's) as trust anchors,
  // the issued certificate as the TLS client identity.
  auto options = client_options();
  options.user_agent = "MSFT OMA DM Client/1.2.0.1";
  options.tls = net::TlsClientConfig{};
  options.tls->trusted_roots = roots_;
  for (const auto& r : knobs_.trusted_roots) options.tls->trusted_roots.push_back(r);
  options.tls->client_certificate = certificate_;
  options.tls->client_key = key_;
  management_ = std::make_unique<net::HttpClient>(executor_, url->origin(), options);
  management_target_ = url->target + (url->target.find('?') == std::string::npos ? "?" : "&") +
                       "mode=Maintenance&Platform=WoA";
  return success();
}

}  // namespace mdmlab::simulators::windows_pc
