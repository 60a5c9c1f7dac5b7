// Seed 001: the agent a Windows PC gets after MDM enrollment, as Fleet's
// enqueueInstallFleetdCommand sends it: one Add and one Exec of
// ./Device/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/{ProductCode}/DownloadInstall, the
// Exec carrying an MsiInstallJob (the MSI's URL and SHA-256, msiexec's command line with the
// server URL, the agent enroll secret and, when the enrollment named a user, EUA_TOKEN: an STS
// token with the UPN and the DeviceID, valid one hour, so the agent's enrollment needs no
// second sign-in).
#pragma once

#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "crypto/key.hpp"

namespace mdmlab::server::windows {

struct AgentSettings {
  std::string server_url;     // FLEET_URL: where the agent enrolls (POST /api/fleet/orbit/enroll)
  std::string enroll_secret;  // FLEET_SECRET
  std::string msi_url;        // where the MSI is downloaded
  Bytes msi;                  // its bytes (FileHash is their SHA-256)
  std::string product_code = "{6F7CB29F-5A1E-4C9E-8D1B-0A1B2C3D4E5F}";
  std::string version = "1.0.0";
  bool require_end_user_auth = true;  // the agent must prove its user (EUA token)
};

// The two SyncML command elements (Add, then Exec), ready for the Windows command queue.
struct AgentInstallCommands {
  std::string add, exec;
  std::string eua_token;  // "" when there was no UPN
};
Result<AgentInstallCommands> agent_install_commands(const AgentSettings& s,
                                                    const std::string& device_id,
                                                    const std::string& upn,
                                                    const crypto::PrivateKey& sts_key,
                                                    TimePoint now);

// The placeholder MSI the reference server serves (its bytes only matter for the hash).
Bytes placeholder_agent_msi();

}  // namespace mdmlab::server::windows
