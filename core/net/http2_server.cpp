#include "core/net/http2_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <list>

#include "core/log/log.hpp"
#include "core/net/tcp_listener.hpp"
#include "core/net/tls_context.hpp"

namespace mdmlab::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

struct Http2Server::Impl : std::enable_shared_from_this<Impl> {
  IoRuntime& io;
  Http2ServerOptions options;
  Http2Connection::RequestHandler handler;
  tcp::acceptor acceptor;
  std::shared_ptr<asio::ssl::context> tls;
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> handshake_failures{0};
  mutable std::mutex mutex;
  std::list<std::weak_ptr<Http2Connection>> connections;
  Http2Stats closed_totals;

  Impl(IoRuntime& io_, Http2ServerOptions o, Http2Connection::RequestHandler h)
      : io(io_), options(std::move(o)), handler(std::move(h)), acceptor(io_.context()) {}

  void forget_closed() {
    for (auto it = connections.begin(); it != connections.end();) {
      if (it->expired()) {
        it = connections.erase(it);
      } else {
        ++it;
      }
    }
  }

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    auto on_accept = [self](ConnectionStrand strand, tcp::socket socket) {
      auto tls_socket = std::make_unique<TlsSocket>(std::move(socket), *self->tls);
      asio::co_spawn(strand,
                     self->handshake(Http2Connection::Executor(strand), std::move(tls_socket)),
                     asio::detached);
    };
    co_await accept_connections(acceptor, io.context(), stopping, options.name, on_accept);
  }

  asio::awaitable<void> handshake(Http2Connection::Executor strand,
                                  std::unique_ptr<TlsSocket> socket) {
    auto self = shared_from_this();
    auto [ec] = co_await socket->async_handshake(asio::ssl::stream_base::server, nothrow_awaitable);
    const unsigned char* alpn = nullptr;
    unsigned alpn_len = 0;
    if (!ec) SSL_get0_alpn_selected(socket->native_handle(), &alpn, &alpn_len);
    if (ec || alpn_len != 2 || std::memcmp(alpn, "h2", 2) != 0) {
      handshake_failures++;
      log::debug(options.name, "TLS/ALPN handshake failed: {}", ec ? ec.message() : "no h2");
      co_return;
    }
    Http2Settings settings;
    {
      std::lock_guard lock(mutex);
      settings = options.settings;
    }
    auto created = Http2Connection::create(strand, std::move(socket), Http2Connection::Role::server,
                                           settings, handler);
    if (!created) co_return;
    auto conn = *created;
    {
      std::lock_guard lock(mutex);
      forget_closed();
      connections.push_back(conn);
    }
    co_await conn->run();
    std::lock_guard lock(mutex);
    auto s = conn->stats();
    closed_totals.streams_opened += s.streams_opened;
    closed_totals.streams_refused += s.streams_refused;
    closed_totals.peak_open_streams =
        std::max(closed_totals.peak_open_streams, s.peak_open_streams);
  }

  std::vector<std::shared_ptr<Http2Connection>> live() const {
    std::lock_guard lock(mutex);
    std::vector<std::shared_ptr<Http2Connection>> out;
    for (const auto& w : connections)
      if (auto c = w.lock(); c && c->is_open()) out.push_back(c);
    return out;
  }
};

Http2Server::Http2Server(IoRuntime& io, Http2ServerOptions options,
                         Http2Connection::RequestHandler handler)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(handler))) {}

Http2Server::~Http2Server() {
  stop();
}

Result<void> Http2Server::start() {
  auto& o = impl_->options;
  o.tls.alpn = {"h2"};
  auto ctx = make_server_context(o.tls);
  if (!ctx) return ctx.error();
  impl_->tls = *ctx;
  if (auto r = listen_on(impl_->acceptor, o.bind_address, o.port); !r) return r;
  asio::co_spawn(impl_->io.context(), impl_->accept_loop(), asio::detached);
  return success();
}

void Http2Server::stop() {
  if (impl_->stopping.exchange(true)) return;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto& c : impl_->live()) c->close();
}

unsigned short Http2Server::port() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

std::string Http2Server::base_url() const {
  return "https://" + impl_->options.bind_address + ":" + std::to_string(port());
}

void Http2Server::set_max_concurrent_streams(std::uint32_t n) {
  for (auto& c : impl_->live()) c->set_max_concurrent_streams(n);
}

std::size_t Http2Server::open_connections() const {
  return impl_->live().size();
}

Http2Stats Http2Server::stats() const {
  Http2Stats total;
  {
    std::lock_guard lock(impl_->mutex);
    total = impl_->closed_totals;
  }
  for (auto& c : impl_->live()) {
    auto s = c->stats();
    total.open_streams += s.open_streams;
    total.streams_opened += s.streams_opened;
    total.streams_refused += s.streams_refused;
    total.peak_open_streams = std::max(total.peak_open_streams, s.peak_open_streams);
  }
  return total;
}

std::uint64_t Http2Server::tls_failures() const {
  return impl_->handshake_failures;
}

}  // namespace mdmlab::net
