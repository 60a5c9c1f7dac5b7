#include "server/apple/push/apns_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log/log.hpp"
#include "core/net/http_client.hpp"
#include "core/net/tls_context.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;
constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

ApnsClient::ApnsClient(asio::any_io_executor executor, ApnsClientConfig config,
                       metrics::Registry* metrics)
    : executor_(executor),
      strand_(asio::make_strand(executor)),
      config_(std::move(config)),
      connected_(strand_) {
  if (auto url = net::Url::parse(config_.url)) {
    host_ = url->host;
    port_ = url->port;
  }
  topic_ = config_.certificate.subject_field("UID");
  net::TlsClientConfig tls;
  tls.trusted_roots = config_.trusted_roots;
  tls.client_certificate = config_.certificate;
  tls.client_key = config_.key;
  tls.alpn = {"h2"};
  if (auto ctx = net::make_client_context(tls)) tls_ = *ctx;
  if (metrics) {
    requests_ = &metrics->counter("mdmlab_apns_requests_total",
                                  "APNs answers by HTTP status and reason (0: no answer)",
                                  {"status", "reason"});
    retries_ =
        &metrics->counter("mdmlab_apns_retries_total",
                          "APNs requests retried after 429, 5xx or a transport error", {"cause"});
    latency_ = &metrics->histogram("mdmlab_apns_push_seconds",
                                   "Time from first attempt to APNs' final answer", {});
  }
}

ApnsClient::~ApnsClient() {
  close();
}

void ApnsClient::close() {
  if (connection_) connection_->close();
}

asio::awaitable<Result<std::shared_ptr<net::Http2Connection>>> ApnsClient::connection() {
  auto task = connection_on_strand();
  auto c = co_await asio::co_spawn(strand_, std::move(task), asio::use_awaitable);
  co_return c;
}

// On strand_: one connect at a time; callers arriving meanwhile wait for its outcome.
asio::awaitable<Result<std::shared_ptr<net::Http2Connection>>> ApnsClient::connection_on_strand() {
  while (connecting_) co_await connected_.async_wait(nothrow_awaitable);
  if (connection_ && connection_->is_open()) co_return connection_;
  if (!tls_) co_return make_error("apns_config", "the push certificate or key was rejected");
  if (host_.empty())
    co_return make_error("apns_config", "cannot parse APNs URL '" + config_.url + "'");
  connecting_ = true;
  connected_.expires_at(asio::steady_timer::time_point::max());
  net::Http2Settings settings;
  settings.request_timeout = config_.timeout;
  auto c = co_await net::Http2Connection::connect(executor_, host_, port_, tls_, host_, settings);
  connecting_ = false;
  connected_.cancel();
  if (!c) {
    log::warn("apns", "cannot connect to {}: {}", config_.url, c.error().message);
    co_return c.error();
  }
  connection_ = *c;
  log::info("apns", "connected to {} for topic {}", config_.url, topic_);
  co_return connection_;
}

asio::awaitable<ApnsResult> ApnsClient::send(mdmlab::apple::ApnsPush push) {
  ApnsResult result;
  const auto start = std::chrono::steady_clock::now();
  const std::string authority = host_ + ":" + std::to_string(port_);
  asio::steady_timer backoff(executor_);
  for (int attempt = 1; attempt <= config_.max_attempts; ++attempt) {
    result = {};
    result.attempts = attempt;
    auto conn = co_await connection();
    std::string cause;
    if (!conn) {
      result.reason = conn.error().message;
      cause = "transport";
    } else {
      net::Http2Message request;
      for (auto& h : mdmlab::apple::apns_request_headers(push, authority))
        request.headers.push_back({h.name, h.value});
      request.body = push.payload;
      auto conn_ptr = *conn;
      auto answer = co_await conn_ptr->request(std::move(request));
      if (!answer) {
        result.reason = answer.error().message;
        cause = "transport";
      } else {
        result.status = answer->status();
        result.apns_id = answer->header("apns-id");
        if (result.status != 200) {
          auto body = mdmlab::apple::parse_apns_error_body(answer->body);
          result.reason = body ? body->reason : "unparsable error body";
        }
        if (result.status == 429 || result.status >= 500) cause = std::to_string(result.status);
      }
    }
    if (requests_)
      requests_
          ->with({mdmlab::apple::apns_status_label(result.status),
                  mdmlab::apple::apns_reason_label(result.status, result.reason)})
          .inc();
    if (cause.empty() || attempt == config_.max_attempts) break;
    if (retries_) retries_->with({cause}).inc();
    backoff.expires_after(config_.backoff * (1 << (attempt - 1)));
    co_await backoff.async_wait(nothrow_awaitable);
  }
  if (latency_)
    latency_->get().observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  co_return result;
}

}  // namespace mdmlab::server::apple
