// Admin API calls from a load run's driver thread, made on the devices' runtime and waited for.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <string>

#include "core/net/http_client.hpp"
#include "core/net/io_runtime.hpp"
#include "scenarios/engine/environment.hpp"

namespace mdmlab::load {

class AdminCalls {
 public:
  AdminCalls(net::IoRuntime& io, const scenarios::Endpoints& ep) : io_(io), ep_(ep) {}
  Result<net::HttpResponse> call(const std::string& method, const std::string& target,
                                 const std::string& body = {}) {
    auto task = send(io_.executor(), ep_.admin_url, ep_.admin_token, method, target, body);
    return boost::asio::co_spawn(io_.executor(), std::move(task), boost::asio::use_future).get();
  }

 private:
  static boost::asio::awaitable<Result<net::HttpResponse>> send(boost::asio::any_io_executor ex,
                                                                std::string base, std::string token,
                                                                std::string method,
                                                                std::string target,
                                                                std::string body) {
    net::HttpClient http(ex, base);
    net::HttpRequest req;
    req.method = method;
    req.target = target;
    req.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    req.body = body;
    auto res = co_await http.send(req);
    co_return res;
  }
  net::IoRuntime& io_;
  const scenarios::Endpoints& ep_;
};

}  // namespace mdmlab::load
