#include "simulators/services/abm/abm_simulator.hpp"

#include <nlohmann/json.hpp>

#include "core/log/log.hpp"
#include "crypto/random.hpp"
#include "simulators/services/abm/abm_control_routes.hpp"
#include "simulators/services/abm/abm_dep_routes.hpp"

namespace mdmlab::simulators::abm {

namespace {
ServerToken random_token(TimePoint now) {
  auto part = [](const char* prefix) { return prefix + hex_encode(crypto::random_bytes(20)); };
  return {part("CK_"), part("CS_"), part("AT_"), part("AS_"), now + std::chrono::hours(24 * 365)};
}

}  // namespace

nlohmann::json token_json(const ServerToken& t) {
  return nlohmann::json::parse(dep::encode_server_token(t));
}

struct AbmSimulator::Impl {
  net::IoRuntime& io;
  AbmSimulatorConfig config;
  std::shared_ptr<Clock> clock;
  metrics::Registry registry;
  AbmState state;
  std::unique_ptr<net::HttpServer> dep, control;

  static dep::Account account(const AbmSimulatorConfig& c) {
    dep::Account a;
    a.server_name = "mdmlab MDM server";
    a.server_uuid = crypto::random_uuid();
    a.admin_id = "admin@example.com";
    a.org_name = c.org_name;
    a.org_email = "it@example.com";
    a.org_phone = "+1 555 0100";
    a.org_address = "1 Infinite Loop, Cupertino";
    a.org_id = "1234567";
    a.org_id_hash = hex_encode(crypto::random_bytes(20));
    return a;
  }

  Impl(net::IoRuntime& io_, AbmSimulatorConfig c, std::shared_ptr<Clock> clk)
      : io(io_),
        config(std::move(c)),
        clock(std::move(clk)),
        state(clock, config.token ? *config.token : random_token(clock->now()), account(config)) {}
};

AbmSimulator::AbmSimulator(net::IoRuntime& io, AbmSimulatorConfig config,
                           std::shared_ptr<Clock> clock)
    : impl_(std::make_unique<Impl>(io, std::move(config), std::move(clock))) {}

AbmSimulator::~AbmSimulator() {
  stop();
}

Result<void> AbmSimulator::start() {
  auto& m = *impl_;
  net::HttpServerOptions dep_options;
  dep_options.bind_address = m.config.bind_address;
  dep_options.port = m.config.dep_port;
  dep_options.name = "abm-dep";
  m.dep = std::make_unique<net::HttpServer>(m.io, dep_routes(m.state, m.registry), dep_options,
                                            &m.registry);
  if (auto r = m.dep->start(); !r) return r.error();
  net::HttpServerOptions control_options;
  control_options.bind_address = m.config.bind_address;
  control_options.port = m.config.control_port;
  control_options.name = "abm-control";
  m.control = std::make_unique<net::HttpServer>(m.io, control_routes(m.state, m.registry),
                                                control_options, &m.registry);
  if (auto r = m.control->start(); !r) return r.error();
  log::info("abm-sim", "DEP API {}, control {}", dep_url(), control_url());
  return success();
}

void AbmSimulator::stop() {
  if (impl_->dep) impl_->dep->stop();
  if (impl_->control) impl_->control->stop();
}

std::string AbmSimulator::dep_url() const {
  return "http://" + impl_->config.bind_address + ":" + std::to_string(impl_->dep->port());
}

std::string AbmSimulator::control_url() const {
  return "http://" + impl_->config.bind_address + ":" + std::to_string(impl_->control->port());
}

AbmState& AbmSimulator::state() {
  return impl_->state;
}

metrics::Registry& AbmSimulator::metrics() {
  return impl_->registry;
}

}  // namespace mdmlab::simulators::abm
