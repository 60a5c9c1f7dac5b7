// An HTTP/2 server over TLS (ALPN h2 only; no cleartext h2c, as APNs). Accepts, hands each
// handshaken socket to an Http2Connection on its own strand, and calls one handler for every
// complete request. Used by the APNs simulator.
#pragma once

#include <memory>
#include <string>

#include "core/net/http2_connection.hpp"
#include "core/net/io_runtime.hpp"
#include "core/net/tls_config.hpp"

namespace mdmlab::net {

struct Http2ServerOptions {
  std::string bind_address = "127.0.0.1";
  unsigned short port = 0;  // 0: ephemeral
  TlsServerConfig tls;      // ALPN is forced to {"h2"}
  Http2Settings settings;
  std::string name = "http2";
};

class Http2Server {
 public:
  Http2Server(IoRuntime& io, Http2ServerOptions options, Http2Connection::RequestHandler handler);
  ~Http2Server();
  Http2Server(const Http2Server&) = delete;
  Http2Server& operator=(const Http2Server&) = delete;

  Result<void> start();
  void stop();
  unsigned short port() const;
  std::string base_url() const;  // https://127.0.0.1:PORT
  // Advertises a new MAX_CONCURRENT_STREAMS on every open connection (new connections start
  // with options.settings).
  void set_max_concurrent_streams(std::uint32_t n);
  std::size_t open_connections() const;
  // Sums over open and closed connections (peak: the highest of any one connection).
  Http2Stats stats() const;
  std::uint64_t tls_failures() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace mdmlab::net
