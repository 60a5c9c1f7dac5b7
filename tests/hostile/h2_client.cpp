#include "tests/hostile/h2_client.hpp"

#include "core/net/http2_connection.hpp"
#include "core/net/tls_context.hpp"

namespace mdmlab::testing::hostile {
namespace asio = boost::asio;

Result<std::shared_ptr<asio::ssl::context>> h2_tls_context(
    const std::vector<crypto::Certificate>& roots,
    const std::optional<crypto::Certificate>& certificate, const crypto::PrivateKey& key) {
  net::TlsClientConfig tls;
  tls.trusted_roots = roots;
  tls.client_certificate = certificate;
  if (certificate) tls.client_key = key;
  tls.alpn = {"h2"};
  return net::make_client_context(tls);
}

asio::awaitable<H2Answer> h2_exchange(asio::any_io_executor executor, std::string host,
                                      unsigned short port, std::shared_ptr<asio::ssl::context> tls,
                                      std::vector<std::pair<std::string, std::string>> headers,
                                      std::string body, std::chrono::milliseconds timeout) {
  H2Answer out;
  net::Http2Settings settings;
  settings.request_timeout = timeout;
  auto connected =
      co_await net::Http2Connection::connect(executor, host, port, tls, host, settings);
  if (!connected) {
    out.error_code = connected.error().code;
    out.error = connected.error().message;
    co_return out;
  }
  auto conn = *connected;
  net::Http2Message request;
  for (auto& [name, value] : headers) request.headers.push_back({name, value});
  request.body = std::move(body);
  auto answer = co_await conn->request(std::move(request));
  conn->close();
  if (!answer) {
    out.error_code = answer.error().code;
    out.error = answer.error().message;
    co_return out;
  }
  out.status = answer->status();
  out.content_type = answer->header("content-type");
  out.body = answer->body;
  co_return out;
}

}  // namespace mdmlab::testing::hostile
