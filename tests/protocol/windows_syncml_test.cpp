// SyncML 1.2 (MS-MDM / OMA DM): a Windows client's first message as it arrives (prefixes and
// Meta namespaces vary), what the server writes back (checked by Python's xml.etree, an
// independent reader), round trips, and refusals of what is not a SyncML DM 1.2 message.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "protocol/windows/syncml.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
namespace syncml = mdmlab::windows::syncml;

namespace {
// A client's first package, compact and with the metinf prefix Windows uses.
const std::string kClientFirst =
    R"(<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>)"
    R"(<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>https://mdm.example.com/)"
    R"(ManagementServer/MDM.svc</LocURI></Target><Source><LocURI>)"
    R"(9E7B8E0F1F7C4F2C9F6F1A2B3C4D5E6F</LocURI></Source></SyncHdr><SyncBody>)"
    R"(<Alert><CmdID>2</CmdID><Data>1201</Data></Alert>)"
    R"(<Alert><CmdID>3</CmdID><Data>1224</Data><Item><Meta><A:Type xmlns:A="syncml:metinf">)"
    R"(com.microsoft/MDM/LoginStatus</A:Type></Meta><Data>user</Data></Item></Alert>)"
    R"(<Replace><CmdID>4</CmdID><Item><Source><LocURI>./DevInfo/DevId</LocURI></Source>)"
    R"(<Data>9E7B8E0F1F7C4F2C9F6F1A2B3C4D5E6F</Data></Item><Item><Source><LocURI>)"
    R"(./DevInfo/Man</LocURI></Source><Data>Microsoft Corporation</Data></Item></Replace>)"
    R"(<Final/></SyncBody></SyncML>)";

syncml::Message server_reply() {
  syncml::Message m;
  m.header.session_id = "1";
  m.header.msg_id = "1";
  m.header.target = "9E7B8E0F1F7C4F2C9F6F1A2B3C4D5E6F";
  m.header.source = "https://mdm.example.com/ManagementServer/MDM.svc";
  syncml::Command hdr_status;
  hdr_status.name = "Status";
  hdr_status.cmd_id = "1";
  hdr_status.msg_ref = "1";
  hdr_status.cmd_ref = "0";
  hdr_status.cmd = "SyncHdr";
  hdr_status.data = "200";
  m.body.push_back(hdr_status);
  syncml::Command get;
  get.name = "Get";
  get.cmd_id = "2";
  get.items.push_back({"./DevDetail/SwV", "", std::nullopt, std::nullopt, false, false});
  m.body.push_back(get);
  syncml::Command atomic;
  atomic.name = "Atomic";
  atomic.cmd_id = "3";
  syncml::Command replace;
  replace.name = "Replace";
  replace.cmd_id = "4";
  syncml::Item policy;
  policy.target = "./Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera";
  policy.meta = syncml::Meta{"int", "text/plain", std::nullopt, std::nullopt, ""};
  policy.data = "0";
  replace.items.push_back(policy);
  atomic.children.push_back(replace);
  m.body.push_back(atomic);
  syncml::Command exec;
  exec.name = "Exec";
  exec.cmd_id = "5";
  syncml::Item job;
  job.target = "./Device/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/{A1}/DownloadInstall";
  job.meta = syncml::Meta{"xml", "text/plain", std::nullopt, std::nullopt, ""};
  job.data = R"(<MsiInstallJob id="{A1}"><Product Version="1.0.0"/></MsiInstallJob>)";
  job.data_is_xml = true;
  exec.items.push_back(job);
  m.body.push_back(exec);
  m.final = true;
  return m;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(windows_syncml)

BOOST_AUTO_TEST_CASE(a_clients_first_message_parses_with_its_alerts_and_devinfo) {
  auto m = syncml::parse(kClientFirst);
  BOOST_REQUIRE_MESSAGE(m.ok(), (m.ok() ? std::string() : m.error().message));
  BOOST_TEST(m->header.source == "9E7B8E0F1F7C4F2C9F6F1A2B3C4D5E6F");
  BOOST_TEST(m->header.msg_id == "1");
  BOOST_TEST(m->final);
  BOOST_REQUIRE(m->body.size() == 3u);
  BOOST_TEST(m->body[0].name == "Alert");
  BOOST_TEST(m->body[0].data == syncml::kAlertClientInitiated);
  BOOST_REQUIRE(m->body[1].items.size() == 1u);
  BOOST_REQUIRE(m->body[1].items[0].meta.has_value());
  BOOST_TEST(m->body[1].items[0].meta->type == "com.microsoft/MDM/LoginStatus");
  BOOST_TEST(m->body[2].items[1].source == "./DevInfo/Man");
  BOOST_TEST(*m->body[2].items[1].data == "Microsoft Corporation");
}

BOOST_AUTO_TEST_CASE(what_the_server_writes_is_read_back_and_by_python_xml_etree) {
  auto xml = syncml::serialize(server_reply());
  BOOST_REQUIRE(xml.ok());
  auto back = syncml::parse(*xml);
  BOOST_REQUIRE_MESSAGE(back.ok(), (back.ok() ? std::string() : back.error().message));
  BOOST_TEST(syncml::serialize(*back).value() == *xml);
  BOOST_TEST(back->body[2].children[0].items[0].meta->format == "int");
  BOOST_TEST(back->body[3].items[0].data_is_xml);
  BOOST_TEST(*back->body[3].items[0].data ==
             R"(<MsiInstallJob id="{A1}"><Product Version="1.0.0"/></MsiInstallJob>)");

  auto dir = testing::make_temp_dir("mdmlab-syncml-");
  testing::write_file(dir + "/reply.xml", *xml);
  auto r = testing::run_command(
      "/usr/bin/python3 -c \"import xml.etree.ElementTree as E; r = E.parse('" + dir +
      "/reply.xml').getroot(); n = {'s': 'SYNCML:SYNCML1.2', 'm': 'syncml:metinf'}; "
      "print(r.tag, r.find('s:SyncHdr/s:Target/s:LocURI', n).text, "
      "r.find('s:SyncBody/s:Status/s:CmdRef', n).text, "
      "r.find('s:SyncBody/s:Atomic/s:Replace/s:Item/s:Meta/m:Format', n).text, "
      "r.find('s:SyncBody/s:Exec/s:Item/s:Data/s:MsiInstallJob', n).get('id'))\"");
  BOOST_TEST(r.exit_code == 0, r.output);
  BOOST_TEST(
      r.output.find("{SYNCML:SYNCML1.2}SyncML 9E7B8E0F1F7C4F2C9F6F1A2B3C4D5E6F 0 int {A1}") !=
          std::string::npos,
      r.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(what_is_not_a_syncml_dm_1_2_message_is_refused) {
  auto without = [](std::string s, const std::string& from, const std::string& to) {
    auto at = s.find(from);
    BOOST_REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {without(kClientFirst, "<VerDTD>1.2</VerDTD>", "<VerDTD>1.1</VerDTD>"), "VerDTD"},
      {without(kClientFirst, "<VerProto>DM/1.2</VerProto>", "<VerProto>DS/1.2</VerProto>"),
       "VerProto"},
      {without(kClientFirst, "<SessionID>1</SessionID>", ""), "SessionID"},
      {without(kClientFirst, "<CmdID>3</CmdID>", ""), "CmdID"},
      {without(kClientFirst, "<Alert><CmdID>2</CmdID>", "<Sync><CmdID>2</CmdID>"), "XML"},
      {without(kClientFirst, "<Final/>", "<Final/><Get><CmdID>9</CmdID></Get>"), "after"},
      {without(kClientFirst, "<Data>1201</Data>", "<Data></Data>"), "code"},
      {without(kClientFirst, "<SyncML", "<SyncMLX"), "XML"},
      {without(kClientFirst, "<CmdID>3</CmdID>", "<CmdID>2</CmdID>"), "CmdID 2 appears twice"},
      {without(kClientFirst, "<MsgID>1</MsgID>", "<MsgID>1</MsgID><MsgID>2</MsgID>"), "twice"},
      {without(kClientFirst, "Microsoft", "Micro\xC3soft"), "UTF-8"},
      {without(kClientFirst, "<Data>user</Data>", "<Data>user</Data><Bogus/>"), "unknown"},
      {"<SyncML/>", "SyncHdr"},
      {"not xml", "XML"},
  };
  for (const auto& [xml, why] : cases) {
    auto r = syncml::parse(xml);
    BOOST_TEST(!r.ok(), why);
    if (!r.ok()) BOOST_TEST(r.error().message.find(why) != std::string::npos, r.error().message);
  }
  // Atomic/Sequence nest only so deep.
  std::string deep = "<Sequence><CmdID>1</CmdID>";
  for (int i = 0; i < 5; ++i) deep += "<Sequence><CmdID>1</CmdID>";
  for (int i = 0; i < 6; ++i) deep += "</Sequence>";
  auto nested = syncml::parse(without(kClientFirst, "<Final/>", deep + "<Final/>"));
  BOOST_TEST(!nested.ok());
}

BOOST_AUTO_TEST_SUITE_END()
