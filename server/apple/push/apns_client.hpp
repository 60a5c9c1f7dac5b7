// An APNs provider client over HTTP/2: one TLS connection (ALPN h2, the push certificate as
// client certificate) shared by all pushes, many concurrent streams within the server's
// MAX_CONCURRENT_STREAMS (nghttp2 queues the rest). 429 and 5xx back off and retry; other
// answers are final. Reconnects when the connection is gone.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/metrics/registry.hpp"
#include "core/net/http2_connection.hpp"
#include "crypto/key.hpp"
#include "protocol/apple/apns.hpp"

namespace mdmlab::server::apple {

struct ApnsClientConfig {
  std::string url = "https://api.push.apple.com";  // or the simulator's push URL
  crypto::Certificate certificate;                 // the MDM push certificate (UID = topic)
  crypto::PrivateKey key;
  std::vector<crypto::Certificate> trusted_roots;  // empty: the system store
  int max_attempts = 4;                            // for 429 / 5xx / transport errors
  std::chrono::milliseconds backoff{100};          // doubled on each retry
  std::chrono::milliseconds timeout{10000};        // per attempt
};

struct ApnsResult {
  int status = 0;  // 0: no HTTP answer (transport error)
  std::string reason;
  std::string apns_id;
  int attempts = 0;
  bool delivered() const { return status == 200; }
};

class ApnsClient {
 public:
  ApnsClient(boost::asio::any_io_executor executor, ApnsClientConfig config,
             metrics::Registry* metrics);
  ~ApnsClient();
  const std::string& topic() const { return topic_; }  // from the certificate's UID
  boost::asio::awaitable<ApnsResult> send(mdmlab::apple::ApnsPush push);
  void close();

 private:
  boost::asio::awaitable<Result<std::shared_ptr<net::Http2Connection>>> connection();
  boost::asio::awaitable<Result<std::shared_ptr<net::Http2Connection>>> connection_on_strand();

  boost::asio::any_io_executor executor_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  ApnsClientConfig config_;
  std::string host_, topic_;
  unsigned short port_ = 443;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::shared_ptr<net::Http2Connection> connection_;
  bool connecting_ = false;
  boost::asio::steady_timer connected_;  // cancelled when a connect attempt ends
  metrics::Family<metrics::Counter>* requests_ = nullptr;
  metrics::Family<metrics::Counter>* retries_ = nullptr;
  metrics::Family<metrics::Histogram>* latency_ = nullptr;
};

}  // namespace mdmlab::server::apple
