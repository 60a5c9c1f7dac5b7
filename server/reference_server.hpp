// The reference MDM server, composed in one visible place: store, SCEP authority (+ metrics
// decorator), admin API, /metrics and /healthz on a plain HTTP listener and, optionally, the
// same routes over HTTPS (with client certificates requested for device identity).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "core/net/io_runtime.hpp"
#include "server/apple/certificate_binding.hpp"
#include "server/apple/push/apns_client.hpp"
#include "server/apple/webhook/webhook_sender.hpp"
#include "server/scep/scep_authority.hpp"
#include "server/store/agent_store.hpp"
#include "server/store/apple_store.hpp"
#include "server/store/windows_store.hpp"

namespace mdmlab::db {
class Database;
}

namespace mdmlab::server {

// ADE through Apple's DEP API (README: "Automated Device Enrollment").
struct DepSettings {
  std::string url = "https://mdmenrollment.apple.com";
  // The server token: its JSON, or the smime.p7m ABM encrypts to dep.pem (data dir). Empty:
  // dep.pem is written for the operator to upload, and nothing syncs yet.
  std::string token_text;
  std::chrono::seconds interval{300};
  std::chrono::milliseconds poll{200};
};

// Authenticated ADE: the ADE profile gets a configuration_web_url; Setup Assistant's web view
// signs in at this OpenID Connect provider (authorization code + PKCE) before the enrollment
// profile is given. The app registration must list <server>/api/mdm/apple/ade/sso/callback.
struct AdeSsoSettings {
  std::string authority;  // e.g. https://login.microsoftonline.com/<tenant>
  std::string client_id, client_secret;
  std::vector<crypto::Certificate> roots;  // trust for the IdP's TLS (empty: the system's)
};

struct ReferenceServerConfig {
  std::filesystem::path data_dir = "mdmlab-data";
  std::string bind_address = "127.0.0.1";
  unsigned short http_port = 0;              // 0: ephemeral
  std::optional<unsigned short> https_port;  // set: also serve HTTPS (0: ephemeral)
  std::vector<std::string> tls_names = {"localhost", "127.0.0.1"};
  bool scep_ra = false;  // serve the RA chain form of GetCACert
  scep::ScepAuthorityConfig scep;
  std::string admin_token;  // empty: admin API disabled (401 for all)
  // False: the admin API is served on the HTTPS listener only (its bearer token never travels
  // in clear); plain HTTP answers its paths 404.
  bool admin_over_plain_http = true;
  std::string apple_topic = "com.apple.mgmt.External.mdmlab";  // APNs topic in profiles
  // APNs: where and with which push certificate (its UID replaces apple_topic). Absent: no
  // pushes (devices only check in when they poll on their own).
  std::optional<apple::ApnsClientConfig> apns;
  std::size_t body_limit = 2 * 1024 * 1024;
  // Device identities may also come from these CAs (profiles whose SCEP payload points at
  // another SCEP server); trusted for mTLS and Mdm-Signature alike.
  std::vector<crypto::Certificate> extra_identity_cas;
  // How device certificates bind to enrollments (README: "Certificate binding").
  apple::CertBindingPolicy cert_binding;
  // Where to post a MicroMDM-style webhook event for every accepted message (absent: none).
  std::optional<apple::WebhookConfig> webhook;
  std::optional<DepSettings> dep;
  std::optional<AdeSsoSettings> ade_sso;
};

class ReferenceServer {
 public:
  ReferenceServer(net::IoRuntime& io, ReferenceServerConfig config,
                  std::shared_ptr<Clock> clock = system_clock());
  ~ReferenceServer();

  Result<void> start();
  void stop();

  std::string http_url() const;   // e.g. http://127.0.0.1:43121
  std::string https_url() const;  // empty without HTTPS
  std::string scep_url() const { return http_url() + "/scep"; }
  // Where devices download the manual enrollment profile.
  std::string enrollment_profile_url() const { return http_url() + "/mdm/apple/enroll"; }
  // The OTA Profile Service profile a user downloads to enroll over the air.
  std::string ota_profile_url() const { return http_url() + "/mdm/apple/ota"; }
  // The ADE profile's url: where Setup Assistant posts its machine info.
  std::string ade_enrollment_url() const {
    return (https_url().empty() ? http_url() : https_url()) + "/api/mdm/apple/enroll";
  }
  // The IdP redirect URI authenticated ADE uses (register it with the app).
  std::string ade_sso_redirect_uri() const {
    return (https_url().empty() ? http_url() : https_url()) + "/api/mdm/apple/ade/sso/callback";
  }
  // The callback federated Windows enrollment's sign-in page uses (register it with the app too).
  std::string windows_auth_redirect_uri() const {
    return (https_url().empty() ? http_url() : https_url()) + "/api/mdm/microsoft/auth/callback";
  }
  metrics::Registry& metrics();
  // DEP sync passes run so far (0 without ADE, or before the first pass has ended).
  std::int64_t dep_passes() const;
  scep::ScepAuthority& scep_authority();
  const crypto::CertificateAuthority& ca() const;
  store::ScepStore& scep_store();
  store::AppleStore& apple_store();
  store::WindowsStore& windows_store();
  store::AgentStore& agent_store();
  // Where a Windows PC starts enrolling (HTTPS when served), and the secret it authenticates
  // with (DATA_DIR/windows-enrollment-secret).
  std::string windows_discovery_url() const;
  const std::string& windows_enrollment_secret() const;
  db::Database& database();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mdmlab::server
