#include "core/net/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "core/log/log.hpp"
#include "core/net/tcp_listener.hpp"
#include "core/net/tls_context.hpp"

namespace mdmlab::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);
// The request head (line and header fields) we read at most.
constexpr std::uint64_t kMaxRequestHead = 16 * 1024;

namespace {
// One live connection, as seen by stop(): its strand and a way to close its socket.
struct Connection {
  asio::any_io_executor strand;
  std::function<void()> close;  // valid while `alive`; run only on `strand`
  bool alive = true;            // touched only on `strand`
  std::atomic<bool> idle{true};
};
}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  IoRuntime& io;
  Router router;
  HttpServerOptions options;
  metrics::Registry* registry;
  std::shared_ptr<asio::ssl::context> tls;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  unsigned short bound_port = 0;

  mutable std::mutex mutex;
  std::condition_variable drained;
  std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> connections;
  std::uint64_t next_id = 0;

  metrics::Family<metrics::Counter>* requests = nullptr;
  metrics::Family<metrics::Histogram>* latency = nullptr;
  metrics::Gauge* open_gauge = nullptr;
  metrics::Counter* tls_failures = nullptr;

  Impl(IoRuntime& io_, Router r, HttpServerOptions o, metrics::Registry* m)
      : io(io_),
        router(std::move(r)),
        options(std::move(o)),
        registry(m),
        acceptor(asio::make_strand(io_.context())) {
    if (registry) {
      requests = &registry->counter("mdmlab_http_requests_total",
                                    "HTTP requests answered, by route pattern and status code",
                                    {"route", "code"});
      latency = &registry->histogram("mdmlab_http_request_seconds",
                                     "Time from request read to response written", {"route"});
      open_gauge = &registry->gauge("mdmlab_http_connections", "Open HTTP connections").get();
      tls_failures =
          &registry
               ->counter("mdmlab_tls_handshake_failures_total",
                         "TLS handshakes that failed (bad or missing client cert, protocol errors)")
               .get();
    }
  }

  std::pair<std::uint64_t, std::shared_ptr<Connection>> register_connection(
      asio::any_io_executor ex) {
    auto c = std::make_shared<Connection>();
    c->strand = std::move(ex);
    std::lock_guard lock(mutex);
    auto id = next_id++;
    connections.emplace(id, c);
    if (open_gauge) open_gauge->inc();
    return {id, c};
  }

  void unregister_connection(std::uint64_t id) {
    std::lock_guard lock(mutex);
    if (auto it = connections.find(id); it != connections.end()) {
      it->second->alive = false;
      connections.erase(it);
    }
    if (open_gauge) open_gauge->dec();
    drained.notify_all();
  }

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    auto on_accept = [self](ConnectionStrand strand, tcp::socket socket) {
      asio::co_spawn(strand, self->run_connection(std::move(socket)), asio::detached);
    };
    co_await accept_connections(acceptor, io.context(), stopping, options.name, on_accept);
  }

  asio::awaitable<void> run_connection(tcp::socket socket) {
    auto self = shared_from_this();
    auto [id, conn] = register_connection(socket.get_executor());
    std::string remote;
    boost::system::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string() + ":" + std::to_string(ep.port());
    try {
      if (tls) {
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls);
        conn->close = [&stream] {
          boost::system::error_code ignored;
          beast::get_lowest_layer(stream).socket().close(ignored);
        };
        beast::get_lowest_layer(stream).expires_after(options.io_timeout);
        auto [hec] =
            co_await stream.async_handshake(asio::ssl::stream_base::server, nothrow_awaitable);
        if (hec) {
          if (tls_failures) tls_failures->inc();
          log::debug(options.name, "TLS handshake from {} failed: {}", remote, hec.message());
        } else {
          std::optional<crypto::Certificate> peer;
          if (X509* c = SSL_get1_peer_certificate(stream.native_handle()))
            peer = crypto::Certificate(crypto::X509Ptr(c));
          co_await serve_requests(stream, *conn, remote, peer);
          beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
          co_await stream.async_shutdown(nothrow_awaitable);
        }
      } else {
        beast::tcp_stream stream(std::move(socket));
        conn->close = [&stream] {
          boost::system::error_code ignored;
          stream.socket().close(ignored);
        };
        co_await serve_requests(stream, *conn, remote, std::nullopt);
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      }
    } catch (const std::exception& e) {
      log::warn(options.name, "connection from {} ended: {}", remote, e.what());
    }
    conn->close = nullptr;
    unregister_connection(id);
  }

  void record(const std::string& route, int status, std::chrono::steady_clock::time_point start) {
    if (!requests) return;
    requests->with({route, std::to_string(status)}).inc();
    latency->with({route}).observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }

  template <typename Stream>
  asio::awaitable<void> write_error(Stream& stream, int status, const std::string& message) {
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::connection, "close");
    res.body() = message + "\n";
    res.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(options.io_timeout);
    co_await http::async_write(stream, res, nothrow_awaitable);
  }

  template <typename Stream>
  asio::awaitable<void> serve_requests(Stream& stream, Connection& conn, const std::string& remote,
                                       const std::optional<crypto::Certificate>& peer) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(options.body_limit);
      parser.header_limit(kMaxRequestHead);
      conn.idle = true;
      if (stopping) co_return;
      beast::get_lowest_layer(stream).expires_after(options.idle_timeout);
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, nothrow_awaitable);
      conn.idle = false;
      auto start = std::chrono::steady_clock::now();
      if (ec == http::error::end_of_stream || ec == asio::error::eof ||
          ec == asio::error::operation_aborted || ec == beast::error::timeout ||
          ec == asio::ssl::error::stream_truncated || ec == asio::error::connection_reset ||
          ec == asio::error::bad_descriptor) {
        co_return;
      }
      if (ec) {
        int status = ec == http::error::body_limit ? 413 : 400;
        std::string message =
            status == 413 ? "request body too large" : "malformed HTTP request: " + ec.message();
        if (ec == http::error::header_limit) {
          // Past the head limit. Beast has consumed the request line once it parsed it, so
          // what is left starts either with the request line that did not fit (a method, then
          // a space: the target is too long, RFC 9112 section 3: 414) or with a header field
          // (a name, then a colon: RFC 6585 section 5: 431).
          auto data = buffer.data();
          std::string_view head(static_cast<const char*>(data.data()), data.size());
          auto first = head.find_first_of(" :");
          const bool long_target = first != std::string_view::npos && head[first] == ' ';
          status = long_target ? 414 : 431;
          message = long_target ? "request target too long" : "request header fields too large";
        }
        record("unmatched", status, start);
        co_await write_error(stream, status, message);
        co_return;
      }
      auto& req = parser.get();
      HttpRequest request;
      request.method = std::string(req.method_string());
      request.target = std::string(req.target());
      for (const auto& f : req)
        request.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
      request.body = std::move(req.body());
      request.client_certificate = peer;
      request.remote_address = remote;

      auto match = router.match(request.method, request.path());
      HttpResponse response;
      if (match.handler) {
        try {
          response = co_await (*match.handler)(request);
        } catch (const std::exception& e) {
          log::error(options.name, "handler for {} {} threw: {}", request.method, match.route,
                     e.what());
          response = HttpResponse::text(500, "internal error\n");
        }
      } else if (!match.allowed.empty()) {
        response = HttpResponse::text(405, "method not allowed\n");
        std::string allow;
        for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
        response.set_header("Allow", allow);
      } else {
        response = HttpResponse::text(404, "not found\n");
      }

      http::response<http::string_body> res{static_cast<http::status>(response.status),
                                            req.version()};
      for (const auto& [k, v] : response.headers) res.set(k, v);
      if (request.method != "HEAD") res.body() = std::move(response.body);
      res.keep_alive(req.keep_alive() && !stopping);
      res.prepare_payload();
      beast::get_lowest_layer(stream).expires_after(options.io_timeout);
      auto [wec, wn] = co_await http::async_write(stream, res, nothrow_awaitable);
      record(match.route, response.status, start);
      if (wec || !res.keep_alive()) co_return;
    }
  }
};

