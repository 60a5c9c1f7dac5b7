// The base of MdmService decorators (certificate binding, metrics): every check-in method goes
// through around(), which does the decorator's work and calls the wrapped service's method for
// that message; the command loop stays each decorator's own.
#pragma once

#include "server/apple/mdm_service.hpp"

namespace mdmlab::server::apple {

class MdmServiceDecorator : public MdmService {
 public:
  explicit MdmServiceDecorator(MdmService& inner) : inner_(inner) {}

  boost::asio::awaitable<MdmReply> authenticate(const MdmRequest& req,
                                                const Checkin& msg) override {
    return around(&MdmService::authenticate, req, msg);
  }
  boost::asio::awaitable<MdmReply> token_update(const MdmRequest& req,
                                                const Checkin& msg) override {
    return around(&MdmService::token_update, req, msg);
  }
  boost::asio::awaitable<MdmReply> user_authenticate(const MdmRequest& req,
                                                     const Checkin& msg) override {
    return around(&MdmService::user_authenticate, req, msg);
  }
  boost::asio::awaitable<MdmReply> set_bootstrap_token(const MdmRequest& req,
                                                       const Checkin& msg) override {
    return around(&MdmService::set_bootstrap_token, req, msg);
  }
  boost::asio::awaitable<MdmReply> get_bootstrap_token(const MdmRequest& req,
                                                       const Checkin& msg) override {
    return around(&MdmService::get_bootstrap_token, req, msg);
  }
  boost::asio::awaitable<MdmReply> check_out(const MdmRequest& req, const Checkin& msg) override {
    return around(&MdmService::check_out, req, msg);
  }
  boost::asio::awaitable<MdmReply> declarative_management(const MdmRequest& req,
                                                          const Checkin& msg) override {
    return around(&MdmService::declarative_management, req, msg);
  }

 protected:
  using Method = boost::asio::awaitable<MdmReply> (MdmService::*)(const MdmRequest&,
                                                                  const Checkin&);
  // The decorator's work around `method` of the wrapped service (call it with inner_.*method).
  virtual boost::asio::awaitable<MdmReply> around(Method method, const MdmRequest& req,
                                                  const Checkin& msg) = 0;
  MdmService& inner_;
};

}  // namespace mdmlab::server::apple
