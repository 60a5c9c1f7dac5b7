#include "server/admin/bearer_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace mdmlab::server::admin {

bool constant_time_equals(const std::string& a, const std::string& b) {
  unsigned char da[SHA256_DIGEST_LENGTH], db[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(a.data()), a.size(), da);
  SHA256(reinterpret_cast<const unsigned char*>(b.data()), b.size(), db);
  return CRYPTO_memcmp(da, db, sizeof da) == 0;
}

net::HttpHandler require_bearer(std::string token, net::HttpHandler inner) {
  return [token = std::move(token), inner = std::move(inner)](
             const net::HttpRequest& req) -> boost::asio::awaitable<net::HttpResponse> {
    auto auth = req.header("Authorization");
    const std::string prefix = "Bearer ";
    if (token.empty() || auth.size() <= prefix.size() || auth.compare(0, prefix.size(), prefix) != 0 ||
        !constant_time_equals(auth.substr(prefix.size()), token)) {
      auto r = net::HttpResponse::json(401, R"({"error":"unauthorized","message":"missing or wrong bearer token"})");
      r.set_header("WWW-Authenticate", "Bearer");
      co_return r;
    }
    auto response = co_await inner(req);
    co_return response;
  };
}

}  // namespace mdmlab::server::admin
