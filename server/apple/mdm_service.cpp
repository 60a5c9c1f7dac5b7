#include "server/apple/mdm_service.hpp"

namespace mdmlab::server::apple {
using mdmlab::apple::CheckinType;

boost::asio::awaitable<MdmReply> dispatch_checkin(MdmService& service, const MdmRequest& req,
                                                  const Checkin& msg) {
  MdmReply reply = MdmReply::fail(400, "unknown check-in");
  switch (msg.type) {
    case CheckinType::authenticate:
      reply = co_await service.authenticate(req, msg);
      break;
    case CheckinType::token_update:
      reply = co_await service.token_update(req, msg);
      break;
    case CheckinType::user_authenticate:
      reply = co_await service.user_authenticate(req, msg);
      break;
    case CheckinType::set_bootstrap_token:
      reply = co_await service.set_bootstrap_token(req, msg);
      break;
    case CheckinType::get_bootstrap_token:
      reply = co_await service.get_bootstrap_token(req, msg);
      break;
    case CheckinType::check_out:
      reply = co_await service.check_out(req, msg);
      break;
    case CheckinType::declarative_management:
      reply = co_await service.declarative_management(req, msg);
      break;
  }
  co_return reply;
}

}  // namespace mdmlab::server::apple
