// The simulated Mac's answers against the macOS command table (protocol/apple/command_table):
// every command answered with a schema-valid result, wrong-typed requests refused with
// CommandFormatError, state that later answers reflect, and a whole report read by Python's
// plistlib.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <set>

#include "protocol/apple/command_table.hpp"
#include "protocol/apple/profile.hpp"
#include "protocol/plist/xml.hpp"
#include "simulators/devices/mac/command_responder.hpp"
#include "tests/crypto/fixtures.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using apple::CommandStatus;
using apple::KeySpec;
using apple::KeyType;
using simulators::mac::CommandOutcome;
using simulators::mac::CommandResponder;
using simulators::mac::MacIdentity;

namespace {

constexpr const char* kSampleProfile = "com.example.sample";

MacIdentity sample_identity() {
  MacIdentity id;
  id.udid = "0000FE00-CCCC00000001";
  id.serial_number = "C02SAMPLE001";
  return id;
}
const MacIdentity kIdentity = sample_identity();  // responders keep a reference to it

std::string profile_xml(const std::string& identifier, const std::string& display_name,
                        bool with_root = false) {
  apple::Profile p;
  p.identifier = identifier;
  p.uuid = "11111111-2222-4333-8444-555555555555";
  p.display_name = display_name;
  p.organization = "Example Org";
  if (with_root)
    p.roots.push_back({"22222222-3333-4444-8555-666666666666", identifier + ".root",
                       testing::test_ca().certificate()});
  return apple::encode_profile(p).value();
}

// A plausible value for a key: the table's type, with the values commands expect.
plist::Value sample(const KeySpec& spec, bool all_keys);

plist::Value sample_dict(const std::vector<KeySpec>& keys, bool all_keys) {
  plist::Value d{plist::Dict{}};
  for (const auto& k : keys)
    if (k.name != "*" && (k.required || all_keys)) d.set(std::string(k.name), sample(k, all_keys));
  return d;
}

plist::Value sample(const KeySpec& spec, bool all_keys) {
  static const std::map<std::string_view, plist::Value> fixed = {
      {"Identifier", plist::Value(kSampleProfile)},
      {"KeyType", plist::Value("personal")},
      {"InstallAction", plist::Value("InstallASAP")},
      {"MediaType", plist::Value("Book")},
      {"ProgramID", plist::Value("com.apple.cloudvpp")},
      {"UserName", plist::Value("mdmlab")},
      {"DeviceRequestType", plist::Value("PowerON")},
      {"ObliterationBehavior", plist::Value("Default")},
      {"ManifestURL", plist::Value("https://apps.example.com/Sample.plist")},
      {"PIN", plist::Value("123456")}};
  if (auto it = fixed.find(spec.name); it != fixed.end() && has_type(it->second, spec.type))
    return it->second;
  if (spec.name == "Payload") return plist::Value(to_bytes(profile_xml(kSampleProfile, "Sample")));
  if (spec.name == "Queries") {
    plist::Array queries;
    for (const auto& k : apple::find_macos_command("DeviceInformation")->response.front().keys)
      queries.push_back(std::string(k.name));
    return plist::Value(std::move(queries));
  }
  switch (spec.type) {
    case KeyType::string:
      return plist::Value("sample");
    case KeyType::integer:
      return plist::Value(1);
    case KeyType::real:
      return plist::Value(0.5);
    case KeyType::boolean:
      return plist::Value(true);
    case KeyType::date:
      return plist::Value(plist::Date{1700000000});
    case KeyType::data:
      return plist::Value(to_bytes("sample"));
    case KeyType::array: {
      plist::Array items;
      if (!spec.keys.empty()) {
        const auto& element = spec.keys.front();
        if (element.selector.empty()) {
          items.push_back(sample(element, all_keys));
        } else {  // one item per variant (Settings)
          for (const auto& variant : element.keys) {
            auto item = sample_dict(variant.keys, all_keys);
            item.set(std::string(element.selector), std::string(variant.name));
            items.push_back(std::move(item));
          }
        }
      }
      return plist::Value(std::move(items));
    }
    case KeyType::dict:
      return sample_dict(spec.keys, all_keys);
    case KeyType::any:
      break;
  }
  return plist::Value("sample");
}

plist::Value sample_request(const apple::CommandSpec& spec, bool all_keys) {
  auto c = sample_dict(spec.request, all_keys);
  // The schema leaves these optional, but an install names its app one way or another.
  if (spec.request_type == "InstallEnterpriseApplication" && !c.find("ManifestURL"))
    c.set("ManifestURL", "https://apps.example.com/Sample.plist");
  if (spec.request_type == "InstallApplication" && !c.find("Identifier"))
    c.set("Identifier", "com.example.sample");
  c.set("RequestType", std::string(spec.request_type));
  return c;
}

CommandOutcome answer(CommandResponder& r, plist::Value command) {
  apple::Command c;
  c.command_uuid = "CMD-1";
  c.command = std::move(command);
  return r.answer(c);
}

plist::Value request(const std::string& type,
                     std::vector<std::pair<std::string, plist::Value>> keys = {}) {
  plist::Value c;
  c.set("RequestType", type);
  for (auto& [k, v] : keys) c.set(k, std::move(v));
  return c;
}

std::string report_xml(const CommandOutcome& o) {
  apple::CommandReport report{o.status, "0000FE00-CCCC00000001", {}, "CMD-1", o.error_chain, {}};
  return apple::encode_command_report(report, o.fields).value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mac_commands)

BOOST_AUTO_TEST_CASE(the_table_holds_the_macos_commands) {
  const auto& table = apple::macos_commands();
  BOOST_TEST(table.size() == 50u);
  std::set<std::string_view> names;
  for (const auto& c : table) BOOST_TEST(names.insert(c.request_type).second, c.request_type);
  for (const char* t : {"CertificateList", "Settings", "SecurityInfo", "DeviceInformation",
                        "DeclarativeManagement", "InstallProfile", "ScheduleOSUpdate"})
    BOOST_TEST(apple::find_macos_command(t) != nullptr, t);
  // iOS-only commands are not in it.
  for (const char* t : {"EnableLostMode", "ClearPasscode", "RequestUnlockToken", "Restrictions"})
    BOOST_TEST(apple::find_macos_command(t) == nullptr, t);
  BOOST_TEST(apple::compare_os_versions("10.13.6", "14.5") < 0);
  BOOST_TEST(apple::compare_os_versions("14.5", "14.5.0") == 0);
  BOOST_TEST(apple::compare_os_versions("15", "14.7.1") > 0);
}

BOOST_AUTO_TEST_CASE(every_macos_command_gets_a_schema_valid_answer) {
  for (bool all_keys : {false, true}) {
    for (const auto& spec : apple::macos_commands()) {
      const std::string type(spec.request_type);
      CommandResponder r(kIdentity);
      r.add_profile({kSampleProfile, "11111111-2222-4333-8444-555555555555", "Sample"});
      auto c = sample_request(spec, all_keys);
      auto checked = apple::check_request(c);
      BOOST_TEST_REQUIRE(checked.ok(), type << ": " << checked.error().message);
      auto o = answer(r, c);
      BOOST_TEST(
          (o.status == CommandStatus::acknowledged),
          type << (all_keys ? " (all keys)" : "") << " answered " << apple::to_string(o.status)
               << (o.error_chain.empty() ? "" : ": " + o.error_chain[0].localized_description));
      auto strict = apple::check_response(type, o.fields, true);
      BOOST_TEST(strict.ok(), type << ": " << strict.error().message);
      // The whole report, through our XML codec and back, still checks.
      auto back = plist::from_xml(report_xml(o));
      BOOST_TEST_REQUIRE(back.ok());
      auto whole = apple::check_response(type, *back, true);
      BOOST_TEST(whole.ok(), type << ": " << whole.error().message);
    }
  }
}

BOOST_AUTO_TEST_CASE(check_response_refuses_missing_and_wrong_typed_keys) {
  plist::Value info;
  info.set("QueryResponses", plist::Value(plist::Dict{{"DeviceName", plist::Value(3)}}));
  auto r = apple::check_response("DeviceInformation", info);
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.error().message == "QueryResponses.DeviceName must be <string>");
  BOOST_TEST(!apple::check_response("CertificateList", plist::Value{}).ok());  // required key
  plist::Value extra;
  extra.set("SecurityInfo", plist::Value(plist::Dict{{"PasscodePresent", plist::Value(true)}}));
  BOOST_TEST(apple::check_response("SecurityInfo", extra).ok());
  auto strict = apple::check_response("SecurityInfo", extra, true);  // iOS-only key
  BOOST_TEST(!strict.ok());
  BOOST_TEST(strict.error().code == apple::kUndocumentedKey);
}

