// MdmService decorator that tells a webhook about every message the service accepted (NanoMDM's
// webhook service, MicroMDM's event shape: protocol/apple/webhook_event.hpp): each check-in as
// "mdm.<MessageType>" with its raw body, each command report (Idle included) as "mdm.Connect"
// with its Status and CommandUUID. Refused messages send nothing: a webhook reader sees only
// what the server stored. Sits inside the certificate binding, so unauthenticated messages
// never reach it.
#pragma once

#include <memory>

#include "core/clock/clock.hpp"
#include "server/apple/mdm_service_decorator.hpp"
#include "server/apple/webhook/webhook_sender.hpp"
#include "server/store/apple_enrollment_store.hpp"

namespace mdmlab::server::apple {

class WebhookMdmService final : public MdmServiceDecorator {
 public:
  // `enrollments` gives TokenUpdate events their token_update_tally.
  WebhookMdmService(MdmService& inner, WebhookSender& sender, store::EnrollmentStore& enrollments,
                    std::shared_ptr<Clock> clock)
      : MdmServiceDecorator(inner),
        sender_(sender),
        enrollments_(enrollments),
        clock_(std::move(clock)) {}

  boost::asio::awaitable<MdmReply> command_report(
      const MdmRequest& req, const mdmlab::apple::CommandReport& report) override;

 private:
  boost::asio::awaitable<MdmReply> around(Method method, const MdmRequest& req,
                                          const Checkin& msg) override;
  WebhookSender& sender_;
  store::EnrollmentStore& enrollments_;
  std::shared_ptr<Clock> clock_;
};

}  // namespace mdmlab::server::apple
