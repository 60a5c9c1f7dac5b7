#include "simulators/services/apns/apns_simulator.hpp"

#include <boost/asio/steady_timer.hpp>

#include <atomic>

#include "core/log/log.hpp"
#include "simulators/services/apns/apns_control_routes.hpp"

namespace mdmlab::simulators::apns {
namespace asio = boost::asio;

struct ApnsSimulator::Impl {
  net::IoRuntime& io;
  ApnsSimulatorConfig config;
  std::shared_ptr<Clock> clock;
  metrics::Registry registry;
  ApnsState state;
  std::optional<crypto::CertificateAuthority> ca;
  std::unique_ptr<net::Http2Server> push;
  std::unique_ptr<net::HttpServer> control;
  metrics::Family<metrics::Counter>* answers = nullptr;
  std::atomic<std::uint32_t> max_streams;

  Impl(net::IoRuntime& io_, ApnsSimulatorConfig c, std::shared_ptr<Clock> clk)
      : io(io_),
        config(std::move(c)),
        clock(std::move(clk)),
        state(clock),
        max_streams(config.max_concurrent_streams) {
    answers = &registry.counter("mdmlab_apns_sim_pushes_total",
                                "Pushes the APNs simulator answered, by HTTP status and reason",
                                {"status", "reason"});
  }

