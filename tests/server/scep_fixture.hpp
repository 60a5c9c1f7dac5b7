// A reference server on loopback (temporary data dir, virtual clock) plus helpers to drive
// our SCEP client against it.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include "core/keys/key_pool.hpp"
#include "server/reference_server.hpp"
#include "simulators/scep/scep_client.hpp"
#include "tests/crypto/fixtures.hpp"
#include "tests/support/process.hpp"

namespace mdmlab::testing {

inline keys::KeyPool& test_key_pool() {
  static keys::KeyPool pool;
  return pool;
}

struct ScepServerFixture {
  std::string dir = make_temp_dir("mdmlab-scep-");
  std::shared_ptr<VirtualClock> clock = std::make_shared<VirtualClock>();
  net::IoRuntime io{2};
  std::unique_ptr<server::ReferenceServer> server;
  const std::string challenge = "sup3r-secret";
  const std::string admin_token = "test-admin-token";

  explicit ScepServerFixture(std::function<void(server::ReferenceServerConfig&)> tweak = {}) {
    crypto::init_openssl();
    server::ReferenceServerConfig cfg;
    cfg.data_dir = dir;
    cfg.scep.challenge = challenge;
    cfg.admin_token = admin_token;
    if (tweak) tweak(cfg);
    server = std::make_unique<server::ReferenceServer>(io, cfg, clock);
    auto started = server->start();
    if (!started) throw std::runtime_error(started.error().message);
  }
  ~ScepServerFixture() {
    server->stop();
    server.reset();
    io.stop();
    std::filesystem::remove_all(dir);
  }

  template <typename T>
  T run(boost::asio::awaitable<T> aw) {
    return boost::asio::co_spawn(io.executor(), std::move(aw), boost::asio::use_future).get();
  }

  // A store call's value; fails the test (with the store's error) if the store failed.
  template <typename T>
  T from_store(boost::asio::awaitable<Result<T>> aw) {
    auto r = run(std::move(aw));
    BOOST_REQUIRE_MESSAGE(r.ok(), "store failed: " + (r.ok() ? std::string() : r.error().message));
    if constexpr (!std::is_void_v<T>) return std::move(r).value();
  }

  simulators::scep::ScepClient client(simulators::scep::ScepClientOptions options = {}) {
    return simulators::scep::ScepClient(io.executor(), server->scep_url(), std::move(options));
  }

  simulators::scep::EnrollRequest request(std::size_t key_index, const std::string& cn,
                                          std::string challenge_override = "\x01") {
    simulators::scep::EnrollRequest r;
    r.key = test_key_pool().get(key_index).value();
    r.subject = {{"CN", cn}, {"O", "mdmlab-test"}};
    r.challenge = challenge_override == "\x01" ? challenge : challenge_override;
    return r;
  }

  Result<simulators::scep::EnrollResult> enroll(simulators::scep::ScepClient& c,
                                                simulators::scep::EnrollRequest r) {
    return run(c.enroll(std::move(r)));
  }

  std::int64_t certificate_count() { return from_store(server->scep_store().count_certificates()); }

  // Admin API call over HTTP; returns the status code.
  int admin(const std::string& method, const std::string& target, std::string token = "") {
    net::HttpClient http(io.executor(), server->http_url());
    net::HttpRequest req;
    req.method = method;
    req.target = target;
    req.headers.emplace_back("Authorization", "Bearer " + (token.empty() ? admin_token : token));
    auto res = run(http.send(req));
    return res ? res->status : -1;
  }
};

}  // namespace mdmlab::testing
