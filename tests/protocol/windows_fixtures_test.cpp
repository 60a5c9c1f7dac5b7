// The example messages of MS-MDE2, MS-XCEP, MS-WSTEP and MS-MDM section 4 and Microsoft Learn
// (tests/fixtures/windows, sources in SOURCES.md) through our codecs: each client example the
// server would receive is read, each message round-trips, and the few that cannot be read (the
// specifications' placeholders instead of base64, SyncML 1.1, fragments without a root) are
// refused for the reason recorded here, so a change in what we accept shows up.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "protocol/windows/discovery.hpp"
#include "protocol/windows/provisioning_doc.hpp"
#include "protocol/windows/soap.hpp"
#include "protocol/windows/syncml.hpp"
#include "protocol/windows/wstep.hpp"
#include "protocol/windows/xcep.hpp"

using namespace mdmlab;
namespace fs = std::filesystem;
namespace win = mdmlab::windows;

namespace {
std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  auto s = os.str();
  // One Learn example is saved as published, UTF-16LE with a BOM (its text is ASCII); our
  // readers take UTF-8, as Windows clients send it.
  if (s.size() >= 2 && s[0] == '\xFF' && s[1] == '\xFE') {
    std::string ascii;
    for (std::size_t i = 2; i + 1 < s.size(); i += 2) ascii += s[i];
    auto decl = ascii.find("utf-16");
    if (decl != std::string::npos) ascii.replace(decl, 6, "utf-8");
    return ascii;
  }
  return s;
}

template <typename T>
std::string outcome(const Result<T>& r) {
  return r.ok() ? "ok" : "refused: " + r.error().message;
}

// What our codecs make of one fixture: "ok", or "refused: <why>".
std::string judge(const std::string& group, const std::string& name, const std::string& text) {
  if (group == "provisioning") {
    auto d = win::provisioning::parse(text);
    if (!d) return outcome(d);
    auto again = win::provisioning::parse(win::provisioning::serialize(*d));
    return again && win::provisioning::serialize(*again) == win::provisioning::serialize(*d)
               ? "ok"
               : "round trip differs";
  }
  if (group == "syncml") {
    if (text.find("<SyncBody") != std::string::npos && text.find("SyncHdr>") == std::string::npos)
      return outcome(win::syncml::parse_body(text));
    if (text.find("SyncHdr>") != std::string::npos) {
      auto m = win::syncml::parse(text);
      if (!m) return outcome(m);
      auto xml = win::syncml::serialize(*m);
      if (!xml) return outcome(xml);
      auto back = win::syncml::parse(*xml);
      if (!back) return "written form refused: " + back.error().message;
      return win::syncml::serialize(*back).value() == *xml ? "ok" : "round trip differs";
    }
    return outcome(win::syncml::parse_command(text));
  }
  auto e = win::soap::parse_envelope(text);
  if (!e) return outcome(e);
  if (e->body_name == "Fault") return win::soap::parse_fault(text) ? "ok" : "fault unreadable";
  if (e->body_name == "Discover") return outcome(win::discovery::parse_discover(e->body_xml));
  if (e->body_name == "DiscoverResponse")
    return outcome(win::discovery::parse_discover_response(e->body_xml));
  if (e->body_name == "GetPolicies") return outcome(win::xcep::parse_get_policies(e->body_xml));
  if (e->body_name == "GetPoliciesResponse")
    return outcome(win::xcep::parse_get_policies_response(e->body_xml));
  if (e->body_name == "RequestSecurityToken") return outcome(win::wstep::parse_rst(e->body_xml));
  if (e->body_name == "RequestSecurityTokenResponseCollection")
    return outcome(win::wstep::parse_rstrc(e->body_xml));
  (void)name;
  return "unknown body " + e->body_name;
}

// Fixtures our codecs refuse, and why (a substring of the refusal).
const std::map<std::string, std::string>& expected_refusals() {
  static const std::map<std::string, std::string> m = {
      // The specification's placeholder text where the PKCS#10 request goes.
      {"enroll/mde2-4.3.1.1-rst-request-federated.xml", "not base64"},
      {"enroll/mde2-4.3.1.2-rst-request-federated-azure-attestation.xml", "not base64"},
      {"enroll/mde2-4.3.1.3-rst-request-certificate.xml", "not base64"},
      {"enroll/mde2-4.3.1.4-rst-request-onpremise.xml", "not base64"},
      // Key exchange tokens and token status queries: MS-WSTEP features enrollment never uses.
      {"enroll/wstep-4.1.2.1-rst-ket-request.xml", "no BinarySecurityToken"},
      {"enroll/wstep-4.1.2.2-rstrc-ket-response.xml", "no RequestedSecurityToken"},
      {"enroll/wstep-4.1.3.1-rst-querytokenstatus-request.xml", "no BinarySecurityToken"},
      // A CertificateStore characteristic on its own, not a document.
      {"provisioning/mde2-3.5.4.1.1.2-renewal-certificatestore-fragment.xml",
       "not wap-provisioningdoc"},
      // Microsoft Learn's example numbers two commands CmdID 2; CmdIDs are unique in a message.
      {"syncml/learn-unenroll-alert-1226-first-package.xml", "CmdID 2 appears twice"},
      // A SyncHdr on its own.
      {"syncml/learn-structure-synchdr-fragment.xml", "not <SyncML>"},
  };
  return m;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(windows_spec_fixtures)

BOOST_AUTO_TEST_CASE(every_published_example_is_read_or_refused_for_its_recorded_reason) {
  const fs::path root = fs::path(MDMLAB_SOURCE_DIR) / "tests/fixtures/windows";
  int seen = 0;
  for (const auto& group : {"discovery", "policy", "enroll", "provisioning", "syncml"}) {
    for (const auto& entry : fs::directory_iterator(root / group)) {
      if (entry.path().extension() != ".xml") continue;
      const auto name = std::string(group) + "/" + entry.path().filename().string();
      const auto got = judge(group, name, read(entry.path()));
      ++seen;
      auto it = expected_refusals().find(name);
      if (it == expected_refusals().end()) {
        BOOST_TEST(got == "ok", name << ": " << got);
      } else {
        BOOST_TEST(got.find(it->second) != std::string::npos, name << ": " << got);
      }
    }
  }
  BOOST_TEST(seen >= 60);
}

BOOST_AUTO_TEST_SUITE_END()
