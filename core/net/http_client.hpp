// HTTP/1.1 client (Boost.Beast, coroutines) with optional TLS and client certificates.
// One connection, reused while the server keeps it alive; one request at a time per client.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/net/http_message.hpp"
#include "core/net/tls_config.hpp"
#include "core/net/transcript.hpp"

namespace mdmlab::net {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;
  unsigned short port = 0;
  std::string target;  // path + query, at least "/"
  static Result<Url> parse(std::string_view text);
  std::string origin() const;  // scheme://host:port
};

struct HttpClientOptions {
  std::optional<TlsClientConfig> tls;  // used for https URLs (defaults apply when absent)
  std::chrono::seconds timeout{30};
  std::size_t body_limit = 64 * 1024 * 1024;
  std::string user_agent = "mdmlab/0.1";
  // When set, every request and answer is written there under `party` (no secrets).
  std::shared_ptr<Transcript> transcript;
  std::string party;
};

class HttpClient {
 public:
  // `origin` is scheme://host:port; request targets are paths on it.
  HttpClient(boost::asio::any_io_executor executor, std::string origin,
             HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // Sends `request` (target relative to the origin). Transport failures are Errors; any HTTP
  // status is a response. A stale keep-alive connection is reopened once.
  boost::asio::awaitable<Result<HttpResponse>> send(HttpRequest request);
  boost::asio::awaitable<Result<HttpResponse>> get(std::string target);
  boost::asio::awaitable<Result<HttpResponse>> post(std::string target, std::string body,
                                                    std::string content_type);
  // The server's certificate from the current TLS connection (after a request).
  std::optional<crypto::Certificate> peer_certificate() const;
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mdmlab::net
