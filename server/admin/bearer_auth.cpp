#include "server/admin/bearer_auth.hpp"

#include "crypto/secret.hpp"

namespace mdmlab::server::admin {

net::HttpHandler require_bearer(std::string token, net::HttpHandler inner) {
  return [token = std::move(token), inner = std::move(inner)](
             const net::HttpRequest& req) -> boost::asio::awaitable<net::HttpResponse> {
    auto auth = req.header("Authorization");
    const std::string prefix = "Bearer ";
    if (token.empty() || auth.size() <= prefix.size() ||
        auth.compare(0, prefix.size(), prefix) != 0 ||
        !crypto::constant_time_equals(auth.substr(prefix.size()), token)) {
      auto r = net::HttpResponse::json(
          401, R"({"error":"unauthorized","message":"missing or wrong bearer token"})");
      r.set_header("WWW-Authenticate", "Bearer");
      co_return r;
    }
    auto response = co_await inner(req);
    co_return response;
  };
}

}  // namespace mdmlab::server::admin
