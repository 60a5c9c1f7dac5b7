#include "server/apple/webhook/webhook_sender.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <deque>

#include "core/log/log.hpp"
#include "core/net/http_client.hpp"
#include "crypto/digest.hpp"
#include "protocol/apple/webhook_event.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;

struct WebhookSender::State : std::enable_shared_from_this<State> {
  State(asio::any_io_executor executor, WebhookConfig c, net::Url u, metrics::Registry* registry)
      : strand(asio::make_strand(executor)),
        config(std::move(c)),
        url(std::move(u)),
        events(registry ? &registry->counter("mdmlab_webhook_events_total",
                                             "Webhook events by topic and outcome (sent, "
                                             "failed, dropped)",
                                             {"topic", "outcome"})
                        : nullptr) {
    net::HttpClientOptions options;
    options.timeout = config.timeout;
    options.user_agent = "mdmlab-webhook/0.1";
    client = std::make_unique<net::HttpClient>(strand, url.origin(), options);
  }

  void count(const std::string& topic, const char* outcome) {
    if (events) events->with({topic, outcome}).inc();
  }

  // On the strand: one coroutine sends the queue in order until it is empty.
  asio::awaitable<void> drain() {
    while (!queue.empty() && !stopped) {
      auto [topic, body] = std::move(queue.front());
      queue.pop_front();
      net::HttpRequest req;
      req.method = "POST";
      req.target = url.target;
      req.headers.emplace_back("Content-Type", mdmlab::apple::kWebhookContentType);
      if (!config.hmac_secret.empty())
        req.headers.emplace_back(mdmlab::apple::kWebhookHmacHeader,
                                 base64_encode(crypto::hmac_sha256(config.hmac_secret, body)));
      req.body = std::move(body);
      auto res = co_await client->send(std::move(req));
      const bool ok = res && res->status >= 200 && res->status < 300;
      count(topic, ok ? "sent" : "failed");
      if (!ok)
        log::warn("webhook", "event {} not delivered: {}", topic,
                  res ? "HTTP " + std::to_string(res->status) : res.error().message);
    }
    draining = false;
  }

  asio::strand<asio::any_io_executor> strand;
  WebhookConfig config;
  net::Url url;
  metrics::Family<metrics::Counter>* events;
  std::unique_ptr<net::HttpClient> client;
  std::deque<std::pair<std::string, std::string>> queue;  // (topic, body)
  bool draining = false, stopped = false;
};

Result<std::unique_ptr<WebhookSender>> WebhookSender::create(asio::any_io_executor executor,
                                                             WebhookConfig config,
                                                             metrics::Registry* registry) {
  auto url = net::Url::parse(config.url);
  if (!url) return make_error("bad_config", "webhook URL: " + url.error().message);
  auto state = std::make_shared<State>(executor, std::move(config), *url, registry);
  return std::unique_ptr<WebhookSender>(new WebhookSender(std::move(state)));
}

WebhookSender::WebhookSender(std::shared_ptr<State> state) : state_(std::move(state)) {}

WebhookSender::~WebhookSender() {
  stop();
}

void WebhookSender::post(std::string topic, std::string body) {
  asio::post(state_->strand,
             [s = state_, topic = std::move(topic), body = std::move(body)]() mutable {
               if (s->stopped || s->queue.size() >= s->config.queue_limit) {
                 s->count(topic, "dropped");
                 return;
               }
               s->queue.emplace_back(std::move(topic), std::move(body));
               if (s->draining) return;
               s->draining = true;
               asio::co_spawn(
                   s->strand, [s]() { return s->drain(); }, asio::detached);
             });
}

void WebhookSender::stop() {
  asio::post(state_->strand, [s = state_] {
    s->stopped = true;
    for (const auto& [topic, body] : s->queue) s->count(topic, "dropped");
    s->queue.clear();
    s->client->close();
  });
}

}  // namespace mdmlab::server::apple
