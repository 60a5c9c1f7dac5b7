#include "scenarios/engine/environment.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "core/files/private_file.hpp"
#include "core/net/io_runtime.hpp"
#include "crypto/key.hpp"
#include "protocol/apple/dep/server_token.hpp"
#include "scenarios/engine/actions.hpp"
#include "scenarios/engine/seeded.hpp"
#include "scenarios/engine/target_secret.hpp"
#include "server/reference_server.hpp"
#include "simulators/services/abm/abm_simulator.hpp"
#include "simulators/services/apns/apns_simulator.hpp"
#include "simulators/services/entra/entra_simulator.hpp"

namespace mdmlab::scenarios {
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

class EmbeddedEnvironment final : public Environment {
 public:
  EmbeddedEnvironment(net::IoRuntime& io, std::uint64_t seed, fs::path dir, json settings,
                      bool with_abm, bool with_entra, bool with_windows)
      : io_(io),
        seed_(seed),
        dir_(std::move(dir)),
        settings_(std::move(settings)),
        with_abm_(with_abm),
        with_entra_(with_entra),
        with_windows_(with_windows) {}
  ~EmbeddedEnvironment() override { stop(); }

  Result<void> start() override {
    // Harness time: the server and APNs run on a clock only the scenario moves.
    endpoints_.clock = std::make_shared<VirtualClock>();
    apns_ = std::make_unique<simulators::apns::ApnsSimulator>(
        io_, simulators::apns::ApnsSimulatorConfig{}, endpoints_.clock);
    if (auto r = apns_->start(); !r) return r;
    auto push_key = crypto::PrivateKey::generate_ec_p256();
    if (!push_key) return push_key.error();
    const std::string topic = "com.apple.mgmt.External." + seeded_uuid(seed_, "apns-topic");
    auto push = apns_->issue_push_identity(topic, *push_key);
    if (!push) return push.error();

    server::ReferenceServerConfig cfg;
    cfg.data_dir = dir_;
    cfg.https_port = 0;
    cfg.scep.challenge = "challenge-" + seeded_hex(seed_, "challenge").substr(0, 16);
    cfg.admin_token = seeded_hex(seed_, "admin-token");
    server::apple::ApnsClientConfig apns;
    apns.url = apns_->push_url();
    apns.certificate = push->certificate;
    apns.key = push->key;
    apns.trusted_roots = {apns_->ca().certificate()};
    apns.backoff = std::chrono::milliseconds(20);
    cfg.apns = apns;
    if (with_abm_) {
      // ABM on the same virtual clock; the server syncs once at start, then every hour of
      // scenario time or when a step asks (server.dep_sync).
      abm_ = std::make_unique<simulators::abm::AbmSimulator>(
          io_, simulators::abm::AbmSimulatorConfig{}, endpoints_.clock);
      if (auto r = abm_->start(); !r) return r;
      server::DepSettings dep;
      dep.url = abm_->dep_url();
      dep.token_text = apple::dep::encode_server_token(abm_->state().token());
      dep.interval = std::chrono::hours(1);
      dep.poll = std::chrono::milliseconds(50);
      cfg.dep = dep;
    }
    std::string entra_tenant, entra_client;
    if (with_entra_) {
      // Entra on the same virtual clock (its tokens' times are the server's); one tenant with
      // one app registration; the redirect URI is added once the server's port is known.
      entra_ = std::make_unique<simulators::entra::EntraSimulator>(
          io_, simulators::entra::EntraSimulatorConfig{}, endpoints_.clock);
      if (auto r = entra_->start(); !r) return r;
      auto tenant = entra_->state().add_tenant("contoso.example", "Contoso");
      simulators::entra::EntraApp app;
      app.name = "mdmlab reference server";
      auto registered = entra_->state().add_app(tenant.id, app);
      if (!registered) return make_error("entra", "cannot register the app");
      server::AdeSsoSettings sso;
      sso.authority = entra_->authority(tenant.id);
      sso.client_id = registered->client_id;
      sso.client_secret = registered->client_secret;
      sso.roots = {entra_->ca_certificate()};
      cfg.ade_sso = sso;
      entra_tenant = tenant.id;
      entra_client = registered->client_id;
    }
    if (settings_.contains("cert_binding")) {
      auto policy = server::apple::parse_cert_binding_policy(
          settings_["cert_binding"].get<std::vector<std::string>>());
      if (!policy) return policy.error();
      cfg.cert_binding = *policy;
    }
    if (with_windows_) cfg.https_port = 0;
    server_ = std::make_unique<server::ReferenceServer>(io_, cfg, endpoints_.clock);
    if (auto r = server_->start(); !r) return r;
    if (with_windows_) {
      endpoints_.windows_discovery_url = server_->windows_discovery_url();
      endpoints_.windows_enrollment_secret = server_->windows_enrollment_secret();
      endpoints_.windows_roots = {server_->ca().certificate()};
    }
    endpoints_.admin_url = server_->http_url();
    endpoints_.admin_token = cfg.admin_token;
    endpoints_.profile_url = server_->enrollment_profile_url();
    endpoints_.unsigned_profile_url = endpoints_.profile_url + "?signed=0";
    endpoints_.ota_profile_url = server_->ota_profile_url();
    endpoints_.scep_challenge = cfg.scep.challenge;
    endpoints_.apns_control_url = apns_->control_url();
    if (entra_) {
      entra_->state().add_redirect_uri(entra_tenant, entra_client, server_->ade_sso_redirect_uri());
      entra_->state().add_redirect_uri(entra_tenant, entra_client,
                                       server_->windows_auth_redirect_uri());
      endpoints_.entra_control_url = entra_->control_url();
      endpoints_.entra_url = entra_->url();
      endpoints_.entra_tenant = entra_tenant;
      endpoints_.entra_roots = {entra_->ca_certificate()};
    }
    if (abm_) {
      endpoints_.abm_control_url = abm_->control_url();
      // The server's first DEP pass (at start) ends before the scenario's first step, so a
      // step's change to the organisation is seen by a pass the scenario asks for.
      for (int i = 0; i < 500 && server_->dep_passes() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (server_->dep_passes() == 0)
        return make_error("dep", "the server's first DEP sync pass did not end within 5 s");
    }
    return success();
  }

  void stop() override {
    if (server_) server_->stop();
    if (apns_) apns_->stop();
    if (abm_) abm_->stop();
    if (entra_) entra_->stop();
    server_.reset();
    apns_.reset();
    abm_.reset();
    entra_.reset();
  }

  const Endpoints& endpoints() const override { return endpoints_; }

 private:
  net::IoRuntime& io_;
  std::uint64_t seed_;
  fs::path dir_;
  json settings_;  // the scenario's "server" settings
  bool with_abm_ = false, with_entra_ = false, with_windows_ = false;
  std::unique_ptr<simulators::apns::ApnsSimulator> apns_;
  std::unique_ptr<simulators::abm::AbmSimulator> abm_;
  std::unique_ptr<simulators::entra::EntraSimulator> entra_;
  std::unique_ptr<server::ReferenceServer> server_;
  Endpoints endpoints_;
};

class TargetEnvironment final : public Environment {
 public:
  explicit TargetEnvironment(Endpoints e) : endpoints_(std::move(e)) {}
  Result<void> start() override { return success(); }
  void stop() override {}
  const Endpoints& endpoints() const override { return endpoints_; }

