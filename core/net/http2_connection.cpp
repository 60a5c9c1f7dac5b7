#include "core/net/http2_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <nghttp2/nghttp2.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "core/log/log.hpp"

namespace mdmlab::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

std::string Http2Message::header(std::string_view name) const {
  for (const auto& h : headers)
    if (h.name == name) return h.value;
  return {};
}

std::size_t Http2Message::count(std::string_view name) const {
  return static_cast<std::size_t>(std::count_if(
      headers.begin(), headers.end(), [&](const Http2Header& h) { return h.name == name; }));
}

int Http2Message::status() const {
  auto s = header(":status");
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

// A stream's state: what arrived, what we send, and (client side) who waits for the answer.
struct Http2Connection::Stream {
  std::int32_t id = 0;
  Http2Message incoming;
  std::string outgoing;
  std::size_t sent = 0;
  std::optional<asio::steady_timer> waiter;  // client: cancelled when the outcome is known
  bool finished = false;
  Result<Http2Message> outcome;
};

// nghttp2's C callbacks, forwarding to the connection (user_data) and its streams.
struct Http2Connection::Callbacks {
  static Http2Connection& self(void* user_data) {
    return *static_cast<Http2Connection*>(user_data);
  }

  static Stream* find(Http2Connection& c, std::int32_t id) {
    auto it = c.streams_.find(id);
    return it == c.streams_.end() ? nullptr : it->second.get();
  }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    auto& c = self(user_data);
    if (c.role_ != Role::server || frame->hd.type != NGHTTP2_HEADERS ||
        frame->headers.cat != NGHTTP2_HCAT_REQUEST)
      return 0;
    auto s = std::make_shared<Stream>();
    s->id = frame->hd.stream_id;
    c.streams_[s->id] = std::move(s);
    std::lock_guard lock(c.stats_mutex_);
    c.stats_.streams_opened++;
    c.stats_.open_streams++;
    c.stats_.peak_open_streams = std::max(c.stats_.peak_open_streams, c.stats_.open_streams);
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name,
                       std::size_t namelen, const std::uint8_t* value, std::size_t valuelen,
                       std::uint8_t, void* user_data) {
    auto& c = self(user_data);
    Stream* s = find(c, frame->hd.stream_id);
    if (!s) return 0;
    auto& headers = s->incoming.headers;
    if (headers.size() >= 64) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // resets the stream
    headers.push_back({std::string(reinterpret_cast<const char*>(name), namelen),
                       std::string(reinterpret_cast<const char*>(value), valuelen)});
    return 0;
  }

  static int on_data_chunk(nghttp2_session*, std::uint8_t, std::int32_t stream_id,
                           const std::uint8_t* data, std::size_t len, void* user_data) {
    auto& c = self(user_data);
    Stream* s = find(c, stream_id);
    if (!s) return 0;
    auto& body = s->incoming.body;
    std::size_t room = c.settings_.body_limit - std::min(c.settings_.body_limit, body.size());
    if (len > room) s->incoming.body_too_large = true;
    body.append(reinterpret_cast<const char*>(data), std::min(len, room));
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    auto& c = self(user_data);
    if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) return 0;
    if (!(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) return 0;
    Stream* s = find(c, frame->hd.stream_id);
    if (!s) return 0;
    if (c.role_ == Role::server) {
      if (c.handler_) c.handler_(c, s->id, std::move(s->incoming));
    } else {
      c.finish_stream(*s, std::move(s->incoming));
    }
    return 0;
  }

  static int on_stream_close(nghttp2_session*, std::int32_t stream_id, std::uint32_t error_code,
                             void* user_data) {
    auto& c = self(user_data);
    auto it = c.streams_.find(stream_id);
    if (it == c.streams_.end()) return 0;
    {
      std::lock_guard lock(c.stats_mutex_);
      if (error_code == NGHTTP2_REFUSED_STREAM) c.stats_.streams_refused++;
      if (c.role_ == Role::server) c.stats_.open_streams--;
    }
    if (c.role_ == Role::client && !it->second->finished) {
      c.finish_stream(*it->second,
                      make_error("http2_stream_reset", std::string("stream closed: ") +
                                                           nghttp2_http2_strerror(error_code)));
    }
    c.streams_.erase(it);
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, std::int32_t, std::uint8_t* buf, std::size_t length,
                           std::uint32_t* flags, nghttp2_data_source* source, void*) {
    auto* s = static_cast<Stream*>(source->ptr);
    std::size_t n = std::min(length, s->outgoing.size() - s->sent);
    std::memcpy(buf, s->outgoing.data() + s->sent, n);
    s->sent += n;
    if (s->sent == s->outgoing.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
};

namespace {
std::vector<nghttp2_nv> name_values(const std::vector<Http2Header>& headers) {
  std::vector<nghttp2_nv> nva;
  for (const auto& h : headers)
    nva.push_back({reinterpret_cast<std::uint8_t*>(const_cast<char*>(h.name.data())),
                   reinterpret_cast<std::uint8_t*>(const_cast<char*>(h.value.data())),
                   h.name.size(), h.value.size(), NGHTTP2_NV_FLAG_NONE});
  return nva;
}
}  // namespace

Http2Connection::Http2Connection(Executor executor, std::unique_ptr<TlsSocket> socket, Role role,
                                 Http2Settings settings, RequestHandler handler)
    : executor_(executor),
      socket_(std::move(socket)),
      role_(role),
      settings_(settings),
      handler_(std::move(handler)),
      session_(nullptr, nghttp2_session_del),
      write_signal_(executor),
      writer_done_(executor) {}

Http2Connection::~Http2Connection() = default;

Result<std::shared_ptr<Http2Connection>> Http2Connection::create(Executor executor,
                                                                 std::unique_ptr<TlsSocket> socket,
                                                                 Role role, Http2Settings settings,
                                                                 RequestHandler handler) {
  std::shared_ptr<Http2Connection> c(
      new Http2Connection(executor, std::move(socket), role, settings, std::move(handler)));
  nghttp2_session_callbacks* raw_callbacks = nullptr;
  if (nghttp2_session_callbacks_new(&raw_callbacks) != 0)
    return make_error("http2", "out of memory");
  std::unique_ptr<nghttp2_session_callbacks, void (*)(nghttp2_session_callbacks*)> callbacks(
      raw_callbacks, nghttp2_session_callbacks_del);
  nghttp2_session_callbacks_set_on_begin_headers_callback(raw_callbacks,
                                                          Callbacks::on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(raw_callbacks, Callbacks::on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(raw_callbacks,
                                                            Callbacks::on_data_chunk);
  nghttp2_session_callbacks_set_on_frame_recv_callback(raw_callbacks, Callbacks::on_frame_recv);
  nghttp2_session_callbacks_set_on_stream_close_callback(raw_callbacks, Callbacks::on_stream_close);

  nghttp2_option* raw_option = nullptr;
  if (nghttp2_option_new(&raw_option) != 0) return make_error("http2", "out of memory");
  std::unique_ptr<nghttp2_option, void (*)(nghttp2_option*)> option(raw_option, nghttp2_option_del);
  nghttp2_option_set_peer_max_concurrent_streams(raw_option,
                                                 settings.assumed_peer_max_concurrent_streams);

  nghttp2_session* session = nullptr;
  int rv = role == Role::client
               ? nghttp2_session_client_new2(&session, raw_callbacks, c.get(), raw_option)
               : nghttp2_session_server_new2(&session, raw_callbacks, c.get(), raw_option);
  if (rv != 0) return make_error("http2", nghttp2_strerror(rv));
  c->session_.reset(session);

  nghttp2_settings_entry entry{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS,
                               settings.max_concurrent_streams};
  nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, &entry, 1);

  if (X509* peer = SSL_get1_peer_certificate(c->socket_->native_handle()))
    c->peer_ = crypto::Certificate(crypto::X509Ptr(peer));
  boost::system::error_code ec;
  auto ep = c->socket_->next_layer().remote_endpoint(ec);
  if (!ec) c->remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  return c;
}

asio::awaitable<Result<std::shared_ptr<Http2Connection>>> Http2Connection::connect(
    asio::any_io_executor executor, std::string host, unsigned short port,
    std::shared_ptr<asio::ssl::context> tls, std::string server_name, Http2Settings settings) {
  auto strand = asio::make_strand(executor);
  auto socket = std::make_unique<TlsSocket>(strand, *tls);
  std::vector<tcp::endpoint> endpoints;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoints.emplace_back(address, port);
  } else {
    tcp::resolver resolver(strand);
    auto [rec, results] =
        co_await resolver.async_resolve(host, std::to_string(port), nothrow_awaitable);
    if (rec) co_return make_error("connect_failed", "resolve " + host + ": " + rec.message());
    for (const auto& r : results) endpoints.push_back(r.endpoint());
  }
  auto [cec, ep] = co_await asio::async_connect(socket->next_layer(), endpoints, nothrow_awaitable);
  if (cec)
    co_return make_error("connect_failed",
                         host + ":" + std::to_string(port) + ": " + cec.message());
  socket->next_layer().set_option(tcp::no_delay(true), ec);
  if (server_name.empty()) server_name = host;
  SSL_set_tlsext_host_name(socket->native_handle(), server_name.c_str());
  socket->set_verify_callback(asio::ssl::host_name_verification(server_name));
  auto [hec] = co_await socket->async_handshake(asio::ssl::stream_base::client, nothrow_awaitable);
  if (hec)
    co_return make_error("tls_handshake", host + ":" + std::to_string(port) + ": " + hec.message());
  const unsigned char* alpn = nullptr;
  unsigned alpn_len = 0;
  SSL_get0_alpn_selected(socket->native_handle(), &alpn, &alpn_len);
  if (alpn_len != 2 || std::memcmp(alpn, "h2", 2) != 0)
    co_return make_error("http2", "the server did not agree to HTTP/2 (ALPN h2)");
  auto created = create(strand, std::move(socket), Role::client, settings);
  if (!created) co_return created.error();
  auto conn = *created;
  asio::co_spawn(strand, conn->run(), asio::detached);
  co_return conn;
}

asio::awaitable<void> Http2Connection::run() {
  auto self = shared_from_this();
  writer_running_ = true;
  writer_done_.expires_at(asio::steady_timer::time_point::max());
  asio::co_spawn(executor_, write_loop(), asio::detached);
  co_await read_loop();
  closed_ = true;
  wake_writer();
  if (writer_running_) co_await writer_done_.async_wait(nothrow_awaitable);
  for (auto& [id, s] : streams_)
    if (role_ == Role::client && !s->finished)
      finish_stream(*s, make_error("http2_closed", "connection closed"));
  streams_.clear();
  boost::system::error_code ignored;
  socket_->next_layer().shutdown(tcp::socket::shutdown_both, ignored);
  socket_->next_layer().close(ignored);
}

asio::awaitable<void> Http2Connection::read_loop() {
  std::array<std::uint8_t, 16384> buffer;
  while (!closed_) {
    auto [ec, n] = co_await socket_->async_read_some(asio::buffer(buffer), nothrow_awaitable);
    if (ec) break;
    auto rv = nghttp2_session_mem_recv(session_.get(), buffer.data(), n);
    wake_writer();
    if (rv < 0) {
      log::debug("http2", "{}: protocol error: {}", remote_,
                 nghttp2_strerror(static_cast<int>(rv)));
      break;
    }
    if (!nghttp2_session_want_read(session_.get()) && !nghttp2_session_want_write(session_.get()))
      break;
  }
}

asio::awaitable<void> Http2Connection::write_loop() {
  auto self = shared_from_this();
  std::string out;
  for (;;) {
    out.clear();
    while (out.size() < 64 * 1024) {
      const std::uint8_t* data = nullptr;
      auto n = nghttp2_session_mem_send(session_.get(), &data);
      if (n <= 0) break;
      out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
    }
    if (!out.empty()) {
      auto [ec, written] =
          co_await asio::async_write(*socket_, asio::buffer(out), nothrow_awaitable);
      if (ec) break;
      continue;
    }
    if (closed_) break;
    if (!nghttp2_session_want_read(session_.get()) && !nghttp2_session_want_write(session_.get()))
      break;
    write_signal_.expires_at(asio::steady_timer::time_point::max());
    co_await write_signal_.async_wait(nothrow_awaitable);
  }
  // Wakes the reader (its pending read fails) and run(), which waits for us.
  closed_ = true;
  boost::system::error_code ignored;
  socket_->next_layer().cancel(ignored);
  writer_running_ = false;
  writer_done_.cancel();
}

void Http2Connection::wake_writer() {
  write_signal_.cancel();
}

void Http2Connection::finish_stream(Stream& s, Result<Http2Message> outcome) {
  if (s.finished) return;
  s.finished = true;
  s.outcome = std::move(outcome);
  if (s.waiter) s.waiter->cancel();
}

asio::awaitable<Result<Http2Message>> Http2Connection::request(Http2Message request) {
  // Hop onto the connection's strand; the frame owns the request (see README on GCC 12).
  struct OnStrand {
    static asio::awaitable<Result<Http2Message>> send(std::shared_ptr<Http2Connection> c,
                                                      Http2Message req) {
      if (c->closed_) co_return make_error("http2_closed", "connection closed");
      auto s = std::make_shared<Stream>();
      s->outgoing = std::move(req.body);
      s->waiter.emplace(c->executor_);
      auto nva = name_values(req.headers);
      nghttp2_data_provider provider{};
      provider.source.ptr = s.get();
      provider.read_callback = Callbacks::read_body;
      bool has_body = !s->outgoing.empty();
      std::int32_t id = nghttp2_submit_request(c->session_.get(), nullptr, nva.data(), nva.size(),
                                               has_body ? &provider : nullptr, nullptr);
      if (id < 0) co_return make_error("http2", nghttp2_strerror(id));
      s->id = id;
      // Callbacks for it run only inside mem_recv/mem_send, so registering after submit is safe.
      c->streams_[id] = s;
      c->wake_writer();
      s->waiter->expires_after(c->settings_.request_timeout);
      co_await s->waiter->async_wait(nothrow_awaitable);
      if (!s->finished) {
        nghttp2_submit_rst_stream(c->session_.get(), NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
        c->wake_writer();
        co_return make_error(
            "timeout",
            "no answer within " + std::to_string(c->settings_.request_timeout.count()) + " ms");
      }
      co_return std::move(s->outcome);
    }
  };
  auto task = OnStrand::send(shared_from_this(), std::move(request));
  auto result = co_await asio::co_spawn(executor_, std::move(task), asio::use_awaitable);
  co_return result;
}

void Http2Connection::respond(std::int32_t stream_id, Http2Message response) {
  asio::dispatch(
      executor_, [self = shared_from_this(), stream_id, response = std::move(response)]() mutable {
        auto it = self->streams_.find(stream_id);
        if (it == self->streams_.end() || self->closed_) return;  // the client reset it meanwhile
        Stream& s = *it->second;
        s.outgoing = std::move(response.body);
        auto nva = name_values(response.headers);
        nghttp2_data_provider provider{};
        provider.source.ptr = &s;
        provider.read_callback = Callbacks::read_body;
        int rv = nghttp2_submit_response(self->session_.get(), stream_id, nva.data(), nva.size(),
                                         s.outgoing.empty() ? nullptr : &provider);
        if (rv != 0)
          log::debug("http2", "{}: cannot answer stream {}: {}", self->remote_, stream_id,
                     nghttp2_strerror(rv));
        self->wake_writer();
      });
}

void Http2Connection::set_max_concurrent_streams(std::uint32_t n) {
  asio::dispatch(executor_, [self = shared_from_this(), n] {
    if (self->closed_) return;
    self->settings_.max_concurrent_streams = n;
    nghttp2_settings_entry entry{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, n};
    nghttp2_submit_settings(self->session_.get(), NGHTTP2_FLAG_NONE, &entry, 1);
    self->wake_writer();
  });
}

void Http2Connection::close() {
  asio::dispatch(executor_, [self = shared_from_this()] {
    if (self->closed_) return;
    nghttp2_session_terminate_session(self->session_.get(), NGHTTP2_NO_ERROR);
    self->wake_writer();
  });
}

Http2Stats Http2Connection::stats() const {
  std::lock_guard lock(stats_mutex_);
  return stats_;
}

std::uint32_t Http2Connection::peer_max_concurrent_streams() const {
  return nghttp2_session_get_remote_settings(session_.get(),
                                             NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
}

}  // namespace mdmlab::net