HttpServer::HttpServer(IoRuntime& io, Router router, HttpServerOptions options,
                       metrics::Registry* metrics)
    : impl_(std::make_shared<Impl>(io, std::move(router), std::move(options), metrics)) {}

HttpServer::~HttpServer() {
  stop(std::chrono::milliseconds(500));
}

Result<void> HttpServer::listen() {
  auto& o = impl_->options;
  if (impl_->bound_port) return success();
  if (o.tls) {
    auto ctx = make_server_context(*o.tls);
    if (!ctx) return ctx.error();
    impl_->tls = *ctx;
  }
  auto& a = impl_->acceptor;
  if (auto r = listen_on(a, o.bind_address, o.port); !r) return r;
  impl_->bound_port = a.local_endpoint().port();
  return success();
}

void HttpServer::set_router(Router router) {
  impl_->router = std::move(router);
}

Result<void> HttpServer::start() {
  if (auto r = listen(); !r) return r;
  asio::co_spawn(impl_->acceptor.get_executor(), impl_->accept_loop(), asio::detached);
  log::info(impl_->options.name, "listening on {}", base_url());
  return success();
}

unsigned short HttpServer::port() const {
  return impl_->bound_port;
}

std::string HttpServer::base_url() const {
  auto host = impl_->options.bind_address;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(impl_->options.tls ? "https://" : "http://") + host + ":" +
         std::to_string(port());
}

std::size_t HttpServer::open_connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections.size();
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  auto impl = impl_;
  if (impl->stopping.exchange(true)) return;
  asio::post(impl->acceptor.get_executor(), [impl] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
  });
  auto close_connections = [&](bool only_idle) {
    std::lock_guard lock(impl->mutex);
    for (auto& entry : impl->connections) {
      auto c = entry.second;  // a named copy: clang 14 cannot capture a structured binding
      if (only_idle && !c->idle) continue;
      asio::post(c->strand, [c] {
        if (c->alive && c->close) c->close();
      });
    }
  };
  close_connections(true);
  std::unique_lock lock(impl->mutex);
  if (!impl->drained.wait_for(lock, grace, [&] { return impl->connections.empty(); })) {
    lock.unlock();
    close_connections(false);
    lock.lock();
    impl->drained.wait_for(lock, std::chrono::seconds(2),
                           [&] { return impl->connections.empty(); });
  }
}

}  // namespace mdmlab::net
