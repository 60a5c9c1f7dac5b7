// A ScepService decorator that counts every operation and times PKIOperation:
//   mdmlab_scep_requests_total{operation,result}  result: success|failure|pending|bad_request|ok
//   mdmlab_scep_pkioperation_seconds               histogram
//   mdmlab_scep_failures_total{fail_info}
#pragma once

#include "core/metrics/registry.hpp"
#include "server/scep/scep_service.hpp"

namespace mdmlab::server::scep {

class MeteredScepService final : public ScepService {
 public:
  MeteredScepService(ScepService& inner, metrics::Registry& registry);

  std::string ca_caps() override;
  CaCertReply ca_cert() override;
  boost::asio::awaitable<PkiReply> pki_operation(Bytes message) override;

 private:
  ScepService& inner_;
  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Counter>& failures_;
  metrics::Histogram& latency_;
};

}  // namespace mdmlab::server::scep
