// The simulated Windows PC's parts that need no server (simulators/devices/windows): the CSP
// tree's OMA DM semantics (Get, Add, Replace, Delete, Exec; 404, 405, 418; Policy Result; the
// MSI install pair), the session's answers to canned server messages (Status for the SyncHdr
// with CmdRef 0, a Status per command with MsgRef and CmdRef, Results for Gets, an Atomic
// rolled back with 507/216/215), the SOAP requests it writes as protocol/windows/soap reads
// them, the provisioning document it installs, and its catalog of identities.
#include <boost/test/unit_test.hpp>

#include <chrono>

#include "crypto/ca.hpp"
#include "protocol/windows/provisioning_doc.hpp"
#include "protocol/windows/soap.hpp"
#include "protocol/windows/syncml.hpp"
#include "protocol/windows/xcep.hpp"
#include "simulators/devices/windows/csp_tree.hpp"
#include "simulators/devices/windows/dm_session.hpp"
#include "simulators/devices/windows/enrollment_install.hpp"
#include "simulators/devices/windows/msi_install_job.hpp"
#include "simulators/devices/windows/soap_request.hpp"
#include "simulators/devices/windows/windows_catalog.hpp"

using namespace mdmlab;
using namespace mdmlab::simulators::windows_pc;
namespace syncml = mdmlab::windows::syncml;
namespace soap = mdmlab::windows::soap;
namespace provisioning = mdmlab::windows::provisioning;

