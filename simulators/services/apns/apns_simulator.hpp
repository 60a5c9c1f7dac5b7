// The APNs simulator: an HTTP/2 TLS endpoint speaking the provider API (POST /3/device/<token>,
// client certificate whose subject UID is the topic), and an HTTP/1.1 control port with
//  - the device side: simulated devices register their token and hold a long-poll open while
//    "connected"; a push wakes the device that owns the token;
//  - the control API: inject faults, unregister tokens, read the delivery log and counters;
//  - /metrics.
// Starts with a low MAX_CONCURRENT_STREAMS on each connection and raises it after the first
// answered push, as APNs does. It is its own CA: it issues push certificates for topics and
// the TLS certificate of its push endpoint.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "core/net/http2_server.hpp"
#include "core/net/http_server.hpp"
#include "crypto/ca.hpp"
#include "simulators/services/apns/apns_state.hpp"

namespace mdmlab::simulators::apns {

struct ApnsSimulatorConfig {
  std::string bind_address = "127.0.0.1";
  unsigned short push_port = 0;     // 0: ephemeral
  unsigned short control_port = 0;  // 0: ephemeral
  std::uint32_t initial_max_concurrent_streams = 1;
  std::uint32_t max_concurrent_streams = 500;
  std::optional<crypto::CertificateAuthority> ca;  // absent: a new one (EC P-256)
};

struct PushIdentity {
  crypto::Certificate certificate;  // subject UID = topic, issued by the simulator's CA
  crypto::PrivateKey key;
};

class ApnsSimulator {
 public:
  ApnsSimulator(net::IoRuntime& io, ApnsSimulatorConfig config,
                std::shared_ptr<Clock> clock = system_clock());
  ~ApnsSimulator();

  Result<void> start();
  void stop();

  std::string push_url() const;     // https://127.0.0.1:PORT (the provider endpoint)
  std::string control_url() const;  // http://127.0.0.1:PORT (device side, control API, /metrics)
  const crypto::CertificateAuthority& ca() const;
  // A provider (push) certificate for `topic`, for `key`.
  Result<PushIdentity> issue_push_identity(const std::string& topic,
                                           const crypto::PrivateKey& key) const;

  // The limit advertised once a connection has answered a push (existing connections too).
  void set_max_concurrent_streams(std::uint32_t n);
  std::uint32_t max_concurrent_streams() const;

  ApnsState& state();
  metrics::Registry& metrics();
  net::Http2Stats http2_stats() const;
  std::size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mdmlab::simulators::apns
