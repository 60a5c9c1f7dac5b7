// Transport-neutral HTTP request/response values, so handlers and simulators never see Beast.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/certificate.hpp"

namespace mdmlab::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; empty string if absent.
std::string find_header(const Headers& headers, std::string_view name);

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";  // path + optional "?query", as sent
  Headers headers;
  std::string body;
  // Set by the server: the TLS client certificate (mTLS) and the peer address.
  std::optional<crypto::Certificate> client_certificate;
  std::string remote_address;

  std::string path() const;   // target without the query, percent-decoded
  std::string query() const;  // raw query string, without '?'
  // A query parameter, percent-decoded ('+' is kept as '+', as SCEP base64 needs).
  std::optional<std::string> query_param(std::string_view name) const;
  std::string header(std::string_view name) const { return find_header(headers, name); }
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;

  std::string header(std::string_view name) const { return find_header(headers, name); }
  HttpResponse& set_header(std::string name, std::string value);

  static HttpResponse text(int status, std::string body,
                           std::string content_type = "text/plain; charset=utf-8");
  static HttpResponse json(int status, std::string body);
  static HttpResponse binary(int status, std::string body, std::string content_type);
};

using HttpHandler = std::function<boost::asio::awaitable<HttpResponse>(const HttpRequest&)>;

// RFC 3986 percent-decoding; std::nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view s);
std::string percent_encode(std::string_view s);
std::string_view reason_phrase(int status);

}  // namespace mdmlab::net
