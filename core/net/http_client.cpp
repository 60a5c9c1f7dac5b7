#include "core/net/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>

#include "core/net/tls_context.hpp"

namespace mdmlab::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

Result<Url> Url::parse(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return make_error("bad_url", "cannot parse URL '" + std::string(text) + "'");
  Url u;
  u.scheme = std::string(parsed->scheme());
  if (u.scheme != "http" && u.scheme != "https")
    return make_error("bad_url", "unsupported scheme in '" + std::string(text) + "'");
  u.host = std::string(parsed->encoded_host());
  if (parsed->host_type() == boost::urls::host_type::ipv6)
    u.host = std::string(parsed->encoded_host_address());
  if (u.host.empty()) return make_error("bad_url", "no host in '" + std::string(text) + "'");
  u.port = parsed->has_port() ? parsed->port_number() : (u.scheme == "https" ? 443 : 80);
  u.target = std::string(parsed->encoded_path());
  if (u.target.empty()) u.target = "/";
  if (parsed->has_query()) u.target += "?" + std::string(parsed->encoded_query());
  return u;
}

std::string Url::origin() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + h + ":" + std::to_string(port);
}

struct HttpClient::Impl {
  asio::any_io_executor executor;
  Url origin;
  HttpClientOptions options;
  std::shared_ptr<asio::ssl::context> tls_ctx;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  std::optional<crypto::Certificate> peer;

  bool connected() const { return plain.has_value() || secure.has_value(); }

  void reset() {
    boost::system::error_code ignored;
    if (plain) plain->socket().close(ignored);
    if (secure) beast::get_lowest_layer(*secure).socket().close(ignored);
    plain.reset();
    secure.reset();
    buffer.clear();
  }

  // IP literals skip the resolver (whose async form runs a helper thread); names resolve.
  asio::awaitable<Result<std::vector<tcp::endpoint>>> endpoints() {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(origin.host, ec);
    if (!ec) co_return std::vector<tcp::endpoint>{tcp::endpoint(address, origin.port)};
    tcp::resolver resolver(executor);
    auto [rec, results] = co_await resolver.async_resolve(origin.host, std::to_string(origin.port),
                                                          nothrow_awaitable);
    if (rec)
      co_return make_error("connect_failed", "resolve " + origin.host + ": " + rec.message());
    std::vector<tcp::endpoint> out;
    for (const auto& r : results) out.push_back(r.endpoint());
    co_return out;
  }

  asio::awaitable<Result<void>> connect() {
    auto resolved = co_await endpoints();
    if (!resolved) co_return resolved.error();
    const auto& results = *resolved;
    if (origin.scheme == "https") {
      if (!tls_ctx) {
        auto ctx = make_client_context(options.tls.value_or(TlsClientConfig{}));
        if (!ctx) co_return ctx.error();
        tls_ctx = *ctx;
      }
      secure.emplace(beast::tcp_stream(executor), *tls_ctx);
      auto& lowest = beast::get_lowest_layer(*secure);
      lowest.expires_after(options.timeout);
      auto [cec, ep] = co_await lowest.async_connect(results, nothrow_awaitable);
      if (cec) {
        reset();
        co_return make_error("connect_failed", origin.origin() + ": " + cec.message());
      }
      // TLS writes header and body as separate records: without NODELAY, Nagle holds the
      // second until the peer's delayed ACK.
      boost::system::error_code ignored;
      lowest.socket().set_option(tcp::no_delay(true), ignored);
      std::string sni =
          options.tls && !options.tls->server_name.empty() ? options.tls->server_name : origin.host;
      SSL_set_tlsext_host_name(secure->native_handle(), sni.c_str());
      if (!options.tls || options.tls->verify_peer) {
        X509_VERIFY_PARAM* param = SSL_get0_param(secure->native_handle());
        boost::system::error_code addr_ec;
        asio::ip::make_address(sni, addr_ec);
        if (addr_ec)
          X509_VERIFY_PARAM_set1_host(param, sni.c_str(), 0);
        else
          X509_VERIFY_PARAM_set1_ip_asc(param, sni.c_str());
      }
      auto [hec] =
          co_await secure->async_handshake(asio::ssl::stream_base::client, nothrow_awaitable);
      if (hec) {
        auto detail = hec.message();
        reset();
        co_return make_error("tls_failed", origin.origin() + ": TLS handshake failed: " + detail);
      }
      peer.reset();
      if (X509* c = SSL_get1_peer_certificate(secure->native_handle()))
        peer = crypto::Certificate(crypto::X509Ptr(c));
    } else {
      plain.emplace(executor);
      plain->expires_after(options.timeout);
      auto [cec, ep] = co_await plain->async_connect(results, nothrow_awaitable);
      if (cec) {
        reset();
        co_return make_error("connect_failed", origin.origin() + ": " + cec.message());
      }
      boost::system::error_code ignored;
      plain->socket().set_option(tcp::no_delay(true), ignored);
    }
    co_return success();
  }

