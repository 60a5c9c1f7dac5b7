#include "server/windows/agent_install.hpp"

#include "crypto/digest.hpp"
#include "protocol/windows/sts_token.hpp"
#include "protocol/windows/syncml.hpp"
#include "protocol/windows/xml_names.hpp"

namespace mdmlab::server::windows {
namespace syncml = mdmlab::windows::syncml;
namespace xml = mdmlab::windows::xml;

namespace {
std::string percent_braces(const std::string& product_code) {
  std::string out;
  for (char c : product_code) out += c == '{' ? "%7B" : c == '}' ? "%7D" : std::string(1, c);
  return out;
}
}  // namespace

Bytes placeholder_agent_msi() {
  return to_bytes(std::string("mdmlab agent installer (placeholder MSI for simulated PCs)\n"));
}

Result<AgentInstallCommands> agent_install_commands(const AgentSettings& s,
                                                    const std::string& device_id,
                                                    const std::string& upn,
                                                    const crypto::PrivateKey& sts_key,
                                                    TimePoint now) {
  AgentInstallCommands out;
  if (!upn.empty()) {
    auto token = mdmlab::windows::sts::issue(upn, device_id, sts_key, now);
    if (!token) return token.error();
    out.eua_token = *token;
  }
  const auto uri = "./Device/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/" +
                   percent_braces(s.product_code) + "/DownloadInstall";
  syncml::Command add;
  add.name = "Add";
  add.cmd_id = "1";
  syncml::Item target;
  target.target = uri;
  add.items.push_back(target);
  auto add_xml = syncml::serialize_command(add);
  if (!add_xml) return add_xml.error();
  out.add = std::move(*add_xml);

  std::string command_line =
      "/quiet FLEET_URL=\"" + s.server_url + "\" FLEET_SECRET=\"" + s.enroll_secret + "\"";
  if (!out.eua_token.empty()) command_line += " EUA_TOKEN=\"" + out.eua_token + "\"";
  std::string job =
      "<MsiInstallJob id=\"" + xml::escape(s.product_code) + "\"><Product Version=\"" +
      xml::escape(s.version) + "\"><Download><ContentURLList><ContentURL>" +
      xml::escape(s.msi_url) + "</ContentURL></ContentURLList></Download><Validation><FileHash>" +
      crypto::sha256_hex(s.msi) + "</FileHash></Validation><Enforcement><CommandLine>" +
      xml::escape(command_line) +
      "</CommandLine><TimeOut>10</TimeOut><RetryCount>1</RetryCount>"
      "<RetryInterval>5</RetryInterval></Enforcement></Product></MsiInstallJob>";
  syncml::Command exec;
  exec.name = "Exec";
  exec.cmd_id = "2";
  syncml::Item item;
  item.target = uri;
  item.meta = syncml::Meta{"xml", "text/plain", std::nullopt, std::nullopt, ""};
  item.data = job;
  item.data_is_xml = true;
  exec.items.push_back(item);
  auto exec_xml = syncml::serialize_command(exec);
  if (!exec_xml) return exec_xml.error();
  out.exec = std::move(*exec_xml);
  return out;
}

}  // namespace mdmlab::server::windows
