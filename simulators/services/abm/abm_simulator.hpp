// The Apple Business Manager simulator (`mdmlab simulate abm`): Apple's DEP API for MDM servers
// on one port (GET /session with OAuth 1.0a, then X-ADM-Auth-Session: /account, /server/devices,
// /devices/sync, /profile, /profile/devices, /devices, /devices/disown), and on another a
// control API (the organisation's devices, faults, session expiry, the server token, the
// profile a booting device is given) with /metrics. Apple's own simulator is not public.
#pragma once

#include <memory>
#include <string>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "core/net/http_server.hpp"
#include "simulators/services/abm/abm_state.hpp"

namespace mdmlab::simulators::abm {

struct AbmSimulatorConfig {
  std::string bind_address = "127.0.0.1";
  unsigned short dep_port = 0;       // 0: ephemeral
  unsigned short control_port = 0;   // 0: ephemeral
  std::optional<ServerToken> token;  // absent: a new random one
  std::string org_name = "mdmlab Simulated Organisation";
};

class AbmSimulator {
 public:
  AbmSimulator(net::IoRuntime& io, AbmSimulatorConfig config,
               std::shared_ptr<Clock> clock = system_clock());
  ~AbmSimulator();

  Result<void> start();
  void stop();

  std::string dep_url() const;      // http://127.0.0.1:PORT (what an MDM server calls)
  std::string control_url() const;  // http://127.0.0.1:PORT (control API, /metrics)
  AbmState& state();
  metrics::Registry& metrics();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// nanodep's OAuth1Tokens JSON for a server token (the file an MDM server is given).
nlohmann::json token_json(const ServerToken& t);

}  // namespace mdmlab::simulators::abm
