// MdmService decorator counting every check-in by MessageType and every command report by
// Status, with the HTTP status the inner service answered (as MeteredScepService does for
// SCEP). The transport counts only what it could not decode ("invalid"), in the same families.
#pragma once

#include "core/metrics/registry.hpp"
#include "server/apple/mdm_service_decorator.hpp"

namespace mdmlab::server::apple {

metrics::Family<metrics::Counter>& checkin_counter(metrics::Registry& registry);
metrics::Family<metrics::Counter>& command_report_counter(metrics::Registry& registry);

class MeteredMdmService final : public MdmServiceDecorator {
 public:
  MeteredMdmService(MdmService& inner, metrics::Registry& registry)
      : MdmServiceDecorator(inner),
        checkins_(checkin_counter(registry)),
        reports_(command_report_counter(registry)) {}

  boost::asio::awaitable<MdmReply> command_report(
      const MdmRequest& req, const mdmlab::apple::CommandReport& report) override;

 private:
  boost::asio::awaitable<MdmReply> around(Method method, const MdmRequest& req,
                                          const Checkin& msg) override;
  metrics::Family<metrics::Counter>& checkins_;
  metrics::Family<metrics::Counter>& reports_;
};

}  // namespace mdmlab::server::apple
