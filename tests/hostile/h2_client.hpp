// One HTTP/2 request over a fresh TLS connection (ALPN h2, optional client certificate), with
// whatever headers the caller gives: duplicates, missing pseudo-headers, any method or path.
// The answer or what went wrong (refused handshake, reset stream, closed connection, timeout).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "crypto/certificate.hpp"
#include "crypto/key.hpp"

namespace mdmlab::testing::hostile {

struct H2Answer {
  int status = -1;  // -1: no HTTP/2 answer
  std::string content_type, body;
  std::string error_code;  // "tls_handshake", "http2_stream_reset", "http2_closed", "timeout", ...
  std::string error;
};

// Trusts `roots`; presents `certificate`/`key` if given.
Result<std::shared_ptr<boost::asio::ssl::context>> h2_tls_context(
    const std::vector<crypto::Certificate>& roots,
    const std::optional<crypto::Certificate>& certificate, const crypto::PrivateKey& key);

boost::asio::awaitable<H2Answer> h2_exchange(
    boost::asio::any_io_executor executor, std::string host, unsigned short port,
    std::shared_ptr<boost::asio::ssl::context> tls,
    std::vector<std::pair<std::string, std::string>> headers, std::string body,
    std::chrono::milliseconds timeout);

}  // namespace mdmlab::testing::hostile
