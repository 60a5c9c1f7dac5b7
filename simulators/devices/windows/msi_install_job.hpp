// The MsiInstallJob document an EnterpriseDesktopAppManagement Exec carries (Microsoft Learn,
// "EnterpriseDesktopAppManagement CSP"): the product's version, where to download the MSI
// (ContentURLList), its SHA-256 (Validation/FileHash), and how to run msiexec (Enforcement:
// CommandLine, TimeOut, RetryCount, RetryInterval). The command line's PROPERTY=value pairs
// are read as msiexec reads them, so an agent step can find e.g. EUA_TOKEN="<jwt>".
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mdmlab::simulators::windows_pc {

struct MsiJob {
  std::string scope;         // "Device" or "User": the CSP root the Exec named
  std::string product_code;  // from the LocURI, percent-decoded: {6F7CB29F-...}
  std::string job_id;        // MsiInstallJob id
  std::string version;       // Product Version
  std::vector<std::string> content_urls;
  std::string file_hash;
  std::string command_line;
  std::map<std::string, std::string> properties;  // PROPERTY=value from the command line
  std::string eua_token;                          // EUA_TOKEN, when the command line has one
  int timeout_minutes = 0, retry_count = 0, retry_interval_minutes = 0;
  std::string xml;  // the MsiInstallJob as received
};

// Codes: bad_msi_job (not XML, not an MsiInstallJob, no Product or no ContentURL).
Result<MsiJob> parse_msi_install_job(std::string_view xml);

// msiexec's public properties on a command line: NAME=value or NAME="value with spaces"
// (a doubled quote inside quotes is a quote); switches such as /quiet are skipped.
std::map<std::string, std::string> msi_properties(std::string_view command_line);

}  // namespace mdmlab::simulators::windows_pc
