// A client of Apple's DEP API (nanodep's godep, in our terms): authenticates with the server
// token (OAuth 1.0a on GET /session), keeps the X-ADM-Auth-Session it gets (and any newer one
// an answer carries), and authenticates again once when a call answers 401 or 403 FORBIDDEN.
// Calls are typed; a DEP error becomes an Error whose code says what the caller should do:
//   EXHAUSTED_CURSOR / INVALID_CURSOR / EXPIRED_CURSOR  the cursor's fate (400 bodies)
//   dep_throttled      429; retry_after() says how long Apple asked us to wait
//   dep_unavailable    5xx or a transport failure: try again later
//   dep_auth           /session refused (wrong token, T_C_NOT_SIGNED: new terms to accept)
//   dep_refused        any other answer (4xx), with Apple's body in the message
//   bad_answer         a 200 whose body we cannot read
// Every call is counted in mdmlab_dep_requests_total{operation,status}. One call at a time.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "core/net/tls_config.hpp"
#include "protocol/apple/dep/dep_answers.hpp"
#include "protocol/apple/dep/server_token.hpp"

namespace mdmlab::server::apple::ade {

namespace dep = mdmlab::apple::dep;

struct DepClientConfig {
  std::string base_url = "https://mdmenrollment.apple.com";
  dep::ServerToken token;
  std::optional<net::TlsClientConfig> tls;
  std::chrono::seconds timeout{30};
};

inline constexpr const char* kDepThrottled = "dep_throttled";
inline constexpr const char* kDepUnavailable = "dep_unavailable";
inline constexpr const char* kDepAuth = "dep_auth";
inline constexpr const char* kDepRefused = "dep_refused";

class DepClient {
 public:
  // Fails on a base URL that is not http(s)://host[:port].
  static Result<std::unique_ptr<DepClient>> create(boost::asio::any_io_executor executor,
                                                   DepClientConfig config,
                                                   std::shared_ptr<Clock> clock,
                                                   metrics::Registry* registry);
  ~DepClient();

  boost::asio::awaitable<Result<dep::Account>> account();
  boost::asio::awaitable<Result<dep::FetchResponse>> fetch_devices(dep::FetchRequest r);
  boost::asio::awaitable<Result<dep::FetchResponse>> sync_devices(dep::FetchRequest r);
  boost::asio::awaitable<Result<dep::ProfileResult>> define_profile(dep::DepProfile p);
  boost::asio::awaitable<Result<dep::ProfileResult>> assign_profile(
      std::string profile_uuid, std::vector<std::string> serials);
  boost::asio::awaitable<Result<dep::ProfileResult>> remove_profile(
      std::vector<std::string> serials);

  // Seconds a 429 asked for (0 when it named none).
  int retry_after() const;
  // Forgets the session: the next call authenticates again.
  void forget_session();

 private:
  struct Impl;
  explicit DepClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mdmlab::server::apple::ade