  template <typename Stream>
  asio::awaitable<Result<HttpResponse>> exchange(Stream& stream,
                                                 http::request<http::string_body>& req) {
    beast::get_lowest_layer(stream).expires_after(options.timeout);
    auto [wec, wn] = co_await http::async_write(stream, req, nothrow_awaitable);
    if (wec) co_return make_error("send_failed", wec.message());
    http::response_parser<http::string_body> parser;
    parser.body_limit(options.body_limit);
    if (req.method() == http::verb::head) parser.skip(true);
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, nothrow_awaitable);
    if (rec) co_return make_error("receive_failed", rec.message());
    auto& res = parser.get();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res)
      out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(res.body());
    if (!res.keep_alive()) reset();
    co_return out;
  }

  asio::awaitable<Result<HttpResponse>> send(HttpRequest request) {
    http::request<http::string_body> req;
    req.method_string(request.method);
    req.target(request.target);
    req.version(11);
    req.set(http::field::host, origin.host + ":" + std::to_string(origin.port));
    req.set(http::field::user_agent, options.user_agent);
    for (const auto& [k, v] : request.headers) req.set(k, v);
    req.body() = std::move(request.body);
    req.prepare_payload();
    req.keep_alive(true);

    for (int attempt = 0; attempt < 2; ++attempt) {
      bool reused = connected();
      if (!reused) {
        auto c = co_await connect();
        if (!c) co_return c.error();
      }
      // (No co_await inside ?: — GCC 12 miscompiles that.)
      Result<HttpResponse> result;
      if (secure) {
        result = co_await exchange(*secure, req);
      } else {
        result = co_await exchange(*plain, req);
      }
      if (result.ok()) co_return result;
      reset();
      // A keep-alive connection the server closed meanwhile: retry once on a fresh one.
      if (!reused) co_return result;
    }
    co_return make_error("send_failed", "unreachable");
  }
};

HttpClient::HttpClient(asio::any_io_executor executor, std::string origin,
                       HttpClientOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->executor = std::move(executor);
  auto url = Url::parse(origin);
  if (!url) throw std::invalid_argument(url.error().message);
  impl_->origin = *url;
  impl_->options = std::move(options);
}

HttpClient::~HttpClient() {
  if (impl_) impl_->reset();
}
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

asio::awaitable<Result<HttpResponse>> HttpClient::send(HttpRequest request) {
  auto transcript = impl_->options.transcript;
  if (!transcript) {
    auto res = co_await impl_->send(std::move(request));
    co_return res;
  }
  const auto& party = impl_->options.party;
  const auto seq = transcript->request(party, impl_->origin.origin(), request);
  const auto start = std::chrono::steady_clock::now();
  auto res = co_await impl_->send(std::move(request));
  transcript->response(seq, res,
                       std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - start));
  co_return res;
}

asio::awaitable<Result<HttpResponse>> HttpClient::get(std::string target) {
  HttpRequest r;
  r.method = "GET";
  r.target = std::move(target);
  return send(std::move(r));
}

asio::awaitable<Result<HttpResponse>> HttpClient::post(std::string target, std::string body,
                                                       std::string content_type) {
  HttpRequest r;
  r.method = "POST";
  r.target = std::move(target);
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", std::move(content_type));
  return send(std::move(r));
}

std::optional<crypto::Certificate> HttpClient::peer_certificate() const {
  return impl_->peer;
}

void HttpClient::close() {
  impl_->reset();
}

}  // namespace mdmlab::net