 private:
  Endpoints endpoints_;
};

}  // namespace

Result<TargetConfig> load_target(const fs::path& file) {
  auto text = files::read_secret_file(file);
  if (!text) return text.error();
  auto j = json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return make_error("target", file.string() + " is not a JSON object");
  // A typo in an optional key must not silently turn scenarios into skips.
  static const std::vector<std::string> known = {"name",
                                                 "server_url",
                                                 "admin_token",
                                                 "admin_token_file",
                                                 "admin_token_env",
                                                 "enroll_profile_url",
                                                 "unsigned_profile_url",
                                                 "scep_challenge",
                                                 "scep_challenge_file",
                                                 "scep_challenge_env",
                                                 "apns_control_url",
                                                 "abm_control_url",
                                                 "entra_control_url",
                                                 "entra_tenant",
                                                 "entra_ca_file",
                                                 "ota_profile_url",
                                                 "windows_discovery_url",
                                                 "windows_enrollment_secret",
                                                 "windows_enrollment_secret_file",
                                                 "windows_enrollment_secret_env",
                                                 "windows_ca_file",
                                                 "command_api",
                                                 "command_results"};
  for (const auto& [key, value] : j.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      auto hint = closest(key, known);
      return make_error("target", file.string() + ": unknown key `" + key + "`" +
                                      (hint.empty() ? "" : "; did you mean `" + hint + "`?"));
    }
    if (!value.is_string() && key != "command_api" && key != "command_results")
      return make_error("target", file.string() + ": " + key + " must be a string");
  }
  const auto base = file.parent_path();
  TargetConfig t;
  t.name = j.value("name", file.stem().string());
  auto& e = t.endpoints;
  e.profile_url = j.value("enroll_profile_url", std::string());
  if (e.profile_url.empty())
    return make_error("target", file.string() + ": enroll_profile_url is required");
  e.admin_url = j.value("server_url", std::string());
  e.unsigned_profile_url = j.value("unsigned_profile_url", std::string());
  e.apns_control_url = j.value("apns_control_url", std::string());
  e.abm_control_url = j.value("abm_control_url", std::string());
  e.entra_control_url = j.value("entra_control_url", std::string());
  e.entra_tenant = j.value("entra_tenant", std::string());
  if (j.contains("entra_ca_file")) {
    auto path = fs::path(j.value("entra_ca_file", std::string()));
    if (path.is_relative()) path = file.parent_path() / path;
    auto pem = files::read_text_file(path);
    auto ca = pem ? crypto::Certificate::from_pem(*pem) : Result<crypto::Certificate>(pem.error());
    if (!ca) return make_error("target", "entra_ca_file: " + ca.error().message);
    e.entra_roots = {*ca};
  }
  e.ota_profile_url = j.value("ota_profile_url", std::string());
  e.windows_discovery_url = j.value("windows_discovery_url", std::string());
  auto windows_secret = target_secret(j, "windows_enrollment_secret", base);
  if (!windows_secret) return windows_secret.error();
  e.windows_enrollment_secret = *windows_secret;
  if (j.contains("windows_ca_file")) {
    auto path = fs::path(j.value("windows_ca_file", std::string()));
    if (path.is_relative()) path = base / path;
    auto pem = files::read_text_file(path);
    auto ca = pem ? crypto::Certificate::from_pem(*pem) : Result<crypto::Certificate>(pem.error());
    if (!ca) return make_error("target", "windows_ca_file: " + ca.error().message);
    e.windows_roots = {*ca};
  }
  auto token = target_secret(j, "admin_token", base);
  if (!token) return token.error();
  e.admin_token = *token;
  auto challenge = target_secret(j, "scep_challenge", base);
  if (!challenge) return challenge.error();
  e.scep_challenge = *challenge;
  if (j.contains("command_api")) {
    auto api = read_command_api(j["command_api"], base);
    if (!api) return make_error("target", file.string() + ": " + api.error().message);
    e.command_api = *api;
  }
  if (j.contains("command_results")) {
    auto api = read_command_results(j["command_results"], base);
    if (!api) return make_error("target", file.string() + ": " + api.error().message);
    e.command_results = *api;
  }
  return t;
}

std::unique_ptr<Environment> make_embedded_environment(net::IoRuntime& io, std::uint64_t seed,
                                                       fs::path dir,
                                                       const nlohmann::json& server_settings,
                                                       bool with_abm, bool with_entra,
                                                       bool with_windows) {
  return std::make_unique<EmbeddedEnvironment>(io, seed, std::move(dir), server_settings, with_abm,
                                               with_entra, with_windows);
}

std::unique_ptr<Environment> make_target_environment(const TargetConfig& target) {
  return std::make_unique<TargetEnvironment>(target.endpoints);
}

}  // namespace mdmlab::scenarios
