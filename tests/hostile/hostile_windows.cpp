// The fixture's Windows PC (HostileServer::prepare_windows): enrolled over raw SOAP with the
// server's enrollment secret as a Windows client does it (MS-MDE2 OnPremise: the WSTEP
// RequestSecurityToken with a PKCS#10 request and the AdditionalContext), its certificate read
// from the provisioning document, then a management session over mTLS: the first message, a
// queued Get delivered and answered with Status and Results. One more command stays queued:
// any message the server took from here on would send it, so a case that got through shows in
// windows_commands (and in last_seen_at: the clock moves on once the PC is set up).
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "crypto/csr.hpp"
#include "protocol/windows/provisioning_doc.hpp"
#include "protocol/windows/soap.hpp"
#include "protocol/windows/syncml.hpp"
#include "protocol/windows/wstep.hpp"
#include "tests/hostile/generator.hpp"
#include "tests/hostile/hostile_fixture.hpp"

namespace mdmlab::testing::hostile {
namespace win = mdmlab::windows;

namespace {
constexpr std::size_t kPcKey = 80, kCsrKey = 81;

win::syncml::Message pc_message(const WindowsMaterials& w, const std::string& msg_id) {
  win::syncml::Message m;
  m.header.session_id = w.session_id;
  m.header.msg_id = msg_id;
  m.header.target = w.base_url + "/ManagementServer/MDM.svc";
  m.header.source = w.pc.udid;
  m.final = true;
  return m;
}
}  // namespace

void HostileServer::prepare_windows() {
  auto& w = materials_.windows;
  w.secret = server->windows_enrollment_secret();
  w.base_url = server->https_url();
  w.pc.udid = "HOSTILE-PC-0001";
  w.other_id = "HOSTILE-PC-0002";
  w.session_id = "1A";
  w.pc.key = test_key_pool().get(kPcKey).value();
  crypto::CsrOptions options;
  options.subject = {{"CN", "HOSTILE-NEW-PC"}};
  w.csr_der =
      to_string(crypto::Csr::build(test_key_pool().get(kCsrKey).value(), options).value().to_der());

  // The enrollment: the RST as Windows sends it, over HTTPS.
  options.subject = {{"CN", w.pc.udid}};
  win::wstep::RequestSecurityToken rst;
  rst.token_type = win::wstep::kDeviceEnrollmentToken;
  rst.request_type = win::wstep::kIssue;
  rst.value_type = win::wstep::kPkcs10;
  rst.csr_der = crypto::Csr::build(w.pc.key, options).value().to_der();
  rst.context = {{"DeviceID", w.pc.udid},
                 {"HWDevID", "HOSTILE-HW-0001"},
                 {"EnrollmentType", "Full"},
                 {"DeviceName", "HOSTILE-PC"},
                 {"OSVersion", "10.0.22631.1"}};
  const auto to = w.base_url + "/api/mdm/microsoft/enroll";
  Case enroll;
  enroll.channel = Channel::tls;
  enroll.cert = ClientCert::none;
  enroll.request.method = "POST";
  enroll.request.target = "/api/mdm/microsoft/enroll";
  enroll.request.headers = {{"Content-Type", win::soap::kContentType}};
  enroll.request.body =
      windows_soap_request(win::wstep::kRstAction, to, win::wstep::encode_rst(rst), w.secret, "1");
  auto enrolled = send(enroll);
  BOOST_REQUIRE_MESSAGE(enrolled.status == 200, "Windows enrollment -> " << enrolled.status << " "
                                                                         << enrolled.body
                                                                         << enrolled.error);
  auto envelope = win::soap::parse_envelope(enrolled.body).value();
  auto doc = win::provisioning::parse(win::wstep::parse_rstrc(envelope.body_xml).value()).value();
  const auto* my = doc.at({"CertificateStore", "My", "User"});
  BOOST_REQUIRE(my && !my->children.empty());
  auto der = base64_decode(my->children[0].parm("EncodedCertificate")->value).value();
  w.pc.cert = crypto::Certificate::from_der(der).value();
  BOOST_REQUIRE(w.pc.cert.subject_field("CN") == w.pc.udid);

  // Management: the first message (Alert 1201, DevInfo), a Get queued, sent and answered.
  auto post = [&](const win::syncml::Message& m) {
    Case c;
    c.channel = Channel::tls;
    c.cert = ClientCert::windows_pc;
    c.request.method = "POST";
    c.request.target = "/ManagementServer/MDM.svc";
    c.request.headers = {{"Content-Type", win::syncml::kContentType}};
    c.request.body = win::syncml::serialize(m).value();
    auto a = send(c);
    BOOST_REQUIRE_MESSAGE(a.status == 200, "SyncML -> " << a.status << " " << a.body << a.error);
    return win::syncml::parse(a.body).value();
  };
  auto first = pc_message(w, "1");
  win::syncml::Command alert;
  alert.name = "Alert";
  alert.cmd_id = "1";
  alert.data = win::syncml::kAlertClientInitiated;
  win::syncml::Command info;
  info.name = "Replace";
  info.cmd_id = "2";
  for (const auto& [uri, value] : {std::pair<std::string, std::string>{"./DevInfo/Man", "mdmlab"},
                                   {"./DevInfo/Mod", "Hostile PC"}}) {
    win::syncml::Item it;
    it.source = uri;
    it.data = value;
    info.items.push_back(it);
  }
  first.body = {alert, info};
  post(first);
  auto queue = [&](const std::string& target) {
    auto a = raw_roundtrip(
        http_port(),
        raw_request(
            "POST", "/admin/v1/windows/commands",
            {{"Authorization", "Bearer " + admin_token}, {"Content-Type", "application/json"}},
            nlohmann::json{{"device_id", w.pc.udid}, {"verb", "Get"}, {"target", target}}.dump()),
        10000);
    BOOST_REQUIRE_MESSAGE(a.status == 201, "queue a Windows command -> " << a.status << a.body);
    return nlohmann::json::parse(a.body).at("command_uuid").get<std::string>();
  };
  w.answered_command = queue("./DevDetail/SwV");
  auto second = post(pc_message(w, "2"));
  BOOST_REQUIRE(second.body.size() == 2u && second.body[1].name == "Get");
  auto third = pc_message(w, "3");
  win::syncml::Command st;
  st.name = "Status";
  st.cmd_id = "1";
  st.msg_ref = "2";
  st.cmd_ref = second.body[1].cmd_id;
  st.cmd = "Get";
  st.data = "200";
  win::syncml::Command results;
  results.name = "Results";
  results.cmd_id = "2";
  results.msg_ref = "2";
  results.cmd_ref = st.cmd_ref;
  win::syncml::Item item;
  item.source = "./DevDetail/SwV";
  item.data = "10.0.22631.3447";
  results.items.push_back(item);
  third.body = {st, results};
  BOOST_REQUIRE(post(third).body.size() == 1u);
  // Queued, never sent: the tripwire.
  w.queued_command = queue("./DevDetail/Ext/Microsoft/DeviceName");
  auto answered = from_store(server->windows_store().windows_command(w.answered_command));
  BOOST_REQUIRE(answered && answered->status == "200");
  auto queued = from_store(server->windows_store().windows_command(w.queued_command));
  BOOST_REQUIRE(queued && queued->status.empty());
  clock->advance(std::chrono::seconds(2));
}

}  // namespace mdmlab::testing::hostile
