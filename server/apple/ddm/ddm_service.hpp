// Declarative Device Management on the server (KMFDDM's behaviour inside the MDM server):
//  - the device side of the DeclarativeManagement check-in, for an active enrollment: `tokens`
//    (the DeclarationsToken of its declarations), `declaration-items`, `declaration/<kind>/<id>`
//    (only declarations of its sets; another is 404), and `status` (the report stored per
//    declaration, its Errors kept; an unreadable report is 400 and stores nothing);
//  - notify(): queues a DeclarativeManagement command carrying the enrollment's SyncTokens as
//    Data, and pushes, so the device syncs now.
// Metrics: mdmlab_ddm_checkins_total{endpoint,code}, mdmlab_ddm_declaration_status_total{valid}.
#pragma once

#include <memory>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "protocol/apple/ddm/sync_messages.hpp"
#include "server/apple/mdm_service.hpp"
#include "server/apple/push/background_push.hpp"
#include "server/store/command_queue_store.hpp"
#include "server/store/ddm_store.hpp"

namespace mdmlab::server::apple::ddm {

class DdmService {
 public:
  DdmService(store::DdmStore& store, store::CommandQueueStore& queue, BackgroundPush& push,
             std::shared_ptr<Clock> clock, metrics::Registry& registry);

  // A DeclarativeManagement check-in of `enrollment_id` (already known to be active).
  boost::asio::awaitable<MdmReply> answer(const std::string& enrollment_id, const Checkin& msg);
  // Queues DeclarativeManagement (with SyncTokens) for each enrollment and pushes to them;
  // how many were queued.
  boost::asio::awaitable<Result<int>> notify(std::vector<std::string> enrollment_ids);
  // The enrollment's SyncTokens now.
  boost::asio::awaitable<Result<mdmlab::apple::ddm::SyncTokens>> tokens(std::string enrollment_id);

 private:
  boost::asio::awaitable<MdmReply> answer_endpoint(const std::string& enrollment_id,
                                                   const Checkin& msg);
  store::DdmStore& store_;
  store::CommandQueueStore& queue_;
  BackgroundPush& push_;
  std::shared_ptr<Clock> clock_;
  metrics::Family<metrics::Counter>& checkins_;
  metrics::Family<metrics::Counter>& statuses_;
};

}  // namespace mdmlab::server::apple::ddm
