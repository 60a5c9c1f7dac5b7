#include "server/reference_server.hpp"

#include <mutex>

#include "core/db/sqlite.hpp"
#include "core/files/private_file.hpp"
#include "core/log/log.hpp"
#include "core/net/http_server.hpp"
#include "crypto/cms.hpp"
#include "crypto/op_counter.hpp"
#include "crypto/random.hpp"
#include "protocol/apple/dep/server_token.hpp"
#include "server/admin/apple_admin_routes.hpp"
#include "server/admin/ddm_admin_routes.hpp"
#include "server/admin/dep_admin_routes.hpp"
#include "server/admin/scep_admin_routes.hpp"
#include "server/admin/windows_admin_routes.hpp"
#include "server/apple/ade/ade_sso_routes.hpp"
#include "server/apple/ade/dep_client.hpp"
#include "server/apple/ade/dep_syncer.hpp"
#include "server/apple/apple_mdm_service.hpp"
#include "server/apple/certificate_binding.hpp"
#include "server/apple/enrollment_profile_route.hpp"
#include "server/apple/mdm_http_transport.hpp"
#include "server/apple/metered_mdm_service.hpp"
#include "server/apple/ota_enrollment_route.hpp"
#include "server/apple/push/apns_pusher.hpp"
#include "server/apple/webhook/webhook_mdm_service.hpp"
#include "server/idp/oidc_client.hpp"
#include "server/pki/escrow_key.hpp"
#include "server/pki/identity_files.hpp"
#include "server/scep/metered_scep_service.hpp"
#include "server/scep/scep_http_transport.hpp"
#include "server/scim/scim_routes.hpp"
#include "server/store/sealed_bootstrap_token_store.hpp"
#include "server/store/sqlite/migrations.hpp"
#include "server/store/sqlite/sqlite_agent_store.hpp"
#include "server/store/sqlite/sqlite_apple_store.hpp"
#include "server/store/sqlite/sqlite_ddm_store.hpp"
#include "server/store/sqlite/sqlite_dep_store.hpp"
#include "server/store/sqlite/sqlite_scep_store.hpp"
#include "server/store/sqlite/sqlite_scim_store.hpp"
#include "server/store/sqlite/sqlite_windows_store.hpp"
#include "server/windows/agent_enroll_route.hpp"
#include "server/windows/management_service.hpp"
#include "server/windows/windows_auth_page.hpp"
#include "server/windows/windows_enrollment_routes.hpp"

namespace mdmlab::server {
namespace asio = boost::asio;

struct ReferenceServer::Impl {
  net::IoRuntime& io;
  ReferenceServerConfig config;
  std::shared_ptr<Clock> clock;
  metrics::Registry registry;
  std::unique_ptr<db::Database> database;
  std::unique_ptr<store::sqlite::SqliteScepStore> scep_store;
  std::optional<crypto::CertificateAuthority> ca;
  std::unique_ptr<scep::ScepAuthority> authority;
  std::unique_ptr<scep::MeteredScepService> metered;
  std::unique_ptr<store::sqlite::SqliteAppleStore> apple_store;
  std::unique_ptr<store::SealedBootstrapTokenStore> sealed_bootstrap;
  std::unique_ptr<apple::Pusher> pusher;
  std::unique_ptr<apple::BackgroundPush> background_push;
  std::unique_ptr<store::sqlite::SqliteDdmStore> ddm_store;
  std::unique_ptr<apple::ddm::DdmService> ddm_service;
  std::unique_ptr<apple::AppleMdmService> apple_service;
  std::unique_ptr<apple::CertificateBinding> apple_bound;
  std::unique_ptr<apple::WebhookSender> webhook;
  std::unique_ptr<apple::WebhookMdmService> apple_webhook;
  std::unique_ptr<apple::MeteredMdmService> apple_metered;
  std::unique_ptr<store::sqlite::SqliteDepStore> dep_store;
  std::unique_ptr<apple::ade::DepClient> dep_client;
  std::unique_ptr<apple::ade::DepSyncer> dep_syncer;
  std::unique_ptr<idp::OidcClient> oidc;
  std::unique_ptr<net::HttpServer> http;
  std::unique_ptr<net::HttpServer> https;
  std::optional<pki::Identity> tls_identity;
  unsigned short http_port = 0, https_port = 0;
  std::mutex scrape_mutex;
  std::string ota_challenge;  // one scrape at a time brings the key-operation counter up to date
  std::unique_ptr<store::sqlite::SqliteWindowsStore> windows_store;
  std::unique_ptr<store::sqlite::SqliteAgentStore> agent_store;
  std::unique_ptr<store::sqlite::SqliteScimStore> scim_store;
  std::string windows_secret;  // the Windows enrollment secret (UsernameToken password)

