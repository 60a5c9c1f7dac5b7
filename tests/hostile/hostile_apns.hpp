// The APNs simulator as a hostile-input target: started next to the reference server, with a
// registered token (offline, one notification stored), a token for another topic, an
// unregistered token, and client certificates for every ApnsIdentity. Sends apns_* cases and
// snapshots what the simulator stores (through its control API); judge() judges the answers.
#pragma once

#include "tests/hostile/hostile_fixture.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>

#include <map>
#include <memory>

#include "core/net/io_runtime.hpp"
#include "simulators/services/apns/apns_simulator.hpp"
#include "tests/hostile/snapshot.hpp"

namespace mdmlab::testing::hostile {

class ApnsSide {
 public:
  explicit ApnsSide(net::IoRuntime& io);
  ~ApnsSide();

  const ApnsMaterials& materials() const { return materials_; }
  simulators::apns::ApnsSimulator& simulator() { return *sim_; }

  Answer send(const Case& c);
  // The valid base push: registered token, the certificate's topic, push type mdm, {"mdm": magic}.
  Case valid_push() const;
  // What must not change: accepted/delivered/coalesced/expired counts, the delivery log's
  // non-rejected entries by state, every token (topic, online, pending), the faults, the
  // stream limit. Rejected pushes are logged by design and not part of it.
  Snapshot snapshot();
  // /healthz on the control port answers 200; with `push_too`, the push endpoint still answers
  // a push to an unknown token with 400 BadDeviceToken.
  bool healthy(bool push_too);
  // A control API call (for setting up and for checks).
  Answer control(const std::string& method, const std::string& target,
                 const std::string& body = {});

 private:
  unsigned short control_port() const;
  unsigned short push_port() const;
  net::IoRuntime& io_;
  std::unique_ptr<simulators::apns::ApnsSimulator> sim_;
  ApnsMaterials materials_;
  std::map<ApnsIdentity, std::shared_ptr<boost::asio::ssl::context>> tls_;
};

}  // namespace mdmlab::testing::hostile