BOOST_AUTO_TEST_CASE(wrong_typed_request_keys_are_command_format_errors) {
  CommandResponder r(kIdentity);
  struct Case {
    plist::Value command;
    std::string key;  // the key path the error names
  };
  plist::Value bad_setting;
  bad_setting.set("Item", "DeviceName").set("DeviceName", 7);
  plist::Value update;
  update.set("ProductKey", "MSU_UPDATE_X");
  const std::vector<Case> cases = {
      {request("DeviceInformation", {{"Queries", plist::Value("OSVersion")}}), "Queries"},
      {request("DeviceInformation", {{"Queries", plist::Value(plist::Array{plist::Value(1)})}}),
       "Queries[0]"},
      {request("InstallProfile", {{"Payload", plist::Value("<plist/>")}}), "Payload"},
      {request("RemoveProfile", {{"Identifier", plist::Value(12)}}), "Identifier"},
      {request("RemoveProfile"), "Identifier"},
      {request("DeviceLock", {{"PIN", plist::Value(123456)}}), "PIN"},
      {request("Settings", {{"Settings", plist::Value(plist::Array{bad_setting})}}),
       "Settings[0].DeviceName"},
      {request("Settings", {{"Settings", plist::Value(plist::Dict{})}}), "Settings"},
      {request("ScheduleOSUpdate", {{"Updates", plist::Value(plist::Array{update})}}),
       "Updates[0].InstallAction"},
      {request("CertificateList", {{"ManagedOnly", plist::Value("yes")}}), "ManagedOnly"},
      {request("RotateFileVaultKey", {{"KeyType", plist::Value("personal")},
                                      {"FileVaultUnlock", plist::Value(plist::Dict{})},
                                      {"NewCertificate", plist::Value("PEM?")}}),
       "NewCertificate"}};
  for (const auto& c : cases) {
    auto o = answer(r, c.command);
    const auto type = c.command.string_or("RequestType");
    BOOST_TEST((o.status == CommandStatus::command_format_error), type << " / " << c.key);
    auto checked = apple::check_request(c.command);
    BOOST_TEST_REQUIRE(!checked.ok());
    BOOST_TEST(checked.error().message.rfind(c.key + " ", 0) == 0u, checked.error().message);
  }
  // Unknown keys are ignored, as devices do; unknown commands are Error 12021.
  BOOST_TEST((answer(r, request("ProfileList", {{"Bogus", plist::Value(1)}})).status ==
              CommandStatus::acknowledged));
  for (const char* t : {"NoSuchCommand", "EnableLostMode"}) {
    auto o = answer(r, request(t));
    BOOST_TEST((o.status == CommandStatus::error));
    BOOST_TEST_REQUIRE(o.error_chain.size() == 1u);
    BOOST_TEST(o.error_chain[0].error_code == 12021);
  }
  // A command newer than the Mac's OS is unknown to it.
  auto old = sample_identity();
  old.os_version = "12.6";
  CommandResponder monterey(old);
  BOOST_TEST(answer(monterey, request("DeclarativeManagement")).error_chain.at(0).error_code ==
             12021);
}