  Impl(net::IoRuntime& i, ReferenceServerConfig c, std::shared_ptr<Clock> k)
      : io(i), config(std::move(c)), clock(std::move(k)) {}

  std::string base(bool tls, unsigned short port) const {
    auto host = config.bind_address.find(':') != std::string::npos ? "[" + config.bind_address + "]"
                                                                   : config.bind_address;
    return std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(port);
  }

  // The profile points devices at HTTPS (mTLS identity) when it is served, else at plain HTTP
  // with SignMessage (Mdm-Signature identity).
  apple::EnrollmentProfileSettings enrollment_profile_settings() const {
    apple::EnrollmentProfileSettings s;
    s.scep_url = base(false, http_port) + "/scep";
    s.scep_challenge = config.scep.challenge;
    const bool tls = config.https_port.has_value();
    s.server_url = base(tls, tls ? https_port : http_port) + "/mdm/apple/mdm";
    s.sign_message = !tls;
    s.topic = config.apple_topic;
    s.root = ca->certificate();
    if (tls_identity) {
      s.signer_certificate = tls_identity->certificate;
      s.signer_key = tls_identity->key;
    }
    return s;
  }

  void add_enrollment_profile(net::Router& router) {
    auto s = enrollment_profile_settings();
    // OTA: the same final profile behind the Profile Service's two phases.
    apple::OtaSettings ota;
    ota.enrollment_url = base(false, http_port) + "/api/latest/fleet/ota_enrollment";
    ota.challenge = ota_challenge;
    ota.profile = s;
    apple::add_ota_enrollment_routes(router, std::move(ota), clock);
    apple::add_enrollment_profile_route(router, std::move(s));
  }

  // The OTA Profile Service's Challenge: random at first start, kept in DATA_DIR/ota-challenge
  // (0600) so profiles downloaded before a restart still work.
  Result<void> load_ota_challenge() {
    const auto path = config.data_dir / "ota-challenge";
    if (std::filesystem::exists(path)) {
      auto text = files::read_secret_file(path);
      if (!text) return text.error();
      ota_challenge = *text;
      if (!ota_challenge.empty()) return success();
    }
    ota_challenge = hex_encode(crypto::random_bytes(16));
    return files::write_private_file(path, ota_challenge);
  }

  // The Windows enrollment secret: random at first start, kept in DATA_DIR/windows-enrollment-
  // secret (0600), so PCs given it before a restart still enroll.
  Result<void> load_windows_secret() {
    const auto path = config.data_dir / "windows-enrollment-secret";
    if (std::filesystem::exists(path)) {
      auto text = files::read_secret_file(path);
      if (!text) return text.error();
      windows_secret = *text;
      if (!windows_secret.empty()) return success();
    }
    windows_secret = hex_encode(crypto::random_bytes(16));
    return files::write_private_file(path, windows_secret);
  }

