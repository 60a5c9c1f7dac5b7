// 1,000 concurrent TLS keep-alive connections to one server: every connection stays open while
// each sends 3 requests interleaved with the others, every answer is checked, and the process's
// thread count never grows past the two I/O pools.
#include <boost/test/unit_test.hpp>

#include <boost/asio/steady_timer.hpp>

#include <atomic>

#include "core/net/http_client.hpp"
#include "core/net/http_server.hpp"
#include "tests/crypto/fixtures.hpp"
#include "tests/support/async.hpp"

using namespace mdmlab;
using namespace mdmlab::net;
namespace asio = boost::asio;

BOOST_AUTO_TEST_SUITE(connections)

BOOST_AUTO_TEST_CASE(thousand_concurrent_tls_keep_alive_connections) {
  constexpr int kConnections = 1000;
  constexpr int kRounds = 3;
  auto limit = raise_fd_limit();
  BOOST_REQUIRE_MESSAGE(limit >= 2 * kConnections + 100,
                        "RLIMIT_NOFILE hard limit too low: " << limit);

  const auto& ca = testing::test_ca();
  crypto::IssueOptions server_opts;
  server_opts.extended_key_usage = {crypto::ExtendedKeyUsage::server_auth};
  server_opts.ip_addresses = {"127.0.0.1"};
  auto key = crypto::PrivateKey::generate_ec_p256().value();
  auto name = crypto::make_x509_name({{"CN", "127.0.0.1"}}).value();
  auto cert = ca.issue(key.get(), name.get(), server_opts, testing::now()).value();

  const unsigned threads_before = process_thread_count();
  IoRuntime server_io(2);
  IoRuntime client_io(2);
  const unsigned expected_threads =
      threads_before + server_io.thread_count() + client_io.thread_count();

  Router router;
  router.add("GET", "/echo", [](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(
        200, req.query_param("c").value_or("") + "/" + req.query_param("r").value_or(""));
  });
  HttpServerOptions opts;
  opts.tls = TlsServerConfig{};
  opts.tls->certificate = cert;
  opts.tls->key = key;
  HttpServer server(server_io, std::move(router), opts);
  BOOST_REQUIRE(server.start().ok());

  HttpClientOptions client_opts;
  client_opts.tls = TlsClientConfig{};
  client_opts.tls->trusted_roots = {ca.certificate()};

  std::atomic<int> arrived[kRounds] = {};
  std::atomic<int> good_answers{0}, bad_answers{0};
  std::atomic<unsigned> max_threads{0};
  std::atomic<std::size_t> max_open{0};

  // Each round waits until every connection has finished the previous one, so requests from
  // all 1,000 connections interleave while all of them stay open.
  auto wait_for_round = [&](int round) -> asio::awaitable<bool> {
    // The executor first: GCC 12 mishandles temporaries in a co_await expression.
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (arrived[round].load() < kConnections) {
      if (std::chrono::steady_clock::now() > deadline) co_return false;
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(asio::use_awaitable);
    }
    co_return true;
  };

  auto one_connection = [&](int id) -> asio::awaitable<void> {
    // The executor first: GCC 12 mishandles temporaries in a co_await expression.
    auto executor = co_await asio::this_coro::executor;
    HttpClient client(executor, server.base_url(), client_opts);
    for (int round = 0; round < kRounds; ++round) {
      std::string target = "/echo?c=" + std::to_string(id) + "&r=" + std::to_string(round);
      auto res = co_await client.get(target);
      if (res && res->status == 200 &&
          res->body == std::to_string(id) + "/" + std::to_string(round)) {
        ++good_answers;
      } else {
        ++bad_answers;
      }
      ++arrived[round];
      auto open = server.open_connections();
      if (open > max_open) max_open = open;
      auto t = process_thread_count();
      if (t > max_threads) max_threads = t;
      bool all_there = co_await wait_for_round(round);
      if (!all_there) co_return;
    }
  };

  std::vector<std::future<void>> done;
  done.reserve(kConnections);
  for (int i = 0; i < kConnections; ++i)
    done.push_back(asio::co_spawn(client_io.executor(), one_connection(i), asio::use_future));
  for (auto& f : done) f.get();

  BOOST_TEST(good_answers.load() == kConnections * kRounds);
  BOOST_TEST(bad_answers.load() == 0);
  BOOST_TEST(max_open.load() == static_cast<std::size_t>(kConnections));
  BOOST_TEST(max_threads.load() == expected_threads);
  BOOST_TEST(process_thread_count() == expected_threads);
  server.stop();
  BOOST_TEST(server.open_connections() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
