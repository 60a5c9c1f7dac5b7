#include "server/scep/scep_http_transport.hpp"

#include "core/log/log.hpp"
#include "protocol/scep/types.hpp"

namespace mdmlab::server::scep {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;

namespace {
class ScepHttpHandler {
 public:
  ScepHttpHandler(ScepService& service, metrics::Registry* registry)
      : service_(service),
        requests_(registry ? &registry->counter("mdmlab_scep_requests_total",
                                                "SCEP requests by operation and result",
                                                {"operation", "result"})
                           : nullptr) {}

  asio::awaitable<HttpResponse> operator()(const HttpRequest& req) {
    auto operation = req.query_param("operation");
    if (!operation) co_return reject("none", "missing operation parameter");
    if (*operation == "GetCACaps") {
      co_return HttpResponse::text(200, service_.ca_caps(), mdmlab::scep::content_type::caps);
    }
    if (*operation == "GetCACert") {
      auto reply = service_.ca_cert();
      co_return HttpResponse::binary(200, to_string(reply.body), reply.content_type);
    }
    if (*operation != "PKIOperation") co_return reject("unknown", "unsupported operation");

    Bytes message;
    if (req.method == "POST") {
      message = to_bytes(req.body);
    } else {
      auto encoded = req.query_param("message");
      if (!encoded || encoded->empty())
        co_return reject("PKIOperation", "missing message parameter");
      auto decoded = base64_decode(*encoded);
      if (!decoded) co_return reject("PKIOperation", "message is not valid base64");
      message = std::move(*decoded);
    }
    if (message.empty()) co_return reject("PKIOperation", "empty PKIOperation message");
    auto reply = co_await service_.pki_operation(std::move(message));
    if (reply.retry_after > 0) {
      auto unavailable = HttpResponse::text(reply.http_status, reply.error + "\n");
      unavailable.set_header("Retry-After", std::to_string(reply.retry_after));
      co_return unavailable;
    }
    if (reply.http_status != 200) {
      co_return HttpResponse::text(reply.http_status,
                                   "bad PKIOperation message: " + reply.error + "\n");
    }
    co_return HttpResponse::binary(200, to_string(reply.cert_rep),
                                   mdmlab::scep::content_type::pki_message);
  }

 private:
  HttpResponse reject(const std::string& operation, const std::string& why) {
    if (requests_) requests_->with({operation, "bad_request"}).inc();
    return HttpResponse::text(400, why + "\n");
  }

  ScepService& service_;
  metrics::Family<metrics::Counter>* requests_;
};
}  // namespace

void add_scep_routes(net::Router& router, ScepService& service, metrics::Registry* registry,
                     const std::vector<std::string>& paths) {
  auto handler = std::make_shared<ScepHttpHandler>(service, registry);
  for (const auto& path : paths) {
    for (const char* method : {"GET", "POST"}) {
      router.add(method, path, [handler](const HttpRequest& req) { return (*handler)(req); });
    }
  }
}

}  // namespace mdmlab::server::scep
