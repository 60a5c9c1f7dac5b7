// The ABM simulator (Apple's DEP API) as a hostile-input target: started with the reference
// server on its clock (the server's DEP sync talks to it: hostile_fixture.hpp's AbmHost), given
// four devices once the server's first sync pass is over, a profile defined and assigned over the
// DEP API, a session opened with a correctly signed GET /session (and an earlier one ended), and
// cursors of each kind. Sends abm_http cases to the DEP listener (plain HTTP) and snapshots what
// the simulator stores: every device as the DEP API shows it, and every change recorded since the
// fixture was done (what /devices/sync would report).
#pragma once

#include "tests/hostile/hostile_fixture.hpp"

#include <memory>

#include "core/clock/clock.hpp"
#include "simulators/services/abm/abm_simulator.hpp"
#include "tests/hostile/snapshot.hpp"

namespace mdmlab::testing::hostile {

class AbmSide {
 public:
  // `sim` is started (and stopped) by its owner; AbmSide sets it up and uses it.
  AbmSide(simulators::abm::AbmSimulator& sim, std::shared_ptr<Clock> clock);
  ~AbmSide();

  const AbmMaterials& materials() const { return materials_; }
  simulators::abm::AbmSimulator& simulator() { return *sim_; }

  Answer send(const Case& c);
  // What must not change: the devices (serial, profile_uuid, profile_status, times, ...) and
  // the changes recorded since the fixture (sync events: added, modified, deleted).
  Snapshot snapshot();
  // /healthz on the control port answers 200; with `dep_too`, GET /account with the valid
  // session answers 200 (the DEP listener answers and the session still works).
  bool healthy(bool dep_too);
  // A DEP call with the valid session (for setting up and for checks).
  Answer dep_call(const std::string& method, const std::string& target,
                  const std::string& body = {});

 private:
  unsigned short dep_port() const;
  unsigned short control_port() const;
  // A correctly signed Authorization for GET /session (Host 127.0.0.1) with `nonce`, now.
  std::string authorization(const std::string& nonce) const;
  std::string open_session(const std::string& authorization);
  std::string cursor_of(const Answer& a) const;

  std::shared_ptr<Clock> clock_;
  simulators::abm::AbmSimulator* sim_;
  AbmMaterials materials_;
  std::string baseline_cursor_;  // a sync cursor taken once the fixture was done
};

}  // namespace mdmlab::testing::hostile