  // Windows: enrollment (served where the PC reaches us: HTTPS when we serve it) and
  // management (the PC's client certificate over HTTPS).
  void add_windows(net::Router& router) {
    const bool https_served = config.https_port.has_value();
    const auto base_url = base(https_served, https_served ? https_port : http_port);
    windows::WindowsEnrollmentSettings w;
    w.base_url = base_url;
    w.enrollment_secret = windows_secret;
    if (oidc) {
      // Federated enrollment signs the user in at the same IdP as authenticated ADE.
      w.authentication_service_url = base_url + windows::kAuthPagePath;
      windows::add_windows_auth_page(
          router, windows::WindowsAuthPageConfig{base_url + windows::kAuthCallbackPath}, *oidc,
          ca->key(), clock, registry);
    }
    // Seed 001: the agent's MSI (a placeholder here), its enroll secret, end-user auth on.
    windows::AgentSettings agent;
    agent.server_url = base_url;
    agent.enroll_secret = windows_secret;
    agent.msi_url = base_url + "/api/mdm/microsoft/agent.msi";
    agent.msi = windows::placeholder_agent_msi();
    w.agent = agent;
    windows::add_windows_enrollment_routes(router, std::move(w), *ca, *windows_store, clock,
                                           registry, oidc.get());
    windows::add_agent_enroll_route(router, agent, ca->key(), *agent_store, *windows_store, clock,
                                    registry);
    router.add("GET", "/api/mdm/microsoft/agent.msi",
               [msi = agent.msi](const net::HttpRequest&) -> asio::awaitable<net::HttpResponse> {
                 co_return net::HttpResponse::binary(200, to_string(msi), "application/x-msi");
               });
    windows::add_windows_management_routes(router, base_url + windows::kManagementPath,
                                           *windows_store, clock, registry);
  }

  // ADE: the token (decrypted with dep.key when ABM sent it as smime.p7m), the DEP client and
  // the sync loop, with the ADE profile pointing Setup Assistant at our ADE enrollment URL.
  Result<void> start_dep(const crypto::CertificateAuthority& ca, TimePoint now) {
    const auto& settings = *config.dep;
    auto identity = pki::load_or_create_dep(config.data_dir, ca, now);
    if (!identity) return identity.error();
    if (settings.token_text.empty()) {
      log::warn("dep",
                "no DEP server token: upload {} to Apple Business Manager, then start "
                "with --dep-token",
                (config.data_dir / "dep.pem").string());
      return success();
    }
    std::string text = settings.token_text;
    if (mdmlab::apple::dep::looks_like_smime(text)) {
      auto der = mdmlab::apple::dep::smime_enveloped_der(text);
      if (!der) return der.error();
      auto plain = crypto::cms_decrypt(*der, identity->key, &identity->certificate);
      if (!plain)
        return make_error("bad_token",
                          "the DEP token is not for dep.pem: " + plain.error().message);
      text = to_string(*plain);
    }
    auto token = mdmlab::apple::dep::parse_server_token(text);
    if (!token) return token.error();
    if (token->access_token_expiry != TimePoint{} && token->access_token_expiry < now)
      log::warn("dep", "the DEP server token expired on {}",
                rfc3339_utc(token->access_token_expiry));
    apple::ade::DepClientConfig client_config;
    client_config.base_url = settings.url;
    client_config.token = *token;
    auto client = apple::ade::DepClient::create(io.executor(), client_config, clock, &registry);
    if (!client) return client.error();
    dep_client = std::move(*client);
    dep_store = std::make_unique<store::sqlite::SqliteDepStore>(*database, &registry);
    apple::ade::DepSyncerConfig sync;
    sync.interval = settings.interval;
    sync.poll = settings.poll;
    sync.profile.profile_name = "mdmlab ADE";
    // Setup Assistant reaches the enrollment URL over HTTPS when we serve it, trusting the
    // anchor certificates the profile carries (our CA), as Apple requires of ADE profiles.
    const bool tls = config.https_port.has_value();
    sync.profile.url = base(tls, tls ? https_port : http_port) + "/api/mdm/apple/enroll";
    if (tls) sync.profile.anchor_certs = {base64_encode(ca.certificate().to_der())};
    if (config.ade_sso)
      sync.profile.configuration_web_url =
          base(tls, tls ? https_port : http_port) + apple::ade::kAdeSsoPath;
    sync.profile.is_supervised = true;
    sync.profile.is_mdm_removable = false;
    sync.profile.await_device_configured = true;
    sync.profile.org_magic = "mdmlab";
    sync.profile.department = "mdmlab";
    dep_syncer = std::make_unique<apple::ade::DepSyncer>(io.executor(), *dep_client, *dep_store,
                                                         clock, sync, &registry);
    return success();
  }

