// HTTP/1.1 server (Boost.Beast, C++20 coroutines) with optional TLS and mTLS. Each connection
// is a coroutine on its own strand: read a request, route it, write the answer, loop while
// keep-alive. Errors end the connection, never the process.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/metrics/registry.hpp"
#include "core/net/http_message.hpp"
#include "core/net/io_runtime.hpp"
#include "core/net/router.hpp"
#include "core/net/tls_config.hpp"

namespace mdmlab::net {

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  unsigned short port = 0;  // 0: an ephemeral port (see HttpServer::port())
  std::optional<TlsServerConfig> tls;
  std::size_t body_limit = 2 * 1024 * 1024;  // 413 above this
  std::chrono::seconds idle_timeout{30};
  std::chrono::seconds io_timeout{30};
  std::string name = "http";  // log component
};

class HttpServer {
 public:
  // `metrics` may be null; otherwise mdmlab_http_requests_total{route,code},
  // mdmlab_http_request_seconds{route} and mdmlab_http_connections are recorded.
  HttpServer(IoRuntime& io, Router router, HttpServerOptions options,
             metrics::Registry* metrics = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens without accepting yet, so port() is known (e.g. to build URLs into the
  // routes). Fails if the address is taken or TLS is misconfigured.
  Result<void> listen();
  // Replaces the routes; only before start().
  void set_router(Router router);
  // listen() if not done yet, then starts accepting.
  Result<void> start();
  unsigned short port() const;
  // "http://127.0.0.1:PORT" or "https://..."
  std::string base_url() const;
  // Graceful: stop accepting, close idle connections, let in-flight requests finish
  // (up to `grace`), then close the rest. Safe to call twice.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  std::size_t open_connections() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace mdmlab::net
