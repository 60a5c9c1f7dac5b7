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

asio::awaitable<MdmReply> MeteredMdmService::counted(Method method, const MdmRequest& req,
                                                     const Checkin& msg) {
  auto reply = co_await (inner_.*method)(req, msg);
  checkins_.with({std::string(mdmlab::apple::to_string(msg.type)), std::to_string(reply.status)})
      .inc();
  co_return reply;
}

asio::awaitable<MdmReply> MeteredMdmService::authenticate(const MdmRequest& req,
                                                          const Checkin& msg) {
  return counted(&MdmService::authenticate, req, msg);
}
asio::awaitable<MdmReply> MeteredMdmService::token_update(const MdmRequest& req,
                                                          const Checkin& msg) {
  return counted(&MdmService::token_update, req, msg);
}
asio::awaitable<MdmReply> MeteredMdmService::user_authenticate(const MdmRequest& req,
                                                               const Checkin& msg) {
  return counted(&MdmService::user_authenticate, req, msg);
}
asio::awaitable<MdmReply> MeteredMdmService::set_bootstrap_token(const MdmRequest& req,
                                                                 const Checkin& msg) {
  return counted(&MdmService::set_bootstrap_token, req, msg);
}
asio::awaitable<MdmReply> MeteredMdmService::get_bootstrap_token(const MdmRequest& req,
                                                                 const Checkin& msg) {
  return counted(&MdmService::get_bootstrap_token, req, msg);
}
asio::awaitable<MdmReply> MeteredMdmService::check_out(const MdmRequest& req, const Checkin& msg) {
  return counted(&MdmService::check_out, req, msg);
}
asio::awaitable<MdmReply> MeteredMdmService::declarative_management(const MdmRequest& req,
                                                                    const Checkin& msg) {
  return counted(&MdmService::declarative_management, req, msg);
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