namespace {

constexpr const char* kServer = "https://mdm.example.test/ManagementServer/MDM.svc";
constexpr const char* kPolicy = "./Device/Vendor/MSFT/Policy/Config/Update/AllowAutoUpdate";
constexpr const char* kPolicyResult = "./Device/Vendor/MSFT/Policy/Result/Update/AllowAutoUpdate";
constexpr const char* kOtherPolicy = "./Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera";
constexpr const char* kMsiRoot = "./Device/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/";
constexpr const char* kProduct = "{6F7CB29F-1319-4816-B345-0856916EB801}";

WindowsIdentity identity() {
  WindowsIdentity id;
  id.device_id = "AB157C3A18778F4FB21E2739066C1F27";
  id.hw_dev_id = std::string(64, 'F');
  id.upn = "alice@example.test";
  return id;
}

// A server message: the header answering our MsgID 1 of session 1, then `body`.
syncml::Message server_message(const std::string& body, const std::string& msg_id = "1",
                               bool final = true) {
  const std::string xml = std::string(
                              "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD>"
                              "<VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>") +
                          msg_id + "</MsgID><Target><LocURI>" + identity().device_id +
                          "</LocURI></Target><Source><LocURI>" + kServer +
                          "</LocURI></Source></SyncHdr><SyncBody><Status><CmdID>1</CmdID>"
                          "<MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data>"
                          "</Status>" +
                          body + (final ? "<Final/>" : "") + "</SyncBody></SyncML>";
  auto m = syncml::parse(xml);
  BOOST_REQUIRE_MESSAGE(m.ok(), (m.ok() ? std::string() : m.error().message));
  return *m;
}

std::string command(const std::string& name, const std::string& cmd_id, const std::string& target,
                    const std::string& data = {}, const std::string& format = {}) {
  std::string out = "<" + name + "><CmdID>" + cmd_id + "</CmdID><Item><Target><LocURI>" + target +
                    "</LocURI></Target>";
  if (!format.empty())
    out += "<Meta><Format xmlns=\"syncml:metinf\">" + format + "</Format></Meta>";
  if (!data.empty()) out += "<Data>" + data + "</Data>";
  return out + "</Item></" + name + ">";
}

// The answer's Status commands as "CmdRef Cmd Data" lines, in order.
std::vector<std::string> statuses(const syncml::Message& m) {
  std::vector<std::string> out;
  for (const auto& c : m.body)
    if (c.name == "Status") out.push_back(c.cmd_ref + " " + c.cmd + " " + c.data);
  return out;
}

std::string msi_job(const std::string& command_line) {
  return "<MsiInstallJob id=\"{9BD4F7CD-880A-40B5-B74C-1BEECB51E596}\"><Product Version=\"1.2.3\">"
         "<Download><ContentURLList><ContentURL>https://dl.example.test/agent.msi</ContentURL>"
         "<ContentURL>https://mirror.example.test/agent.msi</ContentURL></ContentURLList>"
         "</Download><Validation><FileHash>4525065777EF18B9444ABF71DD4B48E5F64F4F0E1E029995FB8DA"
         "441CDE4296E</FileHash></Validation><Enforcement><CommandLine>" +
         command_line +
         "</CommandLine><TimeOut>10</TimeOut><RetryCount>3</RetryCount><RetryInterval>5"
         "</RetryInterval></Enforcement></Product></MsiInstallJob>";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(windows_pc)

BOOST_AUTO_TEST_CASE(csp_tree_reads_writes_and_refuses_as_omadm_says) {
  auto tree = CspTree::for_device(identity());
  auto devid = tree.get("./DevInfo/DevId");
  BOOST_TEST(devid.status == 200);
  BOOST_TEST(devid.data == identity().device_id);
  BOOST_TEST(devid.format == "chr");
  BOOST_TEST(tree.value("./DevDetail/SwV").value() == "10.0.22631.3447");
  BOOST_TEST(tree.value("./DevDetail/Ext/Microsoft/OSPlatform").value() == "Windows 11 Pro");
  BOOST_TEST(tree.value("./Vendor/MSFT/DMClient/HWDevID").value() == identity().hw_dev_id);
  // Read-only nodes: 405 for every write; unknown paths: 404.
  BOOST_TEST(tree.replace("./DevInfo/Mod", "x") == 405);
  BOOST_TEST(tree.remove("./DevDetail/SwV") == 405);
  BOOST_TEST(tree.add("./DevInfo/Extra", "x") == 405);
  BOOST_TEST(tree.exec("./DevInfo/DevId", "") == 405);
  BOOST_TEST(tree.get("./DevDetail/NoSuchNode").status == 404);
  BOOST_TEST(tree.get("./Vendor/MSFT/NoSuchCsp/Node").status == 404);
  BOOST_TEST(tree.replace("./Vendor/MSFT/NoSuchCsp/Node", "1") == 404);
  BOOST_TEST(tree.remove("./Vendor/MSFT/NoSuchCsp/Node") == 404);
  BOOST_TEST(tree.value("./DevInfo/Mod").value() == identity().model);
  // An interior node lists its children.
  auto dev_info = tree.get("./DevInfo");
  BOOST_TEST(dev_info.status == 200);
  BOOST_TEST(dev_info.format == "node");
  BOOST_TEST(dev_info.data == "DevId/DmV/Lang/Man/Mod");

  // Policies: Replace sets (an implicit Add), Get and Policy/Result read it back, Add of an
  // existing node is 418, Delete removes, then 404.
  BOOST_TEST(tree.get(kPolicy).status == 404);
  BOOST_TEST(tree.replace(kPolicy, "1", "int") == 200);
  auto policy = tree.get(kPolicy);
  BOOST_TEST(policy.data == "1");
  BOOST_TEST(policy.format == "int");
  BOOST_TEST(tree.value(kPolicyResult).value() == "1");
  BOOST_TEST(tree.add(kPolicy, "2", "int") == 418);
  BOOST_TEST(tree.replace(kPolicy, "0", "int") == 200);
  BOOST_TEST(tree.value(kPolicy).value() == "0");
  BOOST_TEST(tree.replace(kPolicyResult, "5") == 405);
  BOOST_TEST(tree.exec(kPolicy, "") == 405);
  BOOST_TEST(tree.get("./Device/Vendor/MSFT/Policy/Config/Update").data == "AllowAutoUpdate");
  BOOST_TEST(tree.add(kOtherPolicy, "0", "int") == 200);
  BOOST_TEST(tree.remove(kPolicy) == 200);
  BOOST_TEST(tree.get(kPolicy).status == 404);
  BOOST_TEST(tree.get(kPolicyResult).status == 404);
  BOOST_TEST(tree.remove(kPolicy) == 404);
  BOOST_TEST(tree.value(kOtherPolicy).value() == "0");
  // Interior nodes where policies live may be added (Format node); elsewhere not.
  BOOST_TEST(tree.add("./Device/Vendor/MSFT/Policy/Config/Browser", "", "node") == 200);
  BOOST_TEST(tree.add("./DevInfo/Sub", "", "node") == 405);
  // A CSP told to fail does so for writes, not for reads.
  tree.fail(kOtherPolicy, 500);
  BOOST_TEST(tree.replace(kOtherPolicy, "1", "int") == 500);
  BOOST_TEST(tree.get(kOtherPolicy).status == 200);
  // DMClient Provider settings are writable, its other nodes are not.
  BOOST_TEST(tree.replace("./Vendor/MSFT/DMClient/Provider/MDMLAB/EntDeviceName", "pc1") == 200);
  BOOST_TEST(tree.replace("./Vendor/MSFT/DMClient/HWDevID", "00") == 405);
}

BOOST_AUTO_TEST_CASE(msi_add_then_exec_records_the_install_job) {
  auto tree = CspTree::for_device(identity());
  const std::string encoded = std::string(kMsiRoot) + "%7B6F7CB29F-1319-4816-B345-0856916EB801%7D";
  const std::string download = encoded + "/DownloadInstall";
  const auto line = R"(/quiet FLEET_URL="https://fleet.example.test" EUA_TOKEN="eyJ.a.b")";
  BOOST_TEST(tree.exec(download, msi_job(line)) == 404);  // Exec needs the Add first
  BOOST_TEST(tree.add(download, "") == 200);
  BOOST_TEST(tree.value(std::string(kMsiRoot) + kProduct + "/Status").value() == "10");
  BOOST_TEST(tree.replace(download, "x") == 405);
  BOOST_TEST(tree.exec(download, "not xml") == 415);
  BOOST_TEST(tree.exec(download, msi_job(line)) == 200);
  BOOST_REQUIRE(tree.msi_jobs().size() == 1u);
  const auto& job = tree.msi_jobs()[0];
  BOOST_TEST(job.scope == "Device");
  BOOST_TEST(job.product_code == kProduct);
  BOOST_TEST(job.job_id == "{9BD4F7CD-880A-40B5-B74C-1BEECB51E596}");
  BOOST_TEST(job.version == "1.2.3");
  BOOST_TEST(
      job.content_urls == (std::vector<std::string>{"https://dl.example.test/agent.msi",
                                                    "https://mirror.example.test/agent.msi"}),
      boost::test_tools::per_element());
  BOOST_TEST(job.file_hash.size() == 64u);
  BOOST_TEST(job.command_line == line);
  BOOST_TEST(job.eua_token == "eyJ.a.b");
  BOOST_TEST(job.properties.at("FLEET_URL") == "https://fleet.example.test");
  BOOST_TEST(job.timeout_minutes == 10);
  BOOST_TEST(job.retry_count == 3);
  // Deleting the product uninstalls it: its nodes go, the job stays in the history.
  BOOST_TEST(tree.remove(download) == 405);
  BOOST_TEST(tree.remove(encoded) == 200);
  BOOST_TEST(tree.get(std::string(kMsiRoot) + kProduct + "/Status").status == 404);
  BOOST_TEST(tree.msi_jobs().size() == 1u);
}

BOOST_AUTO_TEST_CASE(msi_command_line_properties_read_as_msiexec_does) {
  auto p = msi_properties(R"(/quiet A=1 B="two words" C="say ""hi""" /norestart D= E="")");
  BOOST_TEST(p.at("A") == "1");
  BOOST_TEST(p.at("B") == "two words");
  BOOST_TEST(p.at("C") == "say \"hi\"");
  BOOST_TEST(p.at("D") == "");
  BOOST_TEST(p.at("E") == "");
  BOOST_TEST(p.size() == 5u);
  BOOST_TEST(!parse_msi_install_job("<Other/>").ok());
  BOOST_TEST(!parse_msi_install_job("<MsiInstallJob><Product/></MsiInstallJob>").ok());
}

BOOST_AUTO_TEST_CASE(the_opening_message_is_what_windows_sends_first) {
  auto tree = CspTree::for_device(identity());
  DmSession session(tree, "1A", identity().device_id, kServer);
  auto m = session.opening("user");
  BOOST_TEST(m.header.session_id == "1A");
  BOOST_TEST(m.header.msg_id == "1");
  BOOST_TEST(m.header.target == kServer);
  BOOST_TEST(m.header.source == identity().device_id);
  BOOST_TEST(m.final);
  BOOST_REQUIRE(m.body.size() == 3u);
  BOOST_TEST(m.body[0].name == "Alert");
  BOOST_TEST(m.body[0].cmd_id == "2");
  BOOST_TEST(m.body[0].data == "1201");
  BOOST_TEST(m.body[1].cmd_id == "3");
  BOOST_TEST(m.body[1].data == "1224");
  BOOST_TEST(m.body[1].items.at(0).meta->type == "com.microsoft/MDM/LoginStatus");
  BOOST_TEST(m.body[1].items.at(0).data.value() == "user");
  BOOST_TEST(m.body[2].name == "Replace");
  BOOST_TEST(m.body[2].cmd_id == "4");
  BOOST_REQUIRE(m.body[2].items.size() == 5u);
  BOOST_TEST(m.body[2].items[0].source == "./DevInfo/DevId");
  BOOST_TEST(m.body[2].items[0].data.value() == identity().device_id);
  BOOST_TEST(m.body[2].items[3].source == "./DevInfo/DmV");
  BOOST_TEST(m.body[2].items[4].data.value() == "en-US");
  auto xml = syncml::serialize(m);
  BOOST_REQUIRE(xml.ok());
  BOOST_TEST(syncml::parse(*xml).ok());
}

BOOST_AUTO_TEST_CASE(the_answer_has_header_status_a_status_per_command_and_results) {
  auto tree = CspTree::for_device(identity());
  DmSession session(tree, "1", identity().device_id, kServer);
  (void)session.opening("user");
  auto server = server_message(command("Get", "4", "./DevDetail/SwV") +
                                   command("Get", "5", "./DevDetail/NoSuchNode") +
                                   command("Replace", "6", kPolicy, "1", "int") +
                                   "<Alert><CmdID>7</CmdID><Data>1224</Data></Alert>",
                               "2");
  BOOST_TEST(!DmSession::finished(server));
  BOOST_TEST(session.header_status(server) == "200");
  auto m = session.answer(server);
  BOOST_TEST(m.header.session_id == "1");
  BOOST_TEST(m.header.msg_id == "2");
  BOOST_TEST(m.header.target == kServer);
  BOOST_TEST(m.header.source == identity().device_id);
  BOOST_TEST(m.final);
  BOOST_REQUIRE(m.body.size() == 6u);
  // Status for the server's SyncHdr first: CmdID 1, MsgRef = its MsgID, CmdRef 0.
  const auto& hdr = m.body[0];
  BOOST_TEST(hdr.name == "Status");
  BOOST_TEST(hdr.cmd_id == "1");
  BOOST_TEST(hdr.msg_ref == "2");
  BOOST_TEST(hdr.cmd_ref == "0");
  BOOST_TEST(hdr.cmd == "SyncHdr");
  BOOST_TEST(hdr.data == "200");
  BOOST_TEST(statuses(m) == (std::vector<std::string>{"0 SyncHdr 200", "4 Get 200", "5 Get 404",
                                                      "6 Replace 200", "7 Alert 200"}),
             boost::test_tools::per_element());
  for (std::size_t i = 0; i < m.body.size(); ++i) {
    BOOST_TEST(m.body[i].cmd_id == std::to_string(i + 1));
    BOOST_TEST(m.body[i].msg_ref == "2");
  }
  // Results after the Statuses, for the Get that found its node.
  const auto& results = m.body[5];
  BOOST_TEST(results.name == "Results");
  BOOST_TEST(results.cmd_ref == "4");
  BOOST_REQUIRE(results.items.size() == 1u);
  BOOST_TEST(results.items[0].source == "./DevDetail/SwV");
  BOOST_TEST(results.items[0].meta->format == "chr");
  BOOST_TEST(results.items[0].data.value() == "10.0.22631.3447");
  BOOST_TEST(tree.value(kPolicy).value() == "1");
  // What was received, as the scenario sees it.
  BOOST_REQUIRE(session.received().size() == 4u);
  BOOST_TEST(session.received()[2].name == "Replace");
  BOOST_TEST(session.received()[2].target == kPolicy);
  BOOST_TEST(session.received()[2].status == "200");
  BOOST_TEST(session.received()[2].data == "1");
  BOOST_TEST(session.received()[1].status == "404");
  // What we write, the codec reads back the same.
  auto xml = syncml::serialize(m);
  BOOST_REQUIRE(xml.ok());
  auto again = syncml::parse(*xml);
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(again->body.size() == 6u);
  BOOST_TEST(again->body[5].items.at(0).meta->format == "chr");
}

BOOST_AUTO_TEST_CASE(several_items_get_a_status_per_code_with_target_refs) {
  auto tree = CspTree::for_device(identity());
  DmSession session(tree, "1", identity().device_id, kServer);
  auto server = server_message(
      "<Get><CmdID>3</CmdID><Item><Target><LocURI>./DevInfo/Man</LocURI></Target></Item>"
      "<Item><Target><LocURI>./DevInfo/Nope</LocURI></Target></Item>"
      "<Item><Target><LocURI>./DevInfo/Lang</LocURI></Target></Item></Get>");
  auto m = session.answer(server);
  BOOST_TEST(statuses(m) == (std::vector<std::string>{"0 SyncHdr 200", "3 Get 200", "3 Get 404"}),
             boost::test_tools::per_element());
  BOOST_TEST(m.body[1].target_refs == (std::vector<std::string>{"./DevInfo/Man", "./DevInfo/Lang"}),
             boost::test_tools::per_element());
  BOOST_TEST(m.body[2].target_refs == (std::vector<std::string>{"./DevInfo/Nope"}),
             boost::test_tools::per_element());
  BOOST_TEST(m.body[3].name == "Results");
  BOOST_TEST(m.body[3].items.size() == 2u);
}

BOOST_AUTO_TEST_CASE(an_atomic_is_all_or_nothing) {
  auto tree = CspTree::for_device(identity());
  DmSession session(tree, "1", identity().device_id, kServer);
  // The middle command fails (a read-only node): the first is rolled back (216), the last
  // not executed (215), the Atomic answers 507 and the tree is as before.
  auto failing =
      server_message("<Atomic><CmdID>5</CmdID>" + command("Replace", "6", kPolicy, "1", "int") +
                     command("Replace", "7", "./DevInfo/Mod", "Other") +
                     command("Replace", "8", kOtherPolicy, "0", "int") + "</Atomic>");
  auto m = session.answer(failing);
  BOOST_TEST(
      statuses(m) == (std::vector<std::string>{"0 SyncHdr 200", "5 Atomic 507", "6 Replace 216",
                                               "7 Replace 405", "8 Replace 215"}),
      boost::test_tools::per_element());
  BOOST_TEST(tree.get(kPolicy).status == 404);
  BOOST_TEST(tree.get(kOtherPolicy).status == 404);
  BOOST_TEST(tree.value("./DevInfo/Mod").value() == identity().model);
  // A Get inside an Atomic fails it (500), as on Windows.
  auto with_get =
      server_message("<Atomic><CmdID>9</CmdID>" + command("Replace", "10", kPolicy, "1", "int") +
                         command("Get", "11", "./DevInfo/Man") + "</Atomic>",
                     "3");
  m = session.answer(with_get);
  BOOST_TEST(statuses(m) == (std::vector<std::string>{"0 SyncHdr 200", "9 Atomic 507",
                                                      "10 Replace 216", "11 Get 500"}),
             boost::test_tools::per_element());
  BOOST_TEST(tree.get(kPolicy).status == 404);
  // All succeed: everything stays, every Status is 200; a Sequence runs in order.
  auto passing = server_message(
      "<Atomic><CmdID>12</CmdID>" + command("Replace", "13", kPolicy, "1", "int") +
          command("Add", "14", kOtherPolicy, "0", "int") + "</Atomic><Sequence><CmdID>15</CmdID>" +
          command("Delete", "16", kPolicy) + command("Get", "17", kPolicy) + "</Sequence>",
      "4");
  m = session.answer(passing);
  BOOST_TEST(statuses(m) == (std::vector<std::string>{
                                "0 SyncHdr 200", "12 Atomic 200", "13 Replace 200", "14 Add 200",
                                "15 Sequence 200", "16 Delete 200", "17 Get 404"}),
             boost::test_tools::per_element());
  BOOST_TEST(tree.value(kOtherPolicy).value() == "0");
  BOOST_TEST(tree.get(kPolicy).status == 404);
}

BOOST_AUTO_TEST_CASE(the_session_ends_when_the_server_sends_only_statuses) {
  auto tree = CspTree::for_device(identity());
  DmSession session(tree, "1", identity().device_id, kServer);
  BOOST_TEST(DmSession::finished(server_message("")));
  // Without Final the server has more to send: the answer asks for it (Alert 1222).
  auto partial = server_message(command("Get", "2", "./DevInfo/Man"), "2", false);
  BOOST_TEST(!DmSession::finished(partial));
  BOOST_TEST(!DmSession::finished(server_message("", "2", false)));
  auto m = session.answer(partial);
  BOOST_TEST(m.body.back().name == "Alert");
  BOOST_TEST(m.body.back().data == "1222");
  BOOST_TEST(m.final);
  // NoResp: done, and no Status.
  auto quiet =
      server_message("<Replace><CmdID>3</CmdID><NoResp/><Item><Target><LocURI>" +
                     std::string(kPolicy) + "</LocURI></Target><Data>1</Data></Item></Replace>");
  m = session.answer(quiet);
  BOOST_TEST(statuses(m) == (std::vector<std::string>{"0 SyncHdr 200"}),
             boost::test_tools::per_element());
  BOOST_TEST(tree.value(kPolicy).value() == "1");
}

BOOST_AUTO_TEST_CASE(soap_requests_read_back_with_the_protocol_reader) {
  const std::string id = new_message_id();
  BOOST_TEST(id.rfind("urn:uuid:", 0) == 0u);
  BOOST_TEST(id.size() == 45u);
  const std::string to = "https://enroll.example.test/EnrollmentServer/Policy.svc";
  const std::string body = mdmlab::windows::xcep::encode_get_policies({});
  auto on_prem =
      soap::parse_envelope(write_request(mdmlab::windows::xcep::kGetPoliciesAction, id, to, body,
                                         on_premise_security("a@b.test", "s<e&cret")));
  BOOST_REQUIRE_MESSAGE(on_prem.ok(), (on_prem.ok() ? std::string() : on_prem.error().message));
  BOOST_TEST(on_prem->action == mdmlab::windows::xcep::kGetPoliciesAction);
  BOOST_TEST(on_prem->message_id == id);
  BOOST_TEST(on_prem->to == to);
  BOOST_TEST(on_prem->reply_to == soap::kAnonymous);
  BOOST_REQUIRE(on_prem->username_token.has_value());
  BOOST_TEST(on_prem->username_token->username == "a@b.test");
  BOOST_TEST(on_prem->username_token->password == "s<e&cret");
  BOOST_TEST(!on_prem->security_token.has_value());
  BOOST_TEST(on_prem->body_name == "GetPolicies");
  BOOST_TEST(on_prem->body_namespace == mdmlab::windows::xcep::kNamespace);

  auto federated = soap::parse_envelope(
      write_request("urn:action", id, to, body, federated_security("token-from-the-auth-page")));
  BOOST_REQUIRE(federated.ok());
  BOOST_REQUIRE(federated->security_token.has_value());
  BOOST_TEST(federated->security_token->value_type == kDeviceEnrollmentUserToken);
  BOOST_TEST(to_string(base64_decode(federated->security_token->value).value()) ==
             "token-from-the-auth-page");
  BOOST_TEST(!federated->username_token.has_value());

  auto bare = soap::parse_envelope(write_request("urn:action", id, to, body));
  BOOST_REQUIRE(bare.ok());
  BOOST_TEST((!bare->username_token && !bare->security_token));
}

BOOST_AUTO_TEST_CASE(the_provisioning_document_installs_only_for_our_key) {
  const auto now = std::chrono::system_clock::now();
  auto ca_key = crypto::PrivateKey::generate_ec_p256().value();
  auto ca = crypto::CertificateAuthority::create_root(ca_key, {{"CN", "mdmlab test CA"}}, now,
                                                      std::chrono::hours(24))
                .value();
  auto key = crypto::PrivateKey::generate_ec_p256().value();
  crypto::CsrOptions csr_options;
  csr_options.subject = {{"CN", identity().device_id}};
  auto csr = crypto::Csr::build(key, csr_options).value();
  auto client = ca.issue(csr, {}, now).value();

  provisioning::EnrollmentSettings s;
  s.root_der = ca.certificate().to_der();
  s.client_der = client.to_der();
  s.user_store = true;
  s.device_id = identity().device_id;
  s.management_url = kServer;
  s.provider_id = "MDMLAB";
  s.server_name = "mdmlab";
  auto doc = provisioning::enrollment_document(s);

  auto installed = install_enrollment(doc, key, identity().device_id, true, now);
  BOOST_REQUIRE_MESSAGE(installed.ok(),
                        (installed.ok() ? std::string() : installed.error().message));
  BOOST_TEST(installed->management_url == kServer);
  BOOST_TEST(installed->provider_id == "MDMLAB");
  BOOST_TEST(installed->client_store == "User");
  BOOST_TEST((installed->client == client));
  BOOST_REQUIRE(installed->roots.size() == 1u);
  BOOST_TEST((installed->roots[0] == ca.certificate()));
  BOOST_TEST(installed->poll.at("IntervalForFirstSetOfRetries") == "15");
  BOOST_TEST(installed->warnings.empty());
  // A Device enrollment expected My/System: installed, with a warning.
  auto device = install_enrollment(doc, key, identity().device_id, false, now);
  BOOST_REQUIRE(device.ok());
  BOOST_TEST(device->warnings.size() == 1u);

  // Someone else's certificate.
  auto other = crypto::PrivateKey::generate_ec_p256().value();
  auto wrong = install_enrollment(doc, other, identity().device_id, true, now);
  BOOST_REQUIRE(!wrong.ok());
  BOOST_TEST(wrong.error().code == "windows_wrong_certificate");

  // A store key that is not the upper-case SHA-1 thumbprint.
  auto lower = doc;
  auto& root_entry = lower.children[0].children[0].children[0].children[0];
  for (auto& c : root_entry.type) c = static_cast<char>(std::tolower(c));
  auto bad_print = install_enrollment(lower, key, identity().device_id, true, now);
  BOOST_REQUIRE(!bad_print.ok());
  BOOST_TEST(bad_print.error().code == "windows_bad_thumbprint");

  // No management address.
  s.management_url.clear();
  auto no_addr = install_enrollment(provisioning::enrollment_document(s), key, identity().device_id,
                                    true, now);
  BOOST_REQUIRE(!no_addr.ok());
  BOOST_TEST(no_addr.error().code == "windows_bad_provisioning");
}

BOOST_AUTO_TEST_CASE(catalog_identities_have_windows_shapes_and_follow_their_seed) {
  auto a = realistic_windows_identity(to_bytes("pc-1"));
  auto again = realistic_windows_identity(to_bytes("pc-1"));
  auto b = realistic_windows_identity(to_bytes("pc-2"), "10.0.19045.4291");
  BOOST_TEST(is_device_id(a.device_id));
  BOOST_TEST(a.device_id == again.device_id);
  BOOST_TEST(a.device_name == again.device_name);
  BOOST_TEST(a.device_id != b.device_id);
  BOOST_TEST(a.hw_dev_id.size() == 64u);
  BOOST_TEST(a.device_name.rfind("DESKTOP-", 0) == 0u);
  BOOST_TEST(a.device_name.size() == 15u);
  BOOST_TEST(a.mac_address.size() == 17u);
  BOOST_TEST(b.os_version == "10.0.19045.4291");
  BOOST_TEST(CspTree::for_device(b).value("./DevDetail/Ext/Microsoft/OSPlatform").value() ==
             "Windows 10 Pro");
  BOOST_TEST(!is_device_id("ab157c3a18778f4fb21e2739066c1f27"));
  BOOST_TEST(!is_device_id("7BA748C8-703E-4DF2-A74A-92984117346A"));
}

BOOST_AUTO_TEST_SUITE_END()
