#include "simulators/services/entra/entra_simulator.hpp"

#include "core/files/private_file.hpp"
#include "core/log/log.hpp"
#include "simulators/services/entra/entra_control_routes.hpp"
#include "simulators/services/entra/entra_oidc_routes.hpp"

namespace mdmlab::simulators::entra {

struct EntraSimulator::Impl {
  net::IoRuntime& io;
  EntraSimulatorConfig config;
  std::shared_ptr<Clock> clock;
  metrics::Registry registry;
  std::unique_ptr<EntraState> state;
  std::optional<crypto::CertificateAuthority> ca;
  std::unique_ptr<net::HttpServer> https, control;

  Impl(net::IoRuntime& io_, EntraSimulatorConfig c, std::shared_ptr<Clock> clk)
      : io(io_), config(std::move(c)), clock(std::move(clk)) {}
};

EntraSimulator::EntraSimulator(net::IoRuntime& io, EntraSimulatorConfig config,
                               std::shared_ptr<Clock> clock)
    : impl_(std::make_unique<Impl>(io, std::move(config), std::move(clock))) {}

EntraSimulator::~EntraSimulator() {
  stop();
}

Result<void> EntraSimulator::start() {
  auto& m = *impl_;
  const auto now = m.clock->now();
  auto signing = crypto::PrivateKey::generate_rsa(2048);
  if (!signing) return signing.error();
  m.state = std::make_unique<EntraState>(m.clock, std::move(*signing));
  auto ca_key = crypto::PrivateKey::generate_ec_p256();
  if (!ca_key) return ca_key.error();
  auto ca = crypto::CertificateAuthority::create_root(
      *ca_key, {{"CN", "mdmlab Entra simulator CA"}, {"O", "mdmlab"}}, now,
      std::chrono::hours(24 * 365 * 10));
  if (!ca) return ca.error();
  m.ca = *ca;
  auto tls_key = crypto::PrivateKey::generate_ec_p256();
  if (!tls_key) return tls_key.error();
  auto name = crypto::make_x509_name(
      {{"CN", "login.microsoftonline.com (mdmlab simulator)"}, {"O", "mdmlab"}});
  if (!name) return name.error();
  crypto::IssueOptions opts;
  opts.validity = std::chrono::hours(24 * 365);
  opts.extended_key_usage = {crypto::ExtendedKeyUsage::server_auth};
  opts.dns_names = {"localhost", "login.microsoftonline.com"};
  opts.ip_addresses = {"127.0.0.1", "::1"};
  auto tls_cert = m.ca->issue(tls_key->get(), name->get(), opts, now);
  if (!tls_cert) return tls_cert.error();
  if (!m.config.data_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(m.config.data_dir, ec);
    if (auto w = files::write_private_file(m.config.data_dir / "entra-ca.pem",
                                           m.ca->certificate().to_pem());
        !w)
      return w.error();
  }

  net::HttpServerOptions https_options;
  https_options.bind_address = m.config.bind_address;
  https_options.port = m.config.port;
  https_options.name = "entra-sim";
  net::TlsServerConfig tls;
  tls.certificate = *tls_cert;
  tls.key = *tls_key;
  https_options.tls = tls;
  m.https = std::make_unique<net::HttpServer>(m.io, net::Router{}, https_options, &m.registry);
  if (auto r = m.https->listen(); !r) return r.error();
  m.https->set_router(oidc_routes(*m.state, url(), m.registry));
  if (auto r = m.https->start(); !r) return r.error();

  net::HttpServerOptions control_options;
  control_options.bind_address = m.config.bind_address;
  control_options.port = m.config.control_port;
  control_options.name = "entra-control";
  m.control = std::make_unique<net::HttpServer>(m.io, control_routes(*m.state, m.registry),
                                                control_options, &m.registry);
  if (auto r = m.control->start(); !r) return r.error();
  log::info("entra-sim", "identity platform {}, control {}", url(), control_url());
  return success();
}

void EntraSimulator::stop() {
  if (impl_->https) impl_->https->stop();
  if (impl_->control) impl_->control->stop();
}

std::string EntraSimulator::url() const {
  return "https://" + impl_->config.bind_address + ":" + std::to_string(impl_->https->port());
}

std::string EntraSimulator::control_url() const {
  return "http://" + impl_->config.bind_address + ":" + std::to_string(impl_->control->port());
}

std::string EntraSimulator::authority(const std::string& tenant_id) const {
  return url() + "/" + tenant_id;
}

const crypto::Certificate& EntraSimulator::ca_certificate() const {
  return impl_->ca->certificate();
}

EntraState& EntraSimulator::state() {
  return *impl_->state;
}

metrics::Registry& EntraSimulator::metrics() {
  return impl_->registry;
}

}  // namespace mdmlab::simulators::entra
