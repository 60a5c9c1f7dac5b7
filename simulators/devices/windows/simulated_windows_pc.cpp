#include "simulators/devices/windows/simulated_windows_pc.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>

#include "crypto/random.hpp"
#include "protocol/windows/syncml.hpp"

namespace mdmlab::simulators::windows_pc {
namespace asio = boost::asio;
namespace syncml = mdmlab::windows::syncml;

namespace {
constexpr std::size_t kKeptCommands = 1000;
constexpr const char* kDmUserAgent = "MSFT OMA DM Client/1.2.0.1";

// Ms-Cv: a correlation vector, 16 random bytes in base64 (22 characters) and a counter.
std::string correlation_vector() {
  auto base = base64_encode(crypto::random_bytes(16));
  return base.substr(0, 22) + ".0";
}
}  // namespace

std::string_view to_string(WindowsState s) {
  switch (s) {
    case WindowsState::unenrolled:
      return "unenrolled";
    case WindowsState::enrolled:
      return "enrolled";
    case WindowsState::failed:
      return "failed";
  }
  return "unknown";
}

SimulatedWindowsPc::SimulatedWindowsPc(asio::any_io_executor executor, WindowsIdentity identity,
                                       WindowsKnobs knobs, crypto::PrivateKey key)
    : executor_(asio::make_strand(executor)),
      gate_(executor_),
      identity_(std::move(identity)),
      knobs_(std::move(knobs)),
      key_(std::move(key)),
      csp_(CspTree::for_device(identity_)) {
  if (knobs_.transcript) {
    if (!identity_.enrollment_secret.empty())
      knobs_.transcript->add_secret(identity_.enrollment_secret);
    if (!identity_.federated_token.empty())
      knobs_.transcript->add_secret(identity_.federated_token);
  }
}

SimulatedWindowsPc::~SimulatedWindowsPc() = default;

void SimulatedWindowsPc::set_enrollment_secret(std::string secret) {
  if (knobs_.transcript && !secret.empty()) knobs_.transcript->add_secret(secret);
  identity_.enrollment_secret = std::move(secret);
}

void SimulatedWindowsPc::set_federated_token(std::string token) {
  if (knobs_.transcript && !token.empty()) knobs_.transcript->add_secret(token);
  identity_.federated_token = std::move(token);
}

// Runs `op` on the PC's strand, holding the gate: one exchange with the server at a time.
template <typename T>
asio::awaitable<T> SimulatedWindowsPc::exclusive(asio::awaitable<T> op) {
  struct OnStrand {
    static asio::awaitable<T> run(SimulatedWindowsPc* pc, asio::awaitable<T> op) {
      auto guard = co_await pc->gate_.lock();
      auto r = co_await std::move(op);
      co_return r;
    }
  };
  auto task = OnStrand::run(this, std::move(op));
  auto r = co_await asio::co_spawn(executor_, std::move(task), asio::use_awaitable);
  co_return r;
}

net::HttpClientOptions SimulatedWindowsPc::client_options() const {
  net::HttpClientOptions o;
  o.transcript = knobs_.transcript;
  o.party = knobs_.party.empty() ? identity_.device_name : knobs_.party;
  o.timeout = knobs_.timeout;
  return o;
}

Result<void> SimulatedWindowsPc::fail(Error e) {
  state_ = WindowsState::failed;
  last_error_ = e.code + ": " + e.message;
  return e;
}

Result<int> SimulatedWindowsPc::session_failed(Error e) {
  last_error_ = e.code + ": " + e.message;
  return e;
}

std::vector<ReceivedCommand> SimulatedWindowsPc::received_commands() const {
  std::lock_guard lock(received_mutex_);
  return {received_.begin(), received_.end()};
}

asio::awaitable<Result<void>> SimulatedWindowsPc::enroll(std::string discovery_url) {
  auto op = enroll_locked(std::move(discovery_url));
  auto r = co_await exclusive(std::move(op));
  co_return r;
}

// The agent's enrollment (simulated_windows_pc_agent.cpp) runs exclusively too.
template asio::awaitable<Result<std::string>> SimulatedWindowsPc::exclusive(
    asio::awaitable<Result<std::string>> op);

asio::awaitable<Result<int>> SimulatedWindowsPc::sync() {
  auto op = sync_locked();
  auto r = co_await exclusive(std::move(op));
  co_return r;
}

asio::awaitable<Result<net::HttpResponse>> SimulatedWindowsPc::post_management(std::string body) {
  net::HttpRequest req;
  req.method = "POST";
  req.target = management_target_;
  req.headers.emplace_back("Content-Type", syncml::kContentType);
  req.headers.emplace_back("User-Agent", kDmUserAgent);
  req.headers.emplace_back("Client-Request-Id", crypto::random_uuid());
  req.headers.emplace_back("Ms-Cv", correlation_vector());
  req.body = std::move(body);
  auto sending = management_->send(std::move(req));
  auto res = co_await std::move(sending);
  co_return res;
}

asio::awaitable<Result<void>> SimulatedWindowsPc::unenroll(bool forget) {
  auto op = [this, forget]() -> asio::awaitable<Result<void>> {
    auto session = sync_locked(true);
    auto r = co_await std::move(session);
    if (!r) co_return r.error();
    if (forget) {
      state_ = WindowsState::unenrolled;
      management_.reset();
      certificate_ = crypto::Certificate{};
      management_url_.clear();
    }
    co_return success();
  };
  auto running = op();  // named: GCC 12 and temporaries across co_await
  auto r = co_await exclusive(std::move(running));
  co_return r;
}

asio::awaitable<Result<int>> SimulatedWindowsPc::sync_locked(bool unenroll) {
  if (state_ != WindowsState::enrolled || !management_)
    co_return session_failed(make_error("not_enrolled", "the PC has not enrolled"));
  for (const auto& [path, code] : knobs_.fail_paths) csp_.fail(path, code);
  char session_id[16];
  std::snprintf(session_id, sizeof session_id, "%X", ++session_counter_);
  DmSession session(csp_, session_id, identity_.device_id, management_url_);
  session.set_max_msg_size(knobs_.max_msg_size);
  const std::string login_status = identity_.upn ? "user" : "others";
  auto message = unenroll ? session.unenroll_opening(login_status) : session.opening(login_status);
  std::size_t recorded = 0;
  bool done = false;
  for (int sent = 0; sent < knobs_.max_messages && !done; ++sent) {
    auto body = syncml::serialize(message);
    if (!body) co_return session_failed(body.error());
    auto posting = post_management(std::move(*body));
    auto res = co_await std::move(posting);
    if (!res) co_return session_failed(res.error());
    if (res->status != 200)
      co_return session_failed(make_error(
          "windows_session_http",
          "the management server answered message " + std::to_string(session.msg_id()) +
              " with HTTP " + std::to_string(res->status) + ": " + res->body.substr(0, 200)));
    if (knobs_.max_msg_size > 0 && static_cast<long long>(res->body.size()) > knobs_.max_msg_size)
      co_return session_failed(
          make_error("windows_message_too_large",
                     "the server's message of " + std::to_string(res->body.size()) +
                         " bytes is over our MaxMsgSize " + std::to_string(knobs_.max_msg_size)));
    if (res->body.empty()) {  // an empty 200 ends the session
      done = true;
      break;
    }
    auto server = syncml::parse(res->body);
    if (!server) co_return session_failed(make_error("windows_bad_syncml", server.error().message));
    const auto header_status = session.header_status(*server);
    if (!header_status.empty() && !dm_status::success(std::atoi(header_status.c_str())))
      co_return session_failed(
          make_error("windows_session_refused", "the server answered our SyncHdr (MsgID " +
                                                    std::to_string(session.msg_id()) + ") with " +
                                                    header_status));
    if (server->header.session_id != session.session_id())
      warnings_.push_back("session " + session.session_id() +
                          ": the server answered with SessionID " + server->header.session_id);
    if (DmSession::finished(*server)) {
      done = true;
      break;
    }
    message = session.answer(*server);
    {
      std::lock_guard lock(received_mutex_);
      const auto& all = session.received();
      for (auto i = recorded; i < all.size(); ++i) received_.push_back(all[i]);
      while (received_.size() > kKeptCommands) received_.pop_front();
      recorded = all.size();
    }
  }
  if (!done)
    co_return session_failed(make_error("windows_session_too_long",
                                        "the server still had commands after " +
                                            std::to_string(knobs_.max_messages) + " messages"));
  ++sessions_;
  co_return static_cast<int>(recorded);
}

}  // namespace mdmlab::simulators::windows_pc
