#include <boost/test/unit_test.hpp>

#include "tests/server/scep_fixture.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;

namespace {
std::uint16_t port_of(const std::string& url) {
  return net::Url::parse(url).value().port;
}

std::string http_post(unsigned short port, const std::string& target, const std::string& body,
                      const std::string& content_type = "application/x-pki-message") {
  return raw_exchange(
      port, "POST " + target +
                " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + content_type +
                "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

std::string http_get(unsigned short port, const std::string& target) {
  return raw_exchange(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
}

int status_of(const std::string& response) {
  if (response.size() < 12 || response.rfind("HTTP/1.1 ", 0) != 0) return -1;
  return std::stoi(response.substr(9, 3));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(scep_bad_input)

BOOST_AUTO_TEST_CASE(hostile_requests_get_4xx_store_nothing_and_the_server_stays_up) {
  ScepServerFixture f;
  auto port = port_of(f.server->http_url());
  // A valid request to mutate.
  auto c = f.client();
  auto ca = f.run(c.get_ca_cert()).value();
  auto key = test_key_pool().get(20).value();
  mdmlab::scep::RequestParams p;
  p.transaction_id = "HOSTILE";
  p.content = crypto::Csr::build(key, {{{"CN", "hostile"}}, f.challenge}).value().to_der();
  p.recipients = {ca.recipient()};
  p.signer =
      crypto::make_self_signed(key, {{"CN", "hostile"}}, f.clock->now(), std::chrono::hours(1))
          .value();
  p.signer_key = key;
  auto valid = to_string(mdmlab::scep::build_request(p).value());

  std::vector<std::pair<std::string, std::string>> cases;  // name, raw response
  cases.emplace_back("garbage body",
                     http_post(port, "/scep?operation=PKIOperation", "this is not DER"));
  cases.emplace_back("empty body", http_post(port, "/scep?operation=PKIOperation", ""));
  for (std::size_t cut : {std::size_t{1}, std::size_t{64}, valid.size() / 2, valid.size() - 1})
    cases.emplace_back("truncated " + std::to_string(cut),
                       http_post(port, "/scep?operation=PKIOperation", valid.substr(0, cut)));
  cases.emplace_back("bad base64", http_get(port, "/scep?operation=PKIOperation&message=%%%%"));
  cases.emplace_back("base64 of junk",
                     http_get(port, "/scep?operation=PKIOperation&message=" +
                                        net::percent_encode(base64_encode(to_bytes("junk junk")))));
  cases.emplace_back("no message", http_get(port, "/scep?operation=PKIOperation"));
  cases.emplace_back("unknown operation", http_get(port, "/scep?operation=GetNextCACert"));
  cases.emplace_back("no operation", http_get(port, "/scep"));
  cases.emplace_back("oversize", http_post(port, "/scep?operation=PKIOperation",
                                           std::string(3 * 1024 * 1024, '\x30')));
  cases.emplace_back(
      "wrong method",
      raw_exchange(
          port,
          "DELETE /scep?operation=GetCACaps HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));

  for (const auto& [name, response] : cases) {
    int status = status_of(response);
    BOOST_TEST((status >= 400 && status < 500), name << " -> " << status);
  }
  BOOST_TEST(f.certificate_count() == 0);
  BOOST_TEST(f.from_store(f.server->scep_store().list_transactions(std::nullopt)).empty());

  // Still serving, and the valid request still works afterwards.
  BOOST_TEST(status_of(http_get(port, "/scep?operation=GetCACaps")) == 200);
  auto ok = f.run(c.send_pki_message(to_bytes(valid))).value();
  auto rep = mdmlab::scep::decode_pki_message(to_bytes(ok.body)).value();
  BOOST_TEST((rep.status == mdmlab::scep::PkiStatus::success));

  auto text = f.server->metrics().render();
  BOOST_TEST(
      text.find("mdmlab_scep_requests_total{operation=\"PKIOperation\",result=\"bad_request\"}") !=
      std::string::npos);
  BOOST_TEST(text.find("mdmlab_http_requests_total{route=\"unmatched\",code=\"413\"} 1") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(metrics_after_a_scep_run_have_the_expected_values_and_pass_promtool) {
  ScepServerFixture f;
  auto c = f.client();
  for (int i = 0; i < 3; ++i) {
    auto r =
        f.enroll(c, f.request(21 + static_cast<std::size_t>(i), "metrics-" + std::to_string(i)));
    BOOST_REQUIRE(r.ok());
  }
  auto bad = f.enroll(c, f.request(24, "metrics-bad", "wrong"));
  BOOST_REQUIRE(bad.ok());
  // Read /metrics over HTTP, as Prometheus would.
  net::HttpClient http(f.io.executor(), f.server->http_url());
  auto res = f.run(http.get("/metrics")).value();
  BOOST_TEST(res.status == 200);
  BOOST_TEST(res.header("Content-Type").find("text/plain; version=0.0.4") == 0u);
  const auto& text = res.body;
  BOOST_TEST(
      text.find("mdmlab_scep_requests_total{operation=\"PKIOperation\",result=\"success\"} 3\n") !=
      std::string::npos);
  BOOST_TEST(
      text.find("mdmlab_scep_requests_total{operation=\"PKIOperation\",result=\"failure\"} 1\n") !=
      std::string::npos);
  BOOST_TEST(text.find("mdmlab_scep_requests_total{operation=\"GetCACert\",result=\"ok\"} 1\n") !=
             std::string::npos);
  BOOST_TEST(text.find("mdmlab_scep_failures_total{fail_info=\"badRequest\"} 1\n") !=
             std::string::npos);
  BOOST_TEST(text.find("mdmlab_scep_pkioperation_seconds_bucket{le=\"+Inf\"} 4\n") !=
             std::string::npos);
  BOOST_TEST(text.find("mdmlab_scep_pkioperation_seconds_count 4\n") != std::string::npos);
  BOOST_TEST(text.find("mdmlab_http_requests_total{route=\"/scep\",code=\"200\"}") !=
             std::string::npos);

  BOOST_REQUIRE(have_program("promtool"));
  write_file(f.dir + "/metrics.txt", text);
  auto check = run_command("promtool check metrics < " + f.dir + "/metrics.txt");
  BOOST_TEST(check.exit_code == 0, check.output);
}

BOOST_AUTO_TEST_SUITE_END()