BOOST_AUTO_TEST_CASE(later_answers_reflect_earlier_commands) {
  CommandResponder r(kIdentity);
  // InstallProfile -> ProfileList (with its payloads) and CertificateList (its root).
  auto xml = profile_xml("com.example.wifi", "Wi-Fi", true);
  BOOST_TEST(
      (answer(r, request("InstallProfile", {{"Payload", plist::Value(to_bytes(xml))}})).status ==
       CommandStatus::acknowledged));
  auto list = answer(r, request("ProfileList")).fields;
  const auto& profiles = *list.find("ProfileList")->array();
  BOOST_TEST_REQUIRE(profiles.size() == 1u);
  BOOST_TEST(profiles[0].string_or("PayloadIdentifier") == "com.example.wifi");
  BOOST_TEST(profiles[0].string_or("PayloadDisplayName") == "Wi-Fi");
  BOOST_TEST(profiles[0].string_or("PayloadOrganization") == "Example Org");
  BOOST_TEST(profiles[0].find("PayloadContent")->array()->at(0).string_or("PayloadType") ==
             "com.apple.security.root");
  auto certs = answer(r, request("CertificateList")).fields;
  BOOST_TEST_REQUIRE(certs.find("CertificateList")->array()->size() == 1u);
  const auto& cert = certs.find("CertificateList")->array()->at(0);
  BOOST_TEST(cert.string_or("CommonName") == "mdmlab test CA");
  BOOST_TEST((*cert.find("Data")->data() == testing::test_ca().certificate().to_der()));
  // RemoveProfile -> gone, with its certificate; removing it again is an error.
  BOOST_TEST((answer(r, request("RemoveProfile", {{"Identifier", "com.example.wifi"}})).status ==
              CommandStatus::acknowledged));
  BOOST_TEST(answer(r, request("ProfileList")).fields.find("ProfileList")->array()->empty());
  BOOST_TEST(
      answer(r, request("CertificateList")).fields.find("CertificateList")->array()->empty());
  BOOST_TEST((answer(r, request("RemoveProfile", {{"Identifier", "com.example.wifi"}})).status ==
              CommandStatus::error));

  // Settings DeviceName -> DeviceInformation.
  plist::Value name;
  name.set("Item", "DeviceName").set("DeviceName", "Finance Mac 7");
  plist::Value host;
  host.set("Item", "HostName").set("HostName", "finance-7.example.com");
  auto s = answer(r, request("Settings", {{"Settings", plist::Value(plist::Array{name, host})}}));
  BOOST_TEST(s.fields.find("Settings")->string_or("Status") == "Acknowledged");
  BOOST_TEST(r.device_name() == "Finance Mac 7");
  auto info =
      answer(r, request("DeviceInformation",
                        {{"Queries", plist::Value(plist::Array{"DeviceName", "HostName",
                                                               "LocalHostName", "NoSuchQuery"})}}))
          .fields;
  const auto* q = info.find("QueryResponses");
  BOOST_TEST(q->string_or("DeviceName") == "Finance Mac 7");
  BOOST_TEST(q->string_or("HostName") == "finance-7.example.com");
  BOOST_TEST(q->string_or("LocalHostName") == "Finance-Mac-7");
  BOOST_TEST(!q->find("NoSuchQuery"));
  BOOST_TEST(q->dict()->size() == 3u);

  // DeviceLock -> locked.
  BOOST_TEST(!r.locked());
  auto lock = answer(r, request("DeviceLock", {{"PIN", "123456"}, {"Message", "Call IT"}}));
  BOOST_TEST((lock.status == CommandStatus::acknowledged));
  BOOST_TEST(r.locked());
  BOOST_TEST(r.lock_pin() == "123456");
  BOOST_TEST(lock.fields.string_or("MessageResult") == "Success");

  // Apps: install, list, remove.
  auto install = answer(r, request("InstallApplication",
                                   {{"Identifier", "com.example.notes"}, {"ManagementFlags", 1}}));
  BOOST_TEST(install.fields.string_or("State") == "Managed");
  auto apps = answer(r, request("InstalledApplicationList", {{"ManagedAppsOnly", true}})).fields;
  BOOST_TEST_REQUIRE(apps.find("InstalledApplicationList")->array()->size() == 1u);
  BOOST_TEST(apps.find("InstalledApplicationList")->array()->at(0).string_or("Identifier") ==
             "com.example.notes");
  auto managed = answer(r, request("ManagedApplicationList")).fields;
  BOOST_TEST(managed.find("ManagedApplicationList")->find("com.example.notes") != nullptr);
  answer(r, request("RemoveApplication", {{"Identifier", "com.example.notes"}}));
  auto after = answer(r, request("InstalledApplicationList")).fields;
  BOOST_TEST(after.find("InstalledApplicationList")->array()->size() == 3u);  // the built-ins

  // Remote desktop and recovery lock show in SecurityInfo; the MDM identity in CertificateList.
  answer(r, request("EnableRemoteDesktop"));
  answer(r, request("SetRecoveryLock", {{"NewPassword", "hunter2"}}));
  const auto security = answer(r, request("SecurityInfo")).fields;
  const auto* sec = security.find("SecurityInfo");
  BOOST_TEST(*sec->find("RemoteDesktopEnabled")->boolean());
  BOOST_TEST(*sec->find("IsRecoveryLockEnabled")->boolean());
  BOOST_TEST(*answer(r, request("VerifyRecoveryLock", {{"Password", "hunter2"}}))
                  .fields.find("PasswordVerified")
                  ->boolean());
  apple::Profile enrollment;
  enrollment.identifier = "com.mdmlab.enrollment";
  enrollment.uuid = "33333333-4444-4555-8666-777777777777";
  enrollment.roots.push_back({"r", "com.mdmlab.enrollment.root", testing::test_ca().certificate()});
  auto id_cert = crypto::make_self_signed(testing::test_key(1), {{"CN", "0000FE00-CCCC00000001"}},
                                          testing::now(), std::chrono::hours(1))
                     .value();
  r.note_enrollment(enrollment, id_cert, Bytes(32, 0xab));
  auto listed = answer(r, request("CertificateList")).fields;
  BOOST_TEST_REQUIRE(listed.find("CertificateList")->array()->size() == 2u);
  BOOST_TEST(*listed.find("CertificateList")->array()->at(0).find("IsIdentity")->boolean());
  auto token = answer(r, request("DeviceInformation",
                                 {{"Queries", plist::Value(plist::Array{"PushToken"})}}))
                   .fields;
  BOOST_TEST((*token.find("QueryResponses")->find("PushToken")->data() == Bytes(32, 0xab)));
}

