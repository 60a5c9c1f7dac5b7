// Windows MDM at the reference server, by hand over real sockets: discovery (the GET probe and
// the SOAP Discover), GetPolicies and the WSTEP enrollment with the enrollment secret (a wrong
// one gets an s:Authentication fault and nothing stored); the issued certificate (CN =
// DeviceID, clientAuth) verifies with the OpenSSL CLI as an SSL client; then SyncML over mTLS:
// the header Status, a queued Get delivered and its Results stored for the admin API, a
// message claiming another DeviceID refused with Status 403, malformed SyncML 400, no client
// certificate 401, and Alert 1226 unenrolling the PC.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "crypto/csr.hpp"
#include "protocol/windows/discovery.hpp"
#include "protocol/windows/provisioning_doc.hpp"
#include "protocol/windows/soap.hpp"
#include "protocol/windows/syncml.hpp"
#include "protocol/windows/wstep.hpp"
#include "protocol/windows/xcep.hpp"
#include "tests/server/scep_fixture.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using nlohmann::json;
namespace win = mdmlab::windows;

namespace {
struct WindowsFixture : ScepServerFixture {
  WindowsFixture()
      : ScepServerFixture([](server::ReferenceServerConfig& c) { c.https_port = 0; }) {}

  net::HttpClientOptions tls(std::optional<crypto::Certificate> cert = std::nullopt,
                             crypto::PrivateKey key = {}) {
    net::HttpClientOptions o;
    o.tls = net::TlsClientConfig{};
    o.tls->trusted_roots = {server->ca().certificate()};
    o.tls->server_name = "localhost";
    o.tls->client_certificate = cert;
    o.tls->client_key = key;
    return o;
  }

  // A SOAP request as a Windows client writes it.
  static std::string request(const std::string& action, const std::string& to,
                             const std::string& body, const std::string& password = "") {
    std::string security;
    if (!password.empty())
      security = std::string("<wsse:Security xmlns:wsse=\"") + win::soap::kSecurityNs +
                 "\" s:mustUnderstand=\"1\"><wsse:UsernameToken><wsse:Username>ada@contoso.example"
                 "</wsse:Username><wsse:Password>" +
                 password + "</wsse:Password></wsse:UsernameToken></wsse:Security>";
    return std::string("<s:Envelope xmlns:s=\"") + win::soap::kSoapNs + "\" xmlns:a=\"" +
           win::soap::kAddressingNs + "\"><s:Header><a:Action s:mustUnderstand=\"1\">" + action +
           "</a:Action><a:MessageID>urn:uuid:0D5A1441-5891-453b-becf-a2e5f6ea3749</a:MessageID>"
           "<a:To s:mustUnderstand=\"1\">" +
           to + "</a:To>" + security + "</s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
  }

  net::HttpResponse post(const std::string& url, const std::string& body,
                         const std::string& type = win::soap::kContentType,
                         net::HttpClientOptions options = {}) {
    auto at = url.find('/', url.find("://") + 3);
    if (!options.tls) options = tls();
    net::HttpClient http(io.executor(), url.substr(0, at), options);
    auto res = run(http.post(url.substr(at), body, type));
    BOOST_REQUIRE(res.ok());
    return *res;
  }

