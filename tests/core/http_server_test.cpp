#include <boost/test/unit_test.hpp>

#include <boost/asio/steady_timer.hpp>

#include "core/net/http_client.hpp"
#include "core/net/http_server.hpp"
#include "tests/crypto/fixtures.hpp"
#include "tests/support/async.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using namespace mdmlab::net;
namespace asio = boost::asio;

namespace {
Router echo_router() {
  Router r;
  r.add("GET", "/hello", [](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(200, "hello " + req.query_param("name").value_or("world"));
  });
  r.add("POST", "/echo", [](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::binary(200, req.body, req.header("Content-Type"));
  });
  r.add("GET", "/whoami", [](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(
        200, req.client_certificate ? req.client_certificate->common_name() : "anonymous");
  });
  r.add("GET", "/throws", [](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    throw std::runtime_error("boom");
    co_return HttpResponse{};
  });
  r.add("GET", "/files/*", [](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(200, req.path());
  });
  return r;
}

struct TlsMaterial {
  const crypto::CertificateAuthority& ca = testing::test_ca();
  crypto::Certificate server_cert;
  crypto::Certificate client_cert;
  TlsMaterial() {
    crypto::IssueOptions server_opts;
    server_opts.extended_key_usage = {crypto::ExtendedKeyUsage::server_auth};
    server_opts.ip_addresses = {"127.0.0.1"};
    server_opts.dns_names = {"localhost"};
    auto name = crypto::make_x509_name({{"CN", "localhost"}}).value();
    server_cert =
        ca.issue(testing::test_key(1).get(), name.get(), server_opts, testing::now()).value();
    auto client_name = crypto::make_x509_name({{"CN", "device-42"}}).value();
    client_cert =
        ca.issue(testing::test_key(2).get(), client_name.get(), {}, testing::now()).value();
  }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(http_server)

BOOST_AUTO_TEST_CASE(plain_http_routes_keeps_alive_and_reports_errors) {
  IoRuntime io(2);
  metrics::Registry registry;
  HttpServer server(io, echo_router(), {}, &registry);
  BOOST_REQUIRE(server.start().ok());
  HttpClient client(io.executor(), server.base_url());
  auto results = testing::run_async(io, [&]() -> asio::awaitable<std::vector<HttpResponse>> {
    std::vector<HttpResponse> out;
    std::vector<HttpRequest> requests(6);
    requests[0].target = "/hello?name=mac%2B1";
    requests[1].method = "POST";
    requests[1].target = "/echo";
    requests[1].body = std::string("\0\1binary", 8);
    requests[1].headers = {{"Content-Type", "application/octet-stream"}};
    requests[2].target = "/nope";
    requests[3].method = "POST";
    requests[3].target = "/hello";
    requests[4].target = "/throws";
    requests[5].target = "/files/a/b%20c";
    for (auto& r : requests) {
      auto res = co_await client.send(r);
      out.push_back(res.value());
    }
    co_return out;
  }());
  BOOST_TEST(results[0].status == 200);
  BOOST_TEST(results[0].body == "hello mac+1");
  BOOST_TEST(results[1].body == std::string("\0\1binary", 8));
  BOOST_TEST(results[1].header("content-type") == "application/octet-stream");
  BOOST_TEST(results[2].status == 404);
  BOOST_TEST(results[3].status == 405);
  BOOST_TEST(results[3].header("Allow") == "GET");
  BOOST_TEST(results[4].status == 500);
  BOOST_TEST(results[5].body == "/files/a/b c");
  // All six requests travelled on one keep-alive connection.
  BOOST_TEST(server.open_connections() == 1u);
  auto text = registry.render();
  BOOST_TEST(text.find("mdmlab_http_requests_total{route=\"/hello\",code=\"200\"} 1") !=
             std::string::npos);
  BOOST_TEST(text.find("mdmlab_http_requests_total{route=\"unmatched\",code=\"404\"} 1") !=
             std::string::npos);
  server.stop();
  BOOST_TEST(server.open_connections() == 0u);
}

// "/a/*" is the items, not the collection "/a": a method only the items have is 405 on an
// existing collection (with Allow), 404 where there is none.
BOOST_AUTO_TEST_CASE(wildcard_routes_do_not_answer_for_the_bare_collection) {
  Router r;
  auto ok = [](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(200, "ok");
  };
  r.add("POST", "/commands", ok);
  r.add("GET", "/commands/*", ok);
  r.add("GET", "/items/*", ok);
  BOOST_TEST((r.match("GET", "/commands/ABC").handler != nullptr));
  auto bare = r.match("GET", "/commands");
  BOOST_TEST((bare.handler == nullptr));
  BOOST_TEST((bare.allowed == std::vector<std::string>{"POST"}));
  BOOST_TEST((r.match("GET", "/commands/").handler == nullptr));
  BOOST_TEST(r.match("GET", "/items").allowed.empty());
}

BOOST_AUTO_TEST_CASE(oversize_and_malformed_requests_get_4xx_and_the_server_stays_up) {
  IoRuntime io(2);
  HttpServerOptions opts;
  opts.body_limit = 1024;
  HttpServer server(io, echo_router(), opts);
  BOOST_REQUIRE(server.start().ok());
  auto r = testing::run_async(io, [&]() -> asio::awaitable<std::vector<int>> {
    std::vector<int> codes;
    HttpClient c1(io.executor(), server.base_url());
    auto r1 = co_await c1.post("/echo", std::string(4096, 'x'), "text/plain");
    codes.push_back(r1.value().status);
    HttpClient c3(io.executor(), server.base_url());
    auto r2 = co_await c3.get("/hello");
    codes.push_back(r2.value().status);
    co_return codes;
  }());
  BOOST_TEST(r[0] == 413);
  BOOST_TEST(r[1] == 200);
  auto bad_length = testing::raw_exchange(
      server.port(), "GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
  BOOST_TEST(bad_length.rfind("HTTP/1.1 400", 0) == 0, bad_length);
  auto garbage =
      testing::raw_exchange(server.port(), std::string("\x16\x03\x01\x00\xff garbage\r\n\r\n"));
  BOOST_TEST(garbage.rfind("HTTP/1.1 400", 0) == 0, garbage);
  auto huge_header = testing::raw_exchange(
      server.port(), "GET /hello HTTP/1.1\r\nX: " + std::string(64 * 1024, 'a') + "\r\n\r\n");
  BOOST_TEST(huge_header.rfind("HTTP/1.1 431", 0) == 0, huge_header.substr(0, 40));
  auto long_target = testing::raw_exchange(
      server.port(), "GET /hello?" + std::string(20 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  BOOST_TEST(long_target.rfind("HTTP/1.1 414", 0) == 0, long_target.substr(0, 40));
  auto again = testing::raw_exchange(server.port(),
                                     "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  BOOST_TEST(again.find("hello world") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(tls_and_mutual_tls_expose_the_client_certificate) {
  TlsMaterial m;
  IoRuntime io(2);
  HttpServerOptions opts;
  opts.tls = TlsServerConfig{};
  opts.tls->certificate = m.server_cert;
  opts.tls->key = testing::test_key(1);
  opts.tls->client_cas = {m.ca.certificate()};
  opts.tls->request_client_certificate = true;
  HttpServer server(io, echo_router(), opts);
  BOOST_REQUIRE(server.start().ok());
  BOOST_TEST(server.base_url().rfind("https://", 0) == 0);

  HttpClientOptions anon;
  anon.tls = TlsClientConfig{};
  anon.tls->trusted_roots = {m.ca.certificate()};
  HttpClientOptions with_cert = anon;
  with_cert.tls->client_certificate = m.client_cert;
  with_cert.tls->client_key = testing::test_key(2);
  HttpClientOptions wrong_root;
  wrong_root.tls = TlsClientConfig{};
  wrong_root.tls->trusted_roots = {m.client_cert};

  auto r = testing::run_async(io, [&]() -> asio::awaitable<std::vector<std::string>> {
    std::vector<std::string> out;
    HttpClient a(io.executor(), server.base_url(), anon);
    auto r3 = co_await a.get("/whoami");
    out.push_back(r3.value().body);
    out.push_back(a.peer_certificate() ? a.peer_certificate()->common_name() : "");
    HttpClient b(io.executor(), server.base_url(), with_cert);
    auto r4 = co_await b.get("/whoami");
    out.push_back(r4.value().body);
    HttpClient c(io.executor(), server.base_url(), wrong_root);
    auto res = co_await c.get("/whoami");
    out.push_back(res.ok() ? "connected" : res.error().code);
    co_return out;
  }());
  BOOST_TEST(r[0] == "anonymous");
  BOOST_TEST(r[1] == "localhost");
  BOOST_TEST(r[2] == "device-42");
  BOOST_TEST(r[3] == "tls_failed");
}

BOOST_AUTO_TEST_CASE(required_client_certificate_refuses_anonymous_and_foreign_clients) {
  TlsMaterial m;
  IoRuntime io(2);
  HttpServerOptions opts;
  opts.tls = TlsServerConfig{};
  opts.tls->certificate = m.server_cert;
  opts.tls->key = testing::test_key(1);
  opts.tls->client_cas = {m.ca.certificate()};
  opts.tls->require_client_certificate = true;
  HttpServer server(io, echo_router(), opts);
  BOOST_REQUIRE(server.start().ok());
  auto foreign_ca =
      crypto::CertificateAuthority::create_root(testing::test_key(3), {{"CN", "evil"}},
                                                testing::now(), std::chrono::hours(1))
          .value();
  auto foreign_name = crypto::make_x509_name({{"CN", "device-42"}}).value();
  auto foreign_cert =
      foreign_ca.issue(testing::test_key(2).get(), foreign_name.get(), {}, testing::now()).value();

  auto r = testing::run_async(io, [&]() -> asio::awaitable<std::vector<bool>> {
    std::vector<bool> ok;
    HttpClientOptions o;
    o.tls = TlsClientConfig{};
    o.tls->trusted_roots = {m.ca.certificate()};
    HttpClient anon(io.executor(), server.base_url(), o);
    auto r5 = co_await anon.get("/whoami");
    ok.push_back(r5.ok());
    o.tls->client_certificate = foreign_cert;
    o.tls->client_key = testing::test_key(2);
    HttpClient foreign(io.executor(), server.base_url(), o);
    auto r6 = co_await foreign.get("/whoami");
    ok.push_back(r6.ok());
    o.tls->client_certificate = m.client_cert;
    HttpClient good(io.executor(), server.base_url(), o);
    auto r7 = co_await good.get("/whoami");
    ok.push_back(r7.ok());
    co_return ok;
  }());
  BOOST_TEST(!r[0]);
  BOOST_TEST(!r[1]);
  BOOST_TEST(r[2]);
}

BOOST_AUTO_TEST_CASE(graceful_stop_finishes_in_flight_requests) {
  IoRuntime io(2);
  Router router;
  router.add("GET", "/slow", [](const HttpRequest&) -> asio::awaitable<HttpResponse> {
    // The executor first: GCC 12 mishandles temporaries in a co_await expression.
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer t(executor, std::chrono::milliseconds(300));
    co_await t.async_wait(asio::use_awaitable);
    co_return HttpResponse::text(200, "done");
  });
  HttpServer server(io, std::move(router), {});
  BOOST_REQUIRE(server.start().ok());
  HttpClient client(io.executor(), server.base_url());
  auto fut = asio::co_spawn(io.executor(), client.get("/slow"), asio::use_future);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  server.stop(std::chrono::seconds(5));
  auto res = fut.get();
  BOOST_REQUIRE(res.ok());
  BOOST_TEST(res->body == "done");
  BOOST_TEST(res->header("Connection") == "close");
  // No new connections after stop.
  HttpClient late(io.executor(), server.base_url());
  BOOST_TEST(!testing::run_async(io, late.get("/slow")).ok());
}

BOOST_AUTO_TEST_SUITE_END()
