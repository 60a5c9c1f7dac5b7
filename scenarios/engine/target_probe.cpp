#include "scenarios/engine/target_probe.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "core/net/http_client.hpp"
#include "core/net/io_runtime.hpp"

namespace mdmlab::scenarios {
namespace asio = boost::asio;

namespace {
asio::awaitable<Result<void>> get_ok(std::string url, std::string bearer) {
  auto parsed = net::Url::parse(url);
  if (!parsed) co_return parsed.error();
  // Named locals: GCC 12 mishandles temporaries in an expression that also co_awaits.
  auto executor = co_await asio::this_coro::executor;
  net::HttpClientOptions options;
  net::HttpClient http(executor, parsed->origin(), options);
  net::HttpRequest req;
  req.method = "GET";
  req.target = parsed->target;
  if (!bearer.empty()) req.headers.emplace_back("Authorization", "Bearer " + bearer);
  auto res = co_await http.send(req);
  if (!res) co_return make_error("target_unreachable", url + ": " + res.error().message);
  if (res->status != 200)
    co_return make_error("target_refused", "GET " + url + " answered " +
                                               std::to_string(res->status) +
                                               (res->status == 401 ? " (check admin_token)" : ""));
  co_return success();
}

asio::awaitable<Result<void>> probe(TargetConfig target, std::chrono::milliseconds timeout) {
  using namespace asio::experimental::awaitable_operators;
  const auto& e = target.endpoints;
  std::vector<std::pair<std::string, std::string>> checks = {{e.profile_url, ""}};
  if (!e.admin_url.empty() && !e.admin_token.empty())
    checks.emplace_back(e.admin_url + "/admin/v1/apple/devices", e.admin_token);
  for (const auto& [url, bearer] : checks) {
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor, timeout);
    auto get = get_ok(url, bearer);
    auto wait = timer.async_wait(asio::use_awaitable);
    auto first = co_await (std::move(get) || std::move(wait));
    if (first.index() == 1)
      co_return make_error("target_unreachable",
                           url + ": no answer within " + std::to_string(timeout.count()) + "ms");
    if (auto r = std::get<0>(first); !r) co_return r;
  }
  co_return success();
}
}  // namespace

Result<void> probe_target(const TargetConfig& target, std::chrono::milliseconds timeout) {
  net::IoRuntime io(1);
  auto r = asio::co_spawn(io.executor(), probe(target, timeout), asio::use_future).get();
  io.stop();
  return r;
}

}  // namespace mdmlab::scenarios
