#include "server/apple/push/apns_pusher.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log/log.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;

namespace {
metrics::Family<metrics::Counter>* push_family(metrics::Registry* m) {
  if (!m) return nullptr;
  return &m->counter("mdmlab_apns_pushes_total",
                     "Pushes by outcome: ok, invalid (token dead), error (configuration or retries "
                     "exhausted), skipped",
                     {"outcome", "reason"});
}
}  // namespace

ApnsPusher::ApnsPusher(store::EnrollmentStore& enrollments, store::PushStatusStore& status,
                       std::unique_ptr<ApnsClient> client, std::shared_ptr<Clock> clock,
                       metrics::Registry* metrics)
    : enrollments_(enrollments),
      status_(status),
      client_(std::move(client)),
      clock_(std::move(clock)),
      pushes_(push_family(metrics)) {}

asio::awaitable<PushOutcome> ApnsPusher::push_one(std::string udid) {
  PushOutcome out{udid, "skipped", ""};
  std::string label;  // the metric's reason: a fixed set, never remote text
  auto found = co_await enrollments_.find_enrollment(udid);
  if (!found) {
    // Not pushed: the store could not say where to (logged and counted there).
    out.status = "error";
    out.detail = "store unavailable";
    label = "store_unavailable";
    if (pushes_) pushes_->with({out.status, label}).inc();
    co_return out;
  }
  const auto& e = *found;
  if (!e) {
    out.detail = "unknown device";
    label = "unknown_device";
  } else if (!e->enabled) {
    out.detail = "not enabled (no TokenUpdate since Authenticate, or checked out)";
    label = "not_enabled";
  } else if (e->push_token.empty()) {
    out.detail = "no push token";
    label = "no_push_token";
  } else if (e->push_status == "invalid") {
    out.detail = "token invalid: " + e->push_error;
    label = "token_invalid";
  } else {
    mdmlab::apple::ApnsPush p;
    p.token_hex = hex_encode(e->push_token);
    p.topic = e->topic;
    p.payload = mdmlab::apple::mdm_push_payload(e->push_magic);
    auto r = co_await client_->send(p);
    out.detail = r.reason;
    label = mdmlab::apple::apns_reason_label(r.status, r.reason);
    if (r.delivered()) {
      out.status = "ok";
    } else if (mdmlab::apple::apns_invalidates_token(r.status, r.reason)) {
      out.status = "invalid";
      log::info("apns", "token of {} is invalid: {} {}", udid, r.status, r.reason);
    } else {
      out.status = "error";
      if (r.status >= 400 && r.status < 500 && r.status != 429)
        log::warn("apns", "push to {} refused, a configuration error: {} {}", udid, r.status,
                  r.reason);
      else
        log::warn("apns", "push to {} failed after {} attempts: {} {}", udid, r.attempts, r.status,
                  r.reason);
    }
    std::string detail =
        out.status == "ok" ? std::string() : std::to_string(r.status) + " " + r.reason;
    const auto now = clock_->now();
    // APNs' verdict stands even if it cannot be recorded (the store logged and counted that);
    // an unrecorded "invalid" only means the next push tries the dead token once more.
    auto recorded = co_await status_.record_push(udid, out.status, detail, now);
    if (!recorded) log::warn("apns", "push outcome for {} not recorded", udid);
  }
  if (pushes_) pushes_->with({out.status, label}).inc();
  co_return out;
}

asio::awaitable<std::vector<PushOutcome>> ApnsPusher::push(std::vector<std::string> udids) {
  // Every device concurrently (the HTTP/2 connection multiplexes them); the gathering runs on
  // a strand so completions from the pool's threads are counted one at a time.
  auto ex = co_await asio::this_coro::executor;
  auto strand = asio::make_strand(ex);
  auto task = gather(ex, std::move(udids));
  auto out = co_await asio::co_spawn(strand, std::move(task), asio::use_awaitable);
  co_return out;
}

asio::awaitable<std::vector<PushOutcome>> ApnsPusher::gather(asio::any_io_executor pool,
                                                             std::vector<std::string> udids) {
  struct Gather {
    std::vector<PushOutcome> outcomes;
    std::size_t left = 0;
    std::optional<asio::steady_timer> done;
  };
  auto strand = co_await asio::this_coro::executor;
  auto g = std::make_shared<Gather>();
  g->outcomes.resize(udids.size());
  g->left = udids.size();
  g->done.emplace(strand, asio::steady_timer::time_point::max());
  if (udids.empty()) co_return g->outcomes;
  for (std::size_t i = 0; i < udids.size(); ++i) {
    asio::co_spawn(pool, push_one(udids[i]), [g, strand, i](std::exception_ptr, PushOutcome o) {
      asio::post(strand, [g, i, o = std::move(o)]() mutable {
        g->outcomes[i] = std::move(o);
        if (--g->left == 0) g->done->cancel();
      });
    });
  }
  while (g->left > 0) co_await g->done->async_wait(asio::as_tuple(asio::use_awaitable));
  co_return g->outcomes;
}

NoPusher::NoPusher(metrics::Registry* metrics) : pushes_(push_family(metrics)) {}

asio::awaitable<std::vector<PushOutcome>> NoPusher::push(std::vector<std::string> udids) {
  std::vector<PushOutcome> out;
  for (auto& u : udids) out.push_back({u, "skipped", "APNs is not configured"});
  if (pushes_)
    pushes_->with({"skipped", "APNs is not configured"}).inc(static_cast<double>(udids.size()));
  co_return out;
}

}  // namespace mdmlab::server::apple
