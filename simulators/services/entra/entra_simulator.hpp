// The Entra ID simulator (`mdmlab simulate entra`): the Microsoft identity platform v2.0
// endpoints over HTTPS (entra_oidc_routes.hpp; its own CA, written as entra-ca.pem for clients
// to trust) and a control API over HTTP (entra_control_routes.hpp). One tenant model for every
// room later issues add (Graph, admin consent, federated Windows enrollment).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "core/net/http_server.hpp"
#include "crypto/ca.hpp"
#include "simulators/services/entra/entra_state.hpp"

namespace mdmlab::simulators::entra {

struct EntraSimulatorConfig {
  std::string bind_address = "127.0.0.1";
  unsigned short port = 0;          // HTTPS, 0: ephemeral
  unsigned short control_port = 0;  // HTTP, 0: ephemeral
  std::filesystem::path data_dir;   // set: entra-ca.pem is written there
};

class EntraSimulator {
 public:
  EntraSimulator(net::IoRuntime& io, EntraSimulatorConfig config,
                 std::shared_ptr<Clock> clock = system_clock());
  ~EntraSimulator();

  Result<void> start();
  void stop();

  std::string url() const;          // https://127.0.0.1:PORT (login.microsoftonline.com's role)
  std::string control_url() const;  // http://127.0.0.1:PORT
  // https://127.0.0.1:PORT/<tenant id>: an MSAL authority.
  std::string authority(const std::string& tenant_id) const;
  const crypto::Certificate& ca_certificate() const;
  EntraState& state();
  metrics::Registry& metrics();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mdmlab::simulators::entra