BOOST_AUTO_TEST_CASE(reports_read_in_python_plistlib) {
  CommandResponder r(kIdentity);
  auto dir = testing::make_temp_dir("mdmlab-mac-commands-");
  auto info_spec = *apple::find_macos_command("DeviceInformation");
  testing::write_file(dir + "/info.plist", report_xml(answer(r, sample_request(info_spec, false))));
  testing::write_file(dir + "/security.plist", report_xml(answer(r, request("SecurityInfo"))));
  testing::write_file(dir + "/updates.plist", report_xml(answer(r, request("AvailableOSUpdates"))));
  auto py = testing::run_command(
      "/usr/bin/python3 -c \"import plistlib\n"
      "d = plistlib.load(open('" +
      dir +
      "/info.plist', 'rb'))\n"
      "q = d['QueryResponses']\n"
      "print(d['Status'], q['OSVersion'], q['SerialNumber'], q['DeviceName'], "
      "type(q['DeviceCapacity']).__name__, q['IsAppleSilicon'], len(q))\n"
      "s = plistlib.load(open('" +
      dir +
      "/security.plist', 'rb'))['SecurityInfo']\n"
      "print(sorted(s))\n"
      "u = plistlib.load(open('" +
      dir +
      "/updates.plist', 'rb'))['AvailableOSUpdates'][0]\n"
      "print(u['Version'], u['ProductKey'])\"");
  BOOST_TEST(py.exit_code == 0, py.output);
  BOOST_TEST(py.output ==
                 "Acknowledged 14.5 C02SAMPLE001 mdmlab Mac float True 32\n"
                 "['AuthenticatedRootVolumeEnabled', 'BootstrapTokenAllowedForAuthentication', "
                 "'BootstrapTokenRequiredForKernelExtensionApproval', "
                 "'BootstrapTokenRequiredForSoftwareUpdate', 'FDE_Enabled', "
                 "'FDE_HasInstitutionalRecoveryKey', 'FDE_HasPersonalRecoveryKey', "
                 "'FirewallSettings', 'FirmwarePasswordStatus', 'IsRecoveryLockEnabled', "
                 "'ManagementStatus', 'RemoteDesktopEnabled', 'SecureBoot', "
                 "'SystemIntegrityProtectionEnabled']\n"
                 "14.6 MSU_UPDATE_23G5_patch_14.6\n",
             py.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