  net::Router routes(bool tls) {
    net::Router router;
    scep::add_scep_routes(router, *metered, &registry);
    apple::add_mdm_routes(router, *apple_metered, &registry);
    if (tls || config.admin_over_plain_http) {
      admin::add_scep_admin_routes(router, *authority, *scep_store, config.admin_token);
      admin::add_apple_admin_routes(router, *apple_store, clock, config.admin_token,
                                    *background_push);
      if (dep_syncer)
        admin::add_dep_admin_routes(router, *dep_syncer, *dep_store, config.admin_token);
      admin::add_ddm_admin_routes(router, *ddm_service, *ddm_store, config.admin_token);
      admin::add_windows_admin_routes(router, *windows_store, *agent_store, *scim_store, clock,
                                      config.admin_token);
      // SCIM: the IdP provisions users with the admin token (served where the admin API is).
      scim::add_scim_routes(router, base(tls, tls ? https_port : http_port), config.admin_token,
                            *scim_store, clock, registry);
    }
    add_enrollment_profile(router);
    add_windows(router);
    if (oidc) {
      const bool https_served = config.https_port.has_value();
      apple::ade::AdeSsoConfig sso;
      sso.redirect_uri = base(https_served, https_served ? https_port : http_port) +
                         apple::ade::kAdeSsoCallbackPath;
      sso.profile = enrollment_profile_settings();
      apple::ade::add_ade_sso_routes(router, std::move(sso), *oidc, *apple_store, clock, registry);
    }
    // A counter fed from the process-wide count at scrape time (it only ever grows).
    auto& private_ops =
        registry
            .counter("mdmlab_crypto_private_key_operations_total",
                     "RSA/EC private-key operations (signatures, decryptions) so far")
            .get();
    router.add("GET", "/metrics",
               [this, &private_ops](const net::HttpRequest&) -> asio::awaitable<net::HttpResponse> {
                 {
                   std::lock_guard lock(scrape_mutex);
                   auto total = static_cast<double>(crypto::private_key_operations());
                   if (total > private_ops.value()) private_ops.inc(total - private_ops.value());
                 }
                 co_return net::HttpResponse::text(200, registry.render(),
                                                   "text/plain; version=0.0.4; charset=utf-8");
               });
    router.add("GET", "/healthz",
               [](const net::HttpRequest&) -> asio::awaitable<net::HttpResponse> {
                 co_return net::HttpResponse::text(200, "ok\n");
               });
    return router;
  }
};

ReferenceServer::ReferenceServer(net::IoRuntime& io, ReferenceServerConfig config,
                                 std::shared_ptr<Clock> clock)
    : impl_(std::make_unique<Impl>(io, std::move(config), std::move(clock))) {}

ReferenceServer::~ReferenceServer() {
  stop();
}

Result<void> ReferenceServer::start() {
  auto& m = *impl_;
  std::error_code ec;
  std::filesystem::create_directories(m.config.data_dir, ec);
  if (ec) return make_error("data_dir", m.config.data_dir.string() + ": " + ec.message());
  auto database =
      db::Database::open((m.config.data_dir / "mdmlab.db").string(), store::sqlite::migrations());
  if (!database) return database.error();
  m.database = std::move(*database);
  // Both stores count their failures in mdmlab_store_errors_total.
  m.scep_store = std::make_unique<store::sqlite::SqliteScepStore>(*m.database, &m.registry);

  if (auto r = m.load_ota_challenge(); !r) return r;
  if (auto r = m.load_windows_secret(); !r) return r;
  m.windows_store = std::make_unique<store::sqlite::SqliteWindowsStore>(*m.database, &m.registry);
  m.agent_store = std::make_unique<store::sqlite::SqliteAgentStore>(*m.database, &m.registry);
  m.scim_store = std::make_unique<store::sqlite::SqliteScimStore>(*m.database, &m.registry);
  auto now = m.clock->now();
  auto ca = pki::load_or_create_ca(m.config.data_dir, "mdmlab reference CA", now);
  if (!ca) return ca.error();
  m.ca = *ca;
  auto scep_config = m.config.scep;
  if (m.config.scep_ra) {
    auto ra = pki::load_or_create_ra(m.config.data_dir, *ca, now);
    if (!ra) return ra.error();
    scep_config.ra = scep::RaIdentity{ra->certificate, ra->key};
  }
  m.authority = std::make_unique<scep::ScepAuthority>(*ca, scep_config, *m.scep_store, m.clock);
  m.metered = std::make_unique<scep::MeteredScepService>(*m.authority, m.registry);
  // Apple MDM: the service, wrapped by the certificate binding (composition happens here only).
  m.apple_store = std::make_unique<store::sqlite::SqliteAppleStore>(*m.database, &m.registry);
  if (m.config.apns) {
    auto client = std::make_unique<apple::ApnsClient>(m.io.executor(), *m.config.apns, &m.registry);
    // Devices must be told the topic the push certificate is for.
    if (!client->topic().empty()) m.config.apple_topic = client->topic();
    m.pusher = std::make_unique<apple::ApnsPusher>(*m.apple_store, *m.apple_store,
                                                   std::move(client), m.clock, &m.registry);
  } else {
    m.pusher = std::make_unique<apple::NoPusher>(&m.registry);
  }
  m.background_push = std::make_unique<apple::BackgroundPush>(*m.pusher);
  // The Apple service chain (NanoMDM's composition, in one place): the service itself, wrapped
  // by the certificate binding, wrapped by the metrics.
  auto escrow_key = pki::load_or_create_escrow_key(m.config.data_dir);
  if (!escrow_key) return escrow_key.error();
  m.sealed_bootstrap = std::make_unique<store::SealedBootstrapTokenStore>(
      *m.apple_store, std::move(*escrow_key), m.registry);
  m.apple_service = std::make_unique<apple::AppleMdmService>(
      *m.apple_store, *m.sealed_bootstrap, *m.apple_store, m.clock, *m.background_push);
  m.ddm_store = std::make_unique<store::sqlite::SqliteDdmStore>(*m.database, &m.registry);
  m.ddm_service = std::make_unique<apple::ddm::DdmService>(*m.ddm_store, *m.apple_store,
                                                           *m.background_push, m.clock, m.registry);
  m.apple_service->set_ddm(m.ddm_service.get());
  auto tls = pki::load_or_create_tls(m.config.data_dir, *ca, m.config.tls_names, now);
  if (!tls) return tls.error();
  m.tls_identity = *tls;
  std::vector<crypto::Certificate> identity_cas = {ca->certificate()};
  identity_cas.insert(identity_cas.end(), m.config.extra_identity_cas.begin(),
                      m.config.extra_identity_cas.end());
  // Our own certificates come from the same CA but never identify a device.
  std::vector<crypto::Certificate> server_certificates = {ca->certificate(), tls->certificate};
  if (scep_config.ra) server_certificates.push_back(scep_config.ra->certificate);
  m.apple_bound = std::make_unique<apple::CertificateBinding>(
      *m.apple_service, *m.apple_store, identity_cas, server_certificates, m.clock,
      m.config.cert_binding, &m.registry);
  apple::MdmService* outer = m.apple_bound.get();
  if (m.config.webhook) {
    auto sender = apple::WebhookSender::create(m.io.executor(), *m.config.webhook, &m.registry);
    if (!sender) return sender.error();
    m.webhook = std::move(*sender);
    m.apple_webhook = std::make_unique<apple::WebhookMdmService>(*m.apple_bound, *m.webhook,
                                                                 *m.apple_store, m.clock);
    outer = m.apple_webhook.get();
  }
  m.apple_metered = std::make_unique<apple::MeteredMdmService>(*outer, m.registry);
  net::HttpServerOptions http_opts;
  http_opts.bind_address = m.config.bind_address;
  http_opts.port = m.config.http_port;
  http_opts.body_limit = m.config.body_limit;
  http_opts.name = "server";
  // Both listeners bind first: the enrollment profile inside the routes needs their ports.
  m.http = std::make_unique<net::HttpServer>(m.io, net::Router{}, http_opts, &m.registry);
  if (auto r = m.http->listen(); !r) return r;
  m.http_port = m.http->port();
  if (m.config.https_port) {
    net::HttpServerOptions https_opts = http_opts;
    https_opts.port = *m.config.https_port;
    https_opts.name = "server-tls";
    https_opts.tls = net::TlsServerConfig{};
    https_opts.tls->certificate = tls->certificate;
    https_opts.tls->key = tls->key;
    https_opts.tls->client_cas = identity_cas;
    https_opts.tls->request_client_certificate = true;
    m.https = std::make_unique<net::HttpServer>(m.io, net::Router{}, https_opts, &m.registry);
    if (auto r = m.https->listen(); !r) return r;
    m.https_port = m.https->port();
  }
  if (m.config.ade_sso) {
    const auto& sso = *m.config.ade_sso;
    idp::OidcClientConfig oidc{sso.authority, sso.client_id, sso.client_secret, sso.roots};
    m.oidc =
        std::make_unique<idp::OidcClient>(m.io.executor(), std::move(oidc), m.clock, &m.registry);
  }
  if (m.config.dep) {
    if (auto r = m.start_dep(*ca, now); !r) return r;
  }
  m.http->set_router(m.routes(false));
  if (auto r = m.http->start(); !r) return r;
  if (m.https) {
    m.https->set_router(m.routes(true));
    if (auto r = m.https->start(); !r) return r;
  }
  if (m.dep_syncer) m.dep_syncer->start();
  return success();
}

void ReferenceServer::stop() {
  if (impl_->dep_syncer) impl_->dep_syncer->stop();
  if (impl_->https) impl_->https->stop();
  if (impl_->http) impl_->http->stop();
  if (impl_->background_push) impl_->background_push->drain(std::chrono::seconds(5));
  if (impl_->webhook) impl_->webhook->stop();
}

std::string ReferenceServer::http_url() const {
  return impl_->http ? impl_->http->base_url() : "";
}
std::string ReferenceServer::https_url() const {
  return impl_->https ? impl_->https->base_url() : "";
}
std::int64_t ReferenceServer::dep_passes() const {
  return impl_->dep_syncer ? impl_->dep_syncer->status().passes : 0;
}
metrics::Registry& ReferenceServer::metrics() {
  return impl_->registry;
}
scep::ScepAuthority& ReferenceServer::scep_authority() {
  return *impl_->authority;
}
const crypto::CertificateAuthority& ReferenceServer::ca() const {
  return *impl_->ca;
}
store::ScepStore& ReferenceServer::scep_store() {
  return *impl_->scep_store;
}
store::AppleStore& ReferenceServer::apple_store() {
  return *impl_->apple_store;
}
store::WindowsStore& ReferenceServer::windows_store() {
  return *impl_->windows_store;
}
store::AgentStore& ReferenceServer::agent_store() {
  return *impl_->agent_store;
}
std::string ReferenceServer::windows_discovery_url() const {
  return (https_url().empty() ? http_url() : https_url()) + "/EnrollmentServer/Discovery.svc";
}
const std::string& ReferenceServer::windows_enrollment_secret() const {
  return impl_->windows_secret;
}
db::Database& ReferenceServer::database() {
  return *impl_->database;
}

}  // namespace mdmlab::server