  // One provider request, on its connection's strand.
  void on_push(net::Http2Connection& conn, std::int32_t stream_id, net::Http2Message request) {
    std::string certificate_topic;
    if (conn.peer_certificate()) certificate_topic = conn.peer_certificate()->subject_field("UID");
    std::vector<apple::ApnsHeader> headers;
    for (auto& h : request.headers) headers.push_back({h.name, h.value});
    apple::ApnsRejection rejection;
    auto push = apple::parse_apns_request(headers, request.body, certificate_topic, rejection);
    if (request.body_too_large) {
      rejection = {413, "PayloadTooLarge"};
      push = make_error("apns_PayloadTooLarge", "413 PayloadTooLarge");
    }
    std::string token_hint;
    if (auto path = request.header(":path"); path.starts_with("/3/device/"))
      token_hint = path.substr(10, 200);
    for (auto& c : token_hint) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto verdict = state.accept(push, rejection, token_hint);
    answers->with({std::to_string(verdict.status), verdict.reason}).inc();

    net::Http2Message response;
    response.headers = {{":status", std::to_string(verdict.status)}, {"apns-id", verdict.apns_id}};
    if (verdict.status != 200) {
      response.headers.push_back({"content-type", "application/json"});
      response.body = apple::apns_error_body(verdict.reason, verdict.timestamp_ms);
    }
    // APNs lets a new connection open one stream until it has answered a push, then more.
    if (verdict.status == 200 && conn.local_max_concurrent_streams() < max_streams)
      conn.set_max_concurrent_streams(max_streams);
    if (verdict.delay.count() == 0) {
      conn.respond(stream_id, std::move(response));
      return;
    }
    auto timer = std::make_shared<asio::steady_timer>(conn.executor(), verdict.delay);
    timer->async_wait([timer, c = conn.shared_from_this(), stream_id,
                       response = std::move(response)](const boost::system::error_code&) mutable {
      c->respond(stream_id, std::move(response));
    });
  }
};

ApnsSimulator::ApnsSimulator(net::IoRuntime& io, ApnsSimulatorConfig config,
                             std::shared_ptr<Clock> clock)
    : impl_(std::make_unique<Impl>(io, std::move(config), std::move(clock))) {}

ApnsSimulator::~ApnsSimulator() {
  stop();
}

Result<void> ApnsSimulator::start() {
  auto& m = *impl_;
  const auto now = m.clock->now();
  if (m.config.ca) {
    m.ca = m.config.ca;
  } else {
    auto key = crypto::PrivateKey::generate_ec_p256();
    if (!key) return key.error();
    auto ca = crypto::CertificateAuthority::create_root(
        *key, {{"CN", "mdmlab APNs simulator CA"}, {"O", "mdmlab"}}, now,
        std::chrono::hours(24 * 365 * 10));
    if (!ca) return ca.error();
    m.ca = *ca;
  }
  auto tls_key = crypto::PrivateKey::generate_ec_p256();
  if (!tls_key) return tls_key.error();
  auto name =
      crypto::make_x509_name({{"CN", "api.push.apple.com (mdmlab simulator)"}, {"O", "mdmlab"}});
  if (!name) return name.error();
  crypto::IssueOptions opts;
  opts.validity = std::chrono::hours(24 * 365);
  opts.extended_key_usage = {crypto::ExtendedKeyUsage::server_auth};
  opts.dns_names = {"localhost", "api.push.apple.com", "api.sandbox.push.apple.com"};
  opts.ip_addresses = {"127.0.0.1", "::1"};
  auto tls_cert = m.ca->issue(tls_key->get(), name->get(), opts, now);
  if (!tls_cert) return tls_cert.error();

  net::Http2ServerOptions push_options;
  push_options.bind_address = m.config.bind_address;
  push_options.port = m.config.push_port;
  push_options.tls.certificate = *tls_cert;
  push_options.tls.key = *tls_key;
  push_options.tls.client_cas = {m.ca->certificate()};
  push_options.tls.request_client_certificate = true;
  push_options.tls.require_client_certificate = true;
  push_options.settings.max_concurrent_streams = m.config.initial_max_concurrent_streams;
  push_options.settings.body_limit = apple::kApnsMaxPayload;
  push_options.name = "apns-sim";
  m.push = std::make_unique<net::Http2Server>(
      m.io, push_options,
      [impl = &m](net::Http2Connection& c, std::int32_t id, net::Http2Message req) {
        impl->on_push(c, id, std::move(req));
      });
  if (auto r = m.push->start(); !r) return r.error();

  net::HttpServerOptions control_options;
  control_options.bind_address = m.config.bind_address;
  control_options.port = m.config.control_port;
  control_options.name = "apns-control";
  control_options.idle_timeout = std::chrono::seconds(120);
  control_options.io_timeout = std::chrono::seconds(120);
  m.control =
      std::make_unique<net::HttpServer>(m.io, control_routes(*this), control_options, &m.registry);
  if (auto r = m.control->start(); !r) return r.error();
  log::info("apns-sim", "push endpoint {} (MAX_CONCURRENT_STREAMS {} then {}), control {}",
            push_url(), m.config.initial_max_concurrent_streams, m.config.max_concurrent_streams,
            control_url());
  return success();
}

void ApnsSimulator::stop() {
  if (impl_->push) impl_->push->stop();
  if (impl_->control) impl_->control->stop(std::chrono::milliseconds(200));
}

std::string ApnsSimulator::push_url() const {
  return impl_->push ? impl_->push->base_url() : std::string();
}
std::string ApnsSimulator::control_url() const {
  return impl_->control ? impl_->control->base_url() : std::string();
}
const crypto::CertificateAuthority& ApnsSimulator::ca() const {
  return *impl_->ca;
}

Result<PushIdentity> ApnsSimulator::issue_push_identity(const std::string& topic,
                                                        const crypto::PrivateKey& key) const {
  auto suffix = topic.substr(topic.rfind('.') + 1);
  auto name = crypto::make_x509_name(
      {{"UID", topic}, {"CN", "APSP:" + suffix}, {"O", "mdmlab"}, {"C", "US"}});
  if (!name) return name.error();
  crypto::IssueOptions opts;
  opts.validity = std::chrono::hours(24 * 365);
  opts.extended_key_usage = {crypto::ExtendedKeyUsage::client_auth};
  auto cert = impl_->ca->issue(key.get(), name->get(), opts, impl_->clock->now());
  if (!cert) return cert.error();
  return PushIdentity{*cert, key};
}

void ApnsSimulator::set_max_concurrent_streams(std::uint32_t n) {
  impl_->max_streams = n;
  if (impl_->push) impl_->push->set_max_concurrent_streams(n);
}
std::uint32_t ApnsSimulator::max_concurrent_streams() const {
  return impl_->max_streams;
}

ApnsState& ApnsSimulator::state() {
  return impl_->state;
}
metrics::Registry& ApnsSimulator::metrics() {
  return impl_->registry;
}
net::Http2Stats ApnsSimulator::http2_stats() const {
  return impl_->push ? impl_->push->stats() : net::Http2Stats{};
}
std::size_t ApnsSimulator::open_connections() const {
  return impl_->push ? impl_->push->open_connections() : 0;
}

}  // namespace mdmlab::simulators::apns