  json admin_json(const std::string& method, const std::string& target, const std::string& body) {
    net::HttpClient http(io.executor(), server->http_url());
    net::HttpRequest req;
    req.method = method;
    req.target = target;
    req.headers.emplace_back("Authorization", "Bearer " + admin_token);
    if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
    req.body = body;
    auto res = run(http.send(req));
    BOOST_REQUIRE(res.ok());
    auto j = json::parse(res->body, nullptr, false);
    j["http_status"] = res->status;
    return j;
  }
};

win::syncml::Message client_message(const std::string& device_id, const std::string& msg_id) {
  win::syncml::Message m;
  m.header.session_id = "1A";
  m.header.msg_id = msg_id;
  m.header.target = "https://localhost/ManagementServer/MDM.svc";
  m.header.source = device_id;
  m.final = true;
  return m;
}

std::string syncml_text(const win::syncml::Message& m) {
  return win::syncml::serialize(m).value();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(windows_server)

BOOST_AUTO_TEST_CASE(a_pc_enrolls_with_the_secret_and_is_managed_over_syncml_with_its_certificate) {
  WindowsFixture f;
  const auto discovery_url = f.server->windows_discovery_url();
  BOOST_TEST(discovery_url.starts_with("https://"));
  {
    auto at = discovery_url.find('/', 8);
    net::HttpClient http(f.io.executor(), discovery_url.substr(0, at), f.tls());
    auto probe = f.run(http.get(discovery_url.substr(at)));
    BOOST_REQUIRE(probe.ok());
    BOOST_TEST(probe->status == 200);
    BOOST_TEST(probe->body.empty());
  }
  win::discovery::DiscoverRequest d{"ada@contoso.example", "4.0", "CIMClient_Windows",
                                    "10.0.22631.1",        "48",  {"OnPremise"}};
  auto discovered = f.post(discovery_url, f.request(win::discovery::kDiscoverAction, discovery_url,
                                                    win::discovery::encode_discover(d)));
  BOOST_REQUIRE(discovered.status == 200);
  auto de = win::soap::parse_envelope(discovered.body).value();
  BOOST_TEST(de.relates_to == "urn:uuid:0D5A1441-5891-453b-becf-a2e5f6ea3749");
  auto dr = win::discovery::parse_discover_response(de.body_xml).value();
  BOOST_TEST(dr.auth_policy == "OnPremise");

  // Policy: a wrong secret is an authentication fault; the right one gets the policy.
  auto policies = win::xcep::encode_get_policies({});
  auto refused = f.post(dr.enrollment_policy_service_url,
                        f.request(win::xcep::kGetPoliciesAction, dr.enrollment_policy_service_url,
                                  policies, "not-the-secret"));
  BOOST_TEST(refused.status == 401);
  BOOST_TEST(win::soap::parse_fault(refused.body)->subcode == "s:Authentication");
  const auto secret = f.server->windows_enrollment_secret();
  auto policy = f.post(
      dr.enrollment_policy_service_url,
      f.request(win::xcep::kGetPoliciesAction, dr.enrollment_policy_service_url, policies, secret));
  BOOST_REQUIRE(policy.status == 200);
  auto p = win::xcep::parse_get_policies_response(
               win::soap::parse_envelope(policy.body).value().body_xml)
               .value();
  BOOST_TEST(p.minimal_key_length == 2048);

  // Enrollment.
  auto key = test_key_pool().get(70).value();
  crypto::CsrOptions csr_options;
  csr_options.subject = {{"CN", "DEV-A"}};
  auto csr = crypto::Csr::build(key, csr_options).value();
  win::wstep::RequestSecurityToken rst;
  rst.token_type = win::wstep::kDeviceEnrollmentToken;
  rst.request_type = win::wstep::kIssue;
  rst.value_type = win::wstep::kPkcs10;
  rst.csr_der = csr.to_der();
  rst.context = {{"DeviceID", "DEV-A"},
                 {"HWDevID", "HW-A"},
                 {"EnrollmentType", "Full"},
                 {"DeviceName", "PC-A"},
                 {"OSVersion", "10.0.22631.1"}};
  auto wrong =
      f.post(dr.enrollment_service_url, f.request(win::wstep::kRstAction, dr.enrollment_service_url,
                                                  win::wstep::encode_rst(rst), "nope"));
  BOOST_TEST(wrong.status == 401);
  BOOST_TEST(f.from_store(f.server->windows_store().windows_enrollments()).empty());
  auto enrolled =
      f.post(dr.enrollment_service_url, f.request(win::wstep::kRstAction, dr.enrollment_service_url,
                                                  win::wstep::encode_rst(rst), secret));
  BOOST_REQUIRE_MESSAGE(enrolled.status == 200, enrolled.body);
  auto doc_xml =
      win::wstep::parse_rstrc(win::soap::parse_envelope(enrolled.body).value().body_xml).value();
  auto doc = win::provisioning::parse(doc_xml).value();
  const auto* my = doc.at({"CertificateStore", "My", "User"});
  BOOST_REQUIRE(my && !my->children.empty());
  auto cert_der = base64_decode(my->children[0].parm("EncodedCertificate")->value).value();
  auto cert = crypto::Certificate::from_der(cert_der).value();
  BOOST_TEST(cert.subject_field("CN") == "DEV-A");
  BOOST_TEST(my->children[0].type == win::provisioning::thumbprint(cert_der));
  const auto mgmt = doc.at({"APPLICATION"})->parm("ADDR")->value;
  BOOST_TEST(mgmt.ends_with("/ManagementServer/MDM.svc"));
  write_file(f.dir + "/client.pem", cert.to_pem());
  write_file(f.dir + "/root.pem", f.server->ca().certificate().to_pem());
  auto verify = run_command("openssl verify -purpose sslclient -CAfile " + f.dir + "/root.pem " +
                            f.dir + "/client.pem");
  BOOST_TEST(verify.exit_code == 0, verify.output);
  auto stored = f.from_store(f.server->windows_store().windows_enrollment("DEV-A"));
  BOOST_REQUIRE(stored.has_value());
  BOOST_TEST(stored->upn == "ada@contoso.example");

  // Management: the first message, then a queued Get and its Results.
  const auto mtls = f.tls(cert, key);
  auto first = client_message("DEV-A", "1");
  win::syncml::Command alert;
  alert.name = "Alert";
  alert.cmd_id = "2";
  alert.data = "1201";
  first.body.push_back(alert);
  auto reply = f.post(mgmt, syncml_text(first), win::syncml::kContentType, mtls);
  BOOST_REQUIRE_MESSAGE(reply.status == 200, reply.body);
  auto r1 = win::syncml::parse(reply.body).value();
  BOOST_TEST(r1.body[0].cmd == "SyncHdr");
  BOOST_TEST(r1.body[0].cmd_ref == "0");
  BOOST_TEST(r1.body[0].data == "200");
  BOOST_TEST(r1.body[1].cmd_ref == "2");
  // Seed 001: the agent's install follows the enrollment, its EUA token in the command line.
  BOOST_REQUIRE(r1.body.size() == 4u);
  BOOST_TEST(r1.body[2].name == "Add");
  BOOST_TEST(r1.body[3].name == "Exec");
  BOOST_TEST(r1.body[3].items[0].target.ends_with("/DownloadInstall"));
  BOOST_TEST(r1.body[3].items[0].data->find("EUA_TOKEN=") != std::string::npos);

  auto queued =
      f.admin_json("POST", "/admin/v1/windows/commands",
                   R"({"device_id": "DEV-A", "verb": "Get", "target": "./DevDetail/SwV"})");
  BOOST_REQUIRE(queued["http_status"] == 201);
  const auto uuid = queued["command_uuid"].get<std::string>();
  auto second =
      f.post(mgmt, syncml_text(client_message("DEV-A", "2")), win::syncml::kContentType, mtls);
  auto r2 = win::syncml::parse(second.body).value();
  BOOST_REQUIRE(r2.body.size() == 2u);
  BOOST_TEST(r2.body[1].name == "Get");
  BOOST_TEST(r2.body[1].items[0].target == "./DevDetail/SwV");
  BOOST_TEST(f.admin_json("GET", "/admin/v1/windows/commands/" + uuid, "")["status"] == "sent");

  auto third = client_message("DEV-A", "3");
  win::syncml::Command st;
  st.name = "Status";
  st.cmd_id = "1";
  st.msg_ref = "2";
  st.cmd_ref = r2.body[1].cmd_id;
  st.cmd = "Get";
  st.data = "200";
  win::syncml::Command results;
  results.name = "Results";
  results.cmd_id = "2";
  results.msg_ref = "2";
  results.cmd_ref = r2.body[1].cmd_id;
  win::syncml::Item item;
  item.source = "./DevDetail/SwV";
  item.meta = win::syncml::Meta{"chr", "text/plain", std::nullopt, std::nullopt, ""};
  item.data = "10.0.22631.3447";
  results.items.push_back(item);
  third.body = {st, results};
  BOOST_TEST(f.post(mgmt, syncml_text(third), win::syncml::kContentType, mtls).status == 200);
  auto answer = f.admin_json("GET", "/admin/v1/windows/commands/" + uuid, "");
  BOOST_TEST(answer["status"] == "200");
  BOOST_TEST(answer["results"][0]["data"] == "10.0.22631.3447");

  // Another DeviceID in the SyncHdr than the certificate's: Status 403, nothing taken.
  auto liar = client_message("DEV-B", "4");
  auto lied =
      win::syncml::parse(f.post(mgmt, syncml_text(liar), win::syncml::kContentType, mtls).body)
          .value();
  BOOST_TEST(lied.body.size() == 1u);
  BOOST_TEST(lied.body[0].data == "403");
  BOOST_TEST(f.post(mgmt, "<SyncML>", win::syncml::kContentType, mtls).status == 400);
  BOOST_TEST(f.post(mgmt, syncml_text(client_message("DEV-A", "5")), "text/xml", mtls).status ==
             415);
  BOOST_TEST(
      f.post(mgmt, syncml_text(client_message("DEV-A", "5")), win::syncml::kContentType).status ==
      401);

  // Alert 1226: unenrolled; the certificate no longer opens a session.
  auto bye = client_message("DEV-A", "6");
  alert.data = "1226";
  bye.body = {alert};
  BOOST_TEST(f.post(mgmt, syncml_text(bye), win::syncml::kContentType, mtls).status == 200);
  auto devices = f.admin_json("GET", "/admin/v1/windows/devices", "");
  BOOST_TEST(devices["devices"][0]["state"] == "unenrolled");
  BOOST_TEST(
      f.post(mgmt, syncml_text(client_message("DEV-A", "7")), win::syncml::kContentType, mtls)
          .status == 403);
}

BOOST_AUTO_TEST_SUITE_END()
