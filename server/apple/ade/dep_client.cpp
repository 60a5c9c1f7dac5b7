#include "server/apple/ade/dep_client.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

#include "core/log/log.hpp"
#include "core/net/http_client.hpp"
#include "crypto/random.hpp"
#include "protocol/apple/dep/oauth1.hpp"

namespace mdmlab::server::apple::ade {
namespace asio = boost::asio;
using asio::awaitable;

namespace {
constexpr const char* kContentType = "application/json;charset=UTF8";

// Status label values: a fixed set, whatever the remote end answers.
std::string status_label(int status) {
  switch (status) {
    case 200:
    case 400:
    case 401:
    case 403:
    case 404:
    case 429:
    case 500:
    case 503:
      return std::to_string(status);
    default:
      return status >= 500 ? "5xx" : "other";
  }
}

bool forbidden(const net::HttpResponse& r) {
  return r.status == 401 || (r.status == 403 && r.body.find("FORBIDDEN") != std::string::npos);
}

// Apple's DEP error bodies name the code ("EXHAUSTED_CURSOR", maybe with a detail after it).
Error dep_error(const std::string& operation, const net::HttpResponse& r) {
  const auto detail =
      operation + ": HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 200);
  if (r.status == 400)
    for (const char* code : {dep::kExhaustedCursor, dep::kInvalidCursor, dep::kExpiredCursor})
      if (r.body.rfind(code, 0) == 0 ||
          r.body.find("\"" + std::string(code) + "\"") != std::string::npos)
        return make_error(code, detail);
  if (r.status == 429) return make_error(kDepThrottled, detail);
  if (r.status >= 500) return make_error(kDepUnavailable, detail);
  return make_error(kDepRefused, detail);
}
}  // namespace

struct DepClient::Impl {
  net::Url base;
  DepClientConfig config;
  std::shared_ptr<Clock> clock;
  net::HttpClient http;
  metrics::Family<metrics::Counter>* calls = nullptr;
  std::string session;
  int retry_after = 0;

  Impl(asio::any_io_executor ex, net::Url b, DepClientConfig c, std::shared_ptr<Clock> k,
       metrics::Registry* registry)
      : base(std::move(b)),
        config(std::move(c)),
        clock(std::move(k)),
        http(ex, base.origin(), options(config)) {
    if (registry)
      calls = &registry->counter("mdmlab_dep_requests_total",
                                 "Calls to Apple's DEP API, by operation and HTTP status "
                                 "(transport: no answer)",
                                 {"operation", "status"});
  }

  static net::HttpClientOptions options(const DepClientConfig& c) {
    net::HttpClientOptions o;
    o.tls = c.tls;
    o.timeout = c.timeout;
    o.user_agent = "mdmlab-dep/0.1";
    return o;
  }

  void count(const char* operation, const std::string& status) {
    if (calls) calls->with({operation, status}).inc();
  }

  // The URI the OAuth signature covers: scheme://host[:port]/session, the port only when it is
  // not the scheme's default (RFC 5849 3.4.1.2).
  std::string session_uri() const {
    const bool default_port =
        (base.scheme == "https" && base.port == 443) || (base.scheme == "http" && base.port == 80);
    const auto host = base.host.find(':') != std::string::npos ? "[" + base.host + "]" : base.host;
    return base.scheme + "://" + host + (default_port ? "" : ":" + std::to_string(base.port)) +
           "/session";
  }

  awaitable<Result<void>> authenticate() {
    const auto& t = config.token;
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(clock->now().time_since_epoch()).count();
    dep::OAuthParams params = {{"oauth_consumer_key", t.consumer_key},
                               {"oauth_token", t.access_token},
                               {"oauth_signature_method", "HMAC-SHA1"},
                               {"oauth_timestamp", std::to_string(now)},
                               {"oauth_nonce", hex_encode(crypto::random_bytes(16))},
                               {"oauth_version", "1.0"}};
    net::HttpRequest req;
    req.method = "GET";
    req.target = "/session";
    req.headers = {{"Authorization", dep::authorization_header("GET", session_uri(), params,
                                                               t.consumer_secret, t.access_secret)},
                   {"Content-Type", kContentType}};
    auto res = co_await http.send(std::move(req));
    if (!res) {
      count("session", "transport");
      co_return make_error(kDepUnavailable, "session: " + res.error().message);
    }
    count("session", status_label(res->status));
    if (res->status != 200) {
      auto e = dep_error("session", *res);
      if (e.code == kDepRefused) e.code = kDepAuth;
      co_return e;
    }
    auto token = dep::parse_session_answer(res->body);
    if (!token) co_return make_error("bad_answer", "session: " + token.error().message);
    session = std::move(*token);
    co_return success();
  }

