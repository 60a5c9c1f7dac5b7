#include "server/apple/metered_mdm_service.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;

metrics::Family<metrics::Counter>& checkin_counter(metrics::Registry& registry) {
  return registry.counter("mdmlab_apple_checkins_total",
                          "Apple check-in messages by type and HTTP status",
                          {"message_type", "code"});
}

metrics::Family<metrics::Counter>& command_report_counter(metrics::Registry& registry) {
  return registry.counter("mdmlab_apple_command_reports_total",
                          "Apple command-loop reports by status and HTTP status",
                          {"status", "code"});
}

asio::awaitable<MdmReply> MeteredMdmService::around(Method method, const MdmRequest& req,
                                                    const Checkin& msg) {
  auto reply = co_await (inner_.*method)(req, msg);
  checkins_.with({std::string(mdmlab::apple::to_string(msg.type)), std::to_string(reply.status)})
      .inc();
  co_return reply;
}

asio::awaitable<MdmReply> MeteredMdmService::command_report(
    const MdmRequest& req, const mdmlab::apple::CommandReport& report) {
  auto reply = co_await inner_.command_report(req, report);
  reports_
      .with({std::string(mdmlab::apple::to_string(report.status)), std::to_string(reply.status)})
      .inc();
  co_return reply;
}

}  // namespace mdmlab::server::apple
