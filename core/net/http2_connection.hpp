// One HTTP/2 connection over TLS, client or server side, on nghttp2's C API. nghttp2 owns the
// framing, flow control, HPACK and stream concurrency; this class pumps bytes between it and
// the socket with two coroutines on the connection's strand (a reader feeding
// nghttp2_session_mem_recv, a writer draining nghttp2_session_mem_send). Every member function
// except executor() must be called on that strand.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "crypto/certificate.hpp"

struct nghttp2_session;

namespace mdmlab::net {

using TlsSocket = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

struct Http2Header {
  std::string name;  // lower case; pseudo-headers start with ':'
  std::string value;
};

struct Http2Message {
  std::vector<Http2Header> headers;
  std::string body;
  bool body_too_large = false;  // received: the body went past the limit and was cut
  // First value of a header, or "" (`count` says how many times it appeared).
  std::string header(std::string_view name) const;
  std::size_t count(std::string_view name) const;
  int status() const;  // ":status" as a number; 0 if absent
};

struct Http2Settings {
  std::uint32_t max_concurrent_streams = 100;  // what we allow the peer to open
  // Client: how many streams to assume the server allows before its SETTINGS arrive.
  std::uint32_t assumed_peer_max_concurrent_streams = 1;
  std::size_t body_limit = 64 * 1024;
  std::chrono::milliseconds request_timeout{10000};
};

struct Http2Stats {
  std::size_t open_streams = 0;
  std::size_t peak_open_streams = 0;  // the most streams open at once on this connection
  std::uint64_t streams_opened = 0;
  std::uint64_t streams_refused = 0;  // closed with REFUSED_STREAM
};

class Http2Connection : public std::enable_shared_from_this<Http2Connection> {
 public:
  enum class Role { client, server };
  using Executor = boost::asio::strand<boost::asio::any_io_executor>;
  // Server side: a complete request arrived on `stream_id`; answer with respond(), now or later.
  using RequestHandler =
      std::function<void(Http2Connection&, std::int32_t stream_id, Http2Message)>;

  // `socket` has finished its TLS handshake (ALPN h2) and lives on `executor`.
  static Result<std::shared_ptr<Http2Connection>> create(Executor executor,
                                                         std::unique_ptr<TlsSocket> socket,
                                                         Role role, Http2Settings settings,
                                                         RequestHandler handler = {});
  // Client side: TCP + TLS (ALPN h2 required) to host:port, then starts run() on a new strand.
  static boost::asio::awaitable<Result<std::shared_ptr<Http2Connection>>> connect(
      boost::asio::any_io_executor executor, std::string host, unsigned short port,
      std::shared_ptr<boost::asio::ssl::context> tls, std::string server_name,
      Http2Settings settings);
  ~Http2Connection();

  // Reads and writes until the connection ends; the owner co_spawns it on executor().
  boost::asio::awaitable<void> run();
  Executor executor() const { return executor_; }

  // Client: sends a request and waits for its response (or an error: reset, closed, timeout).
  // Requests beyond the server's MAX_CONCURRENT_STREAMS wait in nghttp2's queue.
  boost::asio::awaitable<Result<Http2Message>> request(Http2Message request);
  // Server: answers a request.
  void respond(std::int32_t stream_id, Http2Message response);
  // Server: advertises a new SETTINGS_MAX_CONCURRENT_STREAMS.
  void set_max_concurrent_streams(std::uint32_t n);
  // Sends GOAWAY and closes once it is written.
  void close();

  bool is_open() const { return !closed_; }
  // What we last advertised as SETTINGS_MAX_CONCURRENT_STREAMS (strand only).
  std::uint32_t local_max_concurrent_streams() const { return settings_.max_concurrent_streams; }
  Http2Stats stats() const;  // safe from any thread
  std::uint32_t peer_max_concurrent_streams() const;
  const std::optional<crypto::Certificate>& peer_certificate() const { return peer_; }
  const std::string& remote() const { return remote_; }

 private:
  struct Stream;
  struct Callbacks;
  Http2Connection(Executor executor, std::unique_ptr<TlsSocket> socket, Role role,
                  Http2Settings settings, RequestHandler handler);
  boost::asio::awaitable<void> read_loop();
  boost::asio::awaitable<void> write_loop();
  void wake_writer();
  void finish_stream(Stream& s, Result<Http2Message> outcome);

  Executor executor_;
  std::unique_ptr<TlsSocket> socket_;
  Role role_;
  Http2Settings settings_;
  RequestHandler handler_;
  std::unique_ptr<nghttp2_session, void (*)(nghttp2_session*)> session_;
  std::map<std::int32_t, std::shared_ptr<Stream>> streams_;
  boost::asio::steady_timer write_signal_;
  boost::asio::steady_timer writer_done_;
  bool writer_running_ = false;
  std::atomic<bool> closed_{false};
  mutable std::mutex stats_mutex_;
  Http2Stats stats_;
  std::optional<crypto::Certificate> peer_;
  std::string remote_;
};

}  // namespace mdmlab::net
