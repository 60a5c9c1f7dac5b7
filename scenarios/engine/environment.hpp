// Where a scenario runs: the parties' endpoints and secrets. Embedded: a fresh reference
// server and APNs simulator per scenario, on ephemeral loopback ports. Target: another team's
// server (or a separately started `mdmlab serve`) described by target.json; what it does not
// offer (no admin API, no APNs simulator it pushes to, no unsigned profile) makes the
// scenarios that need it skip, never pass.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "core/clock/clock.hpp"
#include "crypto/certificate.hpp"
#include "scenarios/engine/command_adapter.hpp"
#include "scenarios/engine/command_results.hpp"
#include "scenarios/engine/scenario.hpp"

namespace mdmlab::net {
class IoRuntime;
}

namespace mdmlab::scenarios {

struct Endpoints {
  std::string admin_url;  // origin of /admin/v1 (empty: no admin API)
  std::string admin_token;
  std::string profile_url;           // the enrollment profile as the server hands it out
  std::string unsigned_profile_url;  // the same profile unsigned (empty: not offered)
  std::string ota_profile_url;       // the OTA Profile Service profile (empty: not offered)
  std::string scep_challenge;        // known challenge (empty: wrong-challenge steps skip)
  std::string apns_control_url;      // APNs simulator the server pushes to (empty: no APNs)
  // ABM simulator the server syncs with over the DEP API: its control side, where devices are
  // added and Macs ask for their cloud configuration (empty: no ADE).
  std::string abm_control_url;
  // Entra simulator the server signs users in at (authenticated ADE): its control API, the
  // tenant users are added to, and the CA its HTTPS certificate chains to (the Mac's web view
  // trusts it). Empty: no SSO.
  std::string entra_control_url, entra_tenant;
  std::string entra_url;  // its HTTPS origin (the report names it "entra")
  std::vector<crypto::Certificate> entra_roots;
  // Windows enrollment: where a PC starts (the Discovery URL), the enrollment secret its
  // UsernameToken carries, and the CA the server's HTTPS certificate chains to (a real PC
  // trusts it through the system store). Empty URL: no Windows.
  std::string windows_discovery_url, windows_enrollment_secret;
  std::vector<crypto::Certificate> windows_roots;
  // The server's clock, when the scenario controls it (embedded: a VirtualClock scenarios
  // advance with clock.advance; a target runs on its own wall clock).
  std::shared_ptr<VirtualClock> clock;
  // How to queue commands on a server without mdmlab's admin API (command_adapter.hpp).
  std::optional<CommandApi> command_api;
  // How to read command results without it (command_results.hpp); in webhook mode the run's
  // receiver fills `webhook_inbox`.
  std::optional<CommandResultsApi> command_results;
  std::shared_ptr<WebhookInbox> webhook_inbox;
};

// target.json:
//   {"name": "...", "server_url": "http://host:port", "admin_token" | "admin_token_file" |
//    "admin_token_env": "...", "enroll_profile_url": "...", "unsigned_profile_url": "...",
//    "scep_challenge" | "scep_challenge_file" | "scep_challenge_env": "...",
//    "apns_control_url": "http://host:port", "abm_control_url": "http://host:port",
//    "ota_profile_url": "...", "entra_control_url": "http://host:port", "entra_tenant": "...",
//    "entra_ca_file": "entra-ca.pem", "windows_discovery_url": "https://...",
//    "windows_enrollment_secret" | "windows_enrollment_secret_file" |
//    "windows_enrollment_secret_env": "...", "windows_ca_file": "ca.pem",
//    "command_api": {...}  (command_adapter.hpp),
//    "command_results": {...}  (command_results.hpp)}
// Only enroll_profile_url is required; unknown keys are errors. Relative file paths are
// relative to the target file.
struct TargetConfig {
  std::string name;
  Endpoints endpoints;
};
Result<TargetConfig> load_target(const std::filesystem::path& file);

class Environment {
 public:
  virtual ~Environment() = default;
  virtual Result<void> start() = 0;
  virtual void stop() = 0;
  virtual const Endpoints& endpoints() const = 0;
};

// `seed` derives the challenge and admin token; `dir` holds the server's data;
// `server_settings` is the scenario's "server" object (e.g. cert_binding); `with_abm` also
// starts an ABM simulator and points the server's DEP sync at it; `with_entra` an Entra
// simulator the server's authenticated ADE signs users in at; `with_windows` serves HTTPS
// too (Windows enrolls and is managed over TLS only; Macs then still enroll over HTTP).
std::unique_ptr<Environment> make_embedded_environment(
    net::IoRuntime& io, std::uint64_t seed, std::filesystem::path dir,
    const nlohmann::json& server_settings = nlohmann::json::object(), bool with_abm = false,
    bool with_entra = false, bool with_windows = false);
std::unique_ptr<Environment> make_target_environment(const TargetConfig& target);

}  // namespace mdmlab::scenarios
