// The simulated Mac's APNs side: token registration, the connection (a long-poll to the APNs
// simulator's device endpoint) and what a push does (checks PushMagic, then polls).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <nlohmann/json.hpp>

#include "protocol/apple/apns.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"

namespace mdmlab::simulators::mac {
namespace asio = boost::asio;
using nlohmann::json;

namespace {
constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);
constexpr int kLongPollMs = 20000;
}  // namespace

asio::awaitable<Result<void>> SimulatedMac::register_push_token(const Bytes& token) {
  auto url = net::Url::parse(knobs_.apns_url);
  if (!url) co_return url.error();
  net::HttpClient apns(executor_, url->origin(), client_options());
  net::HttpRequest req;
  req.method = "PUT";
  req.target = "/device/v1/tokens/" + hex_encode(token);
  req.headers = {{"Content-Type", "application/json"}};
  req.body = json{{"topic", profile_->mdm->topic}}.dump();
  auto res = co_await apns.send(req);
  if (!res) co_return res.error();
  if (res->status != 204)
    co_return make_error("apns_register",
                         "APNs answered " + std::to_string(res->status) + ": " + res->body);
  co_return success();
}

asio::awaitable<Result<void>> SimulatedMac::go_online() {
  struct OnStrand {
    static asio::awaitable<Result<void>> run(SimulatedMac* m) {
      if (m->knobs_.apns_url.empty())
        co_return make_error("no_apns", "this Mac has no APNs simulator");
      if (m->push_token_.empty()) co_return make_error("not_enrolled", "no push token yet");
      if (m->listening_) co_return success();
      m->listening_ = true;
      m->listener_done_ =
          std::make_unique<asio::steady_timer>(m->executor_, asio::steady_timer::time_point::max());
      m->listeners_running_ = 1;
      asio::co_spawn(m->executor_, m->listen(false), asio::detached);
      if (m->user_enrolled_) {
        ++m->listeners_running_;
        asio::co_spawn(m->executor_, m->listen(true), asio::detached);
      }
      co_return success();
    }
  };
  auto task = OnStrand::run(this);
  auto r = co_await asio::co_spawn(executor_, std::move(task), asio::use_awaitable);
  co_return r;
}

asio::awaitable<void> SimulatedMac::go_offline() {
  struct OnStrand {
    static asio::awaitable<void> run(SimulatedMac* m) {
      if (!m->listening_) co_return;
      m->listening_ = false;
      // Tell APNs we are gone; that also ends the long-polls in flight.
      if (auto url = net::Url::parse(m->knobs_.apns_url)) {
        net::HttpClient apns(m->executor_, url->origin(), m->client_options());
        for (const Bytes* token : {&m->push_token_, &m->user_push_token_}) {
          if (token->empty()) continue;
          net::HttpRequest req;
          req.method = "DELETE";
          req.target = "/device/v1/tokens/" + hex_encode(*token) + "/connection";
          auto res = co_await apns.send(req);
          (void)res;
        }
      }
      while (m->listeners_running_ > 0) co_await m->listener_done_->async_wait(nothrow_awaitable);
    }
  };
  auto task = OnStrand::run(this);
  co_await asio::co_spawn(executor_, std::move(task), asio::use_awaitable);
}

asio::awaitable<void> SimulatedMac::listen(bool user) {
  const Bytes token = user ? user_push_token_ : push_token_;
  const std::string magic = user ? user_push_magic_ : push_magic_;
  auto url = net::Url::parse(knobs_.apns_url);
  net::HttpClientOptions options = client_options();
  options.timeout = std::chrono::seconds(kLongPollMs / 1000 + 10);
  net::HttpClient apns(executor_, url ? url->origin() : std::string("http://127.0.0.1:1"), options);
  const std::string target = "/device/v1/tokens/" + hex_encode(token) +
                             "/notifications?wait_ms=" + std::to_string(kLongPollMs);
  asio::steady_timer pause(executor_);
  while (listening_) {
    auto res = co_await apns.get(target);
    if (!listening_) break;
    if (!res || res->status != 200) {  // APNs unreachable: try again shortly, as devices do
      pause.expires_after(std::chrono::milliseconds(200));
      co_await pause.async_wait(nothrow_awaitable);
      continue;
    }
    auto body = json::parse(res->body, nullptr, false);
    if (body.is_discarded() || !body.contains("notifications") || !body["notifications"].is_array())
      continue;
    bool wake = false;
    for (const auto& n : body["notifications"]) {
      auto said = apple::push_magic_of(n.value("payload", std::string()));
      if (said && *said == magic) {
        push_counts_.received++;
        wake = true;
        if (knobs_.conformance) knobs_.conformance->checked("apple.push.magic");
      } else {
        push_counts_.ignored++;
        // Our token, another magic (or none): a stale magic, or a push meant for someone else.
        if (knobs_.conformance)
          knobs_.conformance->violated("apple.push.magic", identity_.device_name,
                                       said ? "a push carried another PushMagic than the "
                                              "latest TokenUpdate's"
                                            : "a push to our token has no mdm key");
      }
    }
    if (!wake || state_ != MacState::enrolled) continue;
    auto guard = co_await gate_.lock();
    auto polled = co_await poll_locked(user);
    if (!polled) push_counts_.polls_failed++;
  }
  if (--listeners_running_ == 0) listener_done_->cancel();
}

}  // namespace mdmlab::simulators::mac