  // One DEP call with the session; authenticates first when there is none, and once more when
  // the answer says the session is no good.
  awaitable<Result<net::HttpResponse>> call(const char* operation, std::string method,
                                            std::string path, std::string body) {
    retry_after = 0;
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (session.empty()) {
        auto auth = co_await authenticate();
        if (!auth) co_return auth.error();
      }
      net::HttpRequest req;
      req.method = method;
      req.target = path;
      req.body = body;
      req.headers = {{"X-ADM-Auth-Session", session},
                     {"X-Server-Protocol-Version", "3"},
                     {"Content-Type", kContentType}};
      auto res = co_await http.send(std::move(req));
      if (!res) {
        count(operation, "transport");
        co_return make_error(kDepUnavailable, std::string(operation) + ": " + res.error().message);
      }
      count(operation, status_label(res->status));
      // Apple may hand out a fresh session token with any answer.
      if (auto fresh = res->header("X-ADM-Auth-Session"); !fresh.empty()) session = fresh;
      if (forbidden(*res) && attempt == 0) {
        log::info("dep", "{}: HTTP {}, authenticating again", operation, res->status);
        session.clear();
        continue;
      }
      if (res->status == 429) {
        const auto ra = res->header("Retry-After");
        int seconds = 0;
        std::from_chars(ra.data(), ra.data() + ra.size(), seconds);
        retry_after = std::max(0, seconds);
      }
      if (res->status != 200) co_return dep_error(operation, *res);
      co_return std::move(*res);
    }
    co_return make_error(kDepAuth, std::string(operation) + ": refused after authenticating");
  }

  template <typename T, typename Parse>
  awaitable<Result<T>> typed(const char* operation, std::string method, std::string path,
                             std::string body, Parse parse) {
    auto res = co_await call(operation, std::move(method), std::move(path), std::move(body));
    if (!res) co_return res.error();
    auto parsed = parse(res->body);
    if (!parsed)
      co_return make_error("bad_answer", std::string(operation) + ": " + parsed.error().message);
    co_return std::move(*parsed);
  }
};

Result<std::unique_ptr<DepClient>> DepClient::create(asio::any_io_executor executor,
                                                     DepClientConfig config,
                                                     std::shared_ptr<Clock> clock,
                                                     metrics::Registry* registry) {
  auto url = net::Url::parse(config.base_url);
  if (!url) return url.error();
  if (url->scheme != "http" && url->scheme != "https")
    return make_error("bad_url", "the DEP URL must be http(s): " + config.base_url);
  return std::unique_ptr<DepClient>(new DepClient(std::make_unique<Impl>(
      std::move(executor), std::move(*url), std::move(config), std::move(clock), registry)));
}

DepClient::DepClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DepClient::~DepClient() = default;

int DepClient::retry_after() const {
  return impl_->retry_after;
}
void DepClient::forget_session() {
  impl_->session.clear();
}

awaitable<Result<dep::Account>> DepClient::account() {
  auto r =
      co_await impl_->typed<dep::Account>("account", "GET", "/account", "", dep::parse_account);
  co_return r;
}

awaitable<Result<dep::FetchResponse>> DepClient::fetch_devices(dep::FetchRequest r) {
  auto res = co_await impl_->typed<dep::FetchResponse>("fetch_devices", "POST", "/server/devices",
                                                       dep::encode_fetch_request(r),
                                                       dep::parse_fetch_response);
  co_return res;
}

awaitable<Result<dep::FetchResponse>> DepClient::sync_devices(dep::FetchRequest r) {
  auto res = co_await impl_->typed<dep::FetchResponse>("sync_devices", "POST", "/devices/sync",
                                                       dep::encode_fetch_request(r),
                                                       dep::parse_fetch_response);
  co_return res;
}

awaitable<Result<dep::ProfileResult>> DepClient::define_profile(dep::DepProfile p) {
  auto res = co_await impl_->typed<dep::ProfileResult>(
      "define_profile", "POST", "/profile", dep::to_json(p).dump(), dep::parse_profile_result);
  co_return res;
}

awaitable<Result<dep::ProfileResult>> DepClient::assign_profile(std::string profile_uuid,
                                                                std::vector<std::string> serials) {
  dep::SerialsRequest r{std::move(profile_uuid), std::move(serials)};
  auto res = co_await impl_->typed<dep::ProfileResult>("assign_profile", "PUT", "/profile/devices",
                                                       dep::encode_serials_request(r),
                                                       dep::parse_profile_result);
  co_return res;
}

awaitable<Result<dep::ProfileResult>> DepClient::remove_profile(std::vector<std::string> serials) {
  dep::SerialsRequest r{"", std::move(serials)};
  auto res = co_await impl_->typed<dep::ProfileResult>(
      "remove_profile", "DELETE", "/profile/devices", dep::encode_serials_request(r),
      dep::parse_profile_result);
  co_return res;
}

}  // namespace mdmlab::server::apple::ade
