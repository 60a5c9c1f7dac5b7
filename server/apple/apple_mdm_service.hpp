// The reference server's Apple MDM behaviour (NanoMDM's rules):
//  - Authenticate creates/updates the enrollment, clears its queue and every secret of the
//    previous enrollment (push token and magic, unlock and bootstrap tokens) and disables it
//    until TokenUpdate; CheckOut disables it; TokenUpdate enables it (routine resends are
//    normal).
//  - SetBootstrapToken stores, GetBootstrapToken returns it, both for an enabled enrollment
//    only (the certificate binding decorator has already checked the certificate is the
//    enrollment's).
//  - User channels (NanoMDM's enrollment ids, "UDID:UserID"): UserAuthenticate is answered
//    with an empty DigestChallenge, then 200 for the DigestResponse; the user's TokenUpdate
//    keeps its own push token, magic and queue inside the device's active enrollment; the
//    device's Authenticate removes its user channels, its CheckOut ends them.
//  - A TokenUpdate with commands waiting is followed by a push (pushes only ever go to
//    devices that have sent TokenUpdate).
//  - Command loop: record the report, then answer the next command by priority then age;
//    NotNow'd commands are skipped on non-Idle reports and offered again after Idle.
#pragma once

#include <memory>

#include "core/clock/clock.hpp"
#include "server/apple/mdm_service.hpp"
#include "server/apple/push/background_push.hpp"
#include "server/store/apple_store.hpp"

namespace mdmlab::server::apple {

class AppleMdmService final : public MdmService {
 public:
  AppleMdmService(store::AppleStore& store, std::shared_ptr<Clock> clock, BackgroundPush& push)
      : store_(store), clock_(std::move(clock)), push_(push) {}

  boost::asio::awaitable<MdmReply> checkin(const MdmRequest& req,
                                           const mdmlab::apple::Checkin& msg) override;
  boost::asio::awaitable<MdmReply> command_report(
      const MdmRequest& req, const mdmlab::apple::CommandReport& report) override;

 private:
  boost::asio::awaitable<MdmReply> user_checkin(const MdmRequest& req,
                                                const mdmlab::apple::Checkin& msg);
  boost::asio::awaitable<void> push_if_queued(std::string enrollment_id);
  store::AppleStore& store_;
  std::shared_ptr<Clock> clock_;
  BackgroundPush& push_;
};

}  // namespace mdmlab::server::apple
