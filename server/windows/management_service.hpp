// Windows management (MS-MDM, OMA DM 1.2 over HTTPS): POST /ManagementServer/MDM.svc (also
// /api/mdm/microsoft/management), SyncML in and out. The device is who its TLS client
// certificate says (CN = DeviceID, the certificate issued at its enrollment, still enabled);
// the SyncHdr's Source must name the same DeviceID, or the session gets Status 403 and
// nothing else. Each message: the device's Status and Results are stored against the commands
// they answer (by MsgRef/CmdRef within the session), its Alerts and Replaces get Status 200
// (Alert 1226 unenrolls; ./DevInfo Man/Mod are recorded), and the queued commands not yet sent
// in this session follow, numbered after our Status commands. A message that does not parse
// is 400, another media type 415, no or an unknown certificate 401/403; nothing is stored.
#pragma once

#include <memory>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "core/net/router.hpp"
#include "server/store/windows_store.hpp"

namespace mdmlab::server::windows {

void add_windows_management_routes(net::Router& router, const std::string& management_url,
                                   store::WindowsStore& store, std::shared_ptr<Clock> clock,
                                   metrics::Registry& registry);

}  // namespace mdmlab::server::windows
