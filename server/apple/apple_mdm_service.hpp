// The reference server's Apple MDM behaviour (NanoMDM's rules):
//  - Authenticate creates/updates the enrollment, clears its queue, its user channels and every
//    secret of the previous enrollment (push token and magic, unlock and bootstrap tokens) and
//    disables it until TokenUpdate; CheckOut disables it; TokenUpdate enables it (routine
//    resends are normal).
//  - SetBootstrapToken stores, GetBootstrapToken returns it, both for an enabled enrollment
//    only (the certificate binding decorator has already checked the certificate is the
//    enrollment's).
//  - User channels (NanoMDM's enrollment ids, "UDID:UserID"): UserAuthenticate is answered
//    with an empty DigestChallenge, then 200 for the DigestResponse; the user's TokenUpdate
//    keeps its own push token, magic and queue inside the device's active enrollment; the
//    device's Authenticate removes its user channels, its CheckOut ends them.
//  - A TokenUpdate with commands waiting is followed by a push (pushes only ever go to
//    enrollments that have sent TokenUpdate).
//  - Command loop: record the report, then answer the next command by priority then age;
//    NotNow'd commands are skipped on non-Idle reports and offered again after Idle.
//  - A store failure answers 503 with Retry-After (MdmReply::unavailable) at the first store
//    call that fails; that call stored nothing, and later ones are not made. Every step is
//    safe to repeat, so the device's retry of the same message completes it.
#pragma once

#include <memory>

#include "core/clock/clock.hpp"
#include "server/apple/ddm/ddm_service.hpp"
#include "server/apple/mdm_service.hpp"
#include "server/apple/push/background_push.hpp"
#include "server/store/apple_enrollment_store.hpp"
#include "server/store/bootstrap_token_store.hpp"
#include "server/store/command_queue_store.hpp"

namespace mdmlab::server::apple {

class AppleMdmService final : public MdmService {
 public:
  AppleMdmService(store::EnrollmentStore& enrollments, store::BootstrapTokenStore& bootstrap,
                  store::CommandQueueStore& queue, std::shared_ptr<Clock> clock,
                  BackgroundPush& push)
      : enrollments_(enrollments),
        bootstrap_(bootstrap),
        queue_(queue),
        clock_(std::move(clock)),
        push_(push) {}

  boost::asio::awaitable<MdmReply> authenticate(const MdmRequest& req, const Checkin& msg) override;
  boost::asio::awaitable<MdmReply> token_update(const MdmRequest& req, const Checkin& msg) override;
  boost::asio::awaitable<MdmReply> user_authenticate(const MdmRequest& req,
                                                     const Checkin& msg) override;
  boost::asio::awaitable<MdmReply> set_bootstrap_token(const MdmRequest& req,
                                                       const Checkin& msg) override;
  boost::asio::awaitable<MdmReply> get_bootstrap_token(const MdmRequest& req,
                                                       const Checkin& msg) override;
  boost::asio::awaitable<MdmReply> check_out(const MdmRequest& req, const Checkin& msg) override;
  boost::asio::awaitable<MdmReply> declarative_management(const MdmRequest& req,
                                                          const Checkin& msg) override;
  boost::asio::awaitable<MdmReply> command_report(
      const MdmRequest& req, const mdmlab::apple::CommandReport& report) override;
  // Serves the DeclarativeManagement check-in through `ddm` (without one: 404).
  void set_ddm(ddm::DdmService* ddm) { ddm_ = ddm; }

 private:
  // A user channel lives inside the device's active enrollment: the refusal if it has none.
  boost::asio::awaitable<std::optional<MdmReply>> needs_active_device(const Checkin& msg);
  boost::asio::awaitable<void> push_if_queued(std::string enrollment_id);
  // Queues DeviceConfigured for an ADE Mac waiting in Setup Assistant.
  boost::asio::awaitable<Result<void>> queue_device_configured(std::string udid, TimePoint at);
  store::EnrollmentStore& enrollments_;
  store::BootstrapTokenStore& bootstrap_;
  store::CommandQueueStore& queue_;
  std::shared_ptr<Clock> clock_;
  BackgroundPush& push_;
  ddm::DdmService* ddm_ = nullptr;
};

}  // namespace mdmlab::server::apple
