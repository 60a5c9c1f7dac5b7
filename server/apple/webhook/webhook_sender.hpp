// Sends webhook events (JSON bodies) to one URL, in the order they were posted, one request at
// a time on a kept-alive connection, without ever making a device wait: post() queues and
// returns. A receiver that is down or slow costs events (counted as failed, or dropped once the
// queue is full), never check-ins. With a secret, each body's HMAC-SHA256 goes in
// X-Hmac-Signature (base64), as NanoMDM does.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "core/metrics/registry.hpp"

namespace mdmlab::server::apple {

struct WebhookConfig {
  std::string url;          // http(s)://host:port/path
  std::string hmac_secret;  // empty: no X-Hmac-Signature
  std::size_t queue_limit = 10000;
  std::chrono::seconds timeout{10};
};

class WebhookSender {
 public:
  // Fails on a URL that is not http(s)://host[:port]/path. `registry` may be null; otherwise
  // mdmlab_webhook_events_total{topic,outcome} counts sent, failed (transport error or
  // non-2xx answer) and dropped (queue full, or posted after stop) events.
  static Result<std::unique_ptr<WebhookSender>> create(boost::asio::any_io_executor executor,
                                                       WebhookConfig config,
                                                       metrics::Registry* registry);
  ~WebhookSender();

  // Thread-safe; returns at once.
  void post(std::string topic, std::string body);
  // Events not yet sent are dropped; the connection closes.
  void stop();

 private:
  struct State;
  explicit WebhookSender(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace mdmlab::server::apple
