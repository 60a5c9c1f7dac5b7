#include "server/scep/metered_scep_service.hpp"

#include <chrono>

namespace mdmlab::server::scep {

MeteredScepService::MeteredScepService(ScepService& inner, metrics::Registry& registry)
    : inner_(inner),
      requests_(registry.counter("mdmlab_scep_requests_total",
                                 "SCEP requests by operation and result", {"operation", "result"})),
      failures_(registry.counter("mdmlab_scep_failures_total",
                                 "SCEP CertRep FAILURE answers by failInfo", {"fail_info"})),
      latency_(
          registry
              .histogram("mdmlab_scep_pkioperation_seconds",
                         "Time to answer a PKIOperation (decode, verify, decrypt, issue, sign)", {})
              .get()) {}

std::string MeteredScepService::ca_caps() {
  requests_.with({"GetCACaps", "ok"}).inc();
  return inner_.ca_caps();
}

CaCertReply MeteredScepService::ca_cert() {
  requests_.with({"GetCACert", "ok"}).inc();
  return inner_.ca_cert();
}

boost::asio::awaitable<PkiReply> MeteredScepService::pki_operation(Bytes message) {
  auto start = std::chrono::steady_clock::now();
  auto reply = co_await inner_.pki_operation(std::move(message));
  latency_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  std::string result = "bad_request";
  if (reply.status) {
    switch (*reply.status) {
      case mdmlab::scep::PkiStatus::success:
        result = "success";
        break;
      case mdmlab::scep::PkiStatus::failure:
        result = "failure";
        break;
      case mdmlab::scep::PkiStatus::pending:
        result = "pending";
        break;
    }
  } else if (reply.http_status >= 500) {
    result = "error";
  }
  requests_.with({"PKIOperation", result}).inc();
  if (reply.fail_info)
    failures_.with({std::string(mdmlab::scep::to_string(*reply.fail_info))}).inc();
  co_return reply;
}

}  // namespace mdmlab::server::scep
