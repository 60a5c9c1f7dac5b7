#include "server/apple/mdm_http_transport.hpp"

#include "core/net/media_type.hpp"
#include "crypto/cms.hpp"
#include "server/apple/metered_mdm_service.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;

std::optional<crypto::Certificate> request_identity(const HttpRequest& req) {
  if (req.client_certificate) return req.client_certificate;
  auto header = req.header("Mdm-Signature");
  if (header.empty()) return std::nullopt;
  auto der = base64_decode(header);
  if (!der) return std::nullopt;
  auto signed_message = crypto::SignedMessage::parse(*der);
  if (!signed_message || signed_message->signer_certificate().empty()) return std::nullopt;
  const auto& signer = signed_message->signer_certificate();
  if (!signed_message->verify_detached(signer, to_bytes(req.body))) return std::nullopt;
  return signer;
}

namespace {
class MdmHttpHandler {
 public:
  enum class Kind { either, checkin, command };

  // Counts (MeteredMdmService) happen in the service chain; the transport counts only the
  // messages it could not decode, as "invalid", in the same families.
  MdmHttpHandler(MdmService& service, metrics::Registry* registry)
      : service_(service),
        checkins_(registry ? &checkin_counter(*registry) : nullptr),
        reports_(registry ? &command_report_counter(*registry) : nullptr) {}

  asio::awaitable<HttpResponse> handle(const HttpRequest& req, Kind kind) {
    auto content_type = req.header("Content-Type");
    bool is_checkin = kind == Kind::checkin ||
                      (kind == Kind::either &&
                       net::media_type_is(content_type, mdmlab::apple::kCheckinContentType));
    MdmRequest mdm_req{request_identity(req), req.body, req.query()};
    if (is_checkin) {
      auto msg = mdmlab::apple::decode_checkin(req.body);
      if (!msg) co_return count(checkins_, "invalid", MdmReply::fail(400, msg.error().message));
      auto reply = co_await dispatch_checkin(service_, mdm_req, *msg);
      co_return answer(std::move(reply));
    }
    auto report = mdmlab::apple::decode_command_report(req.body);
    if (!report) co_return count(reports_, "invalid", MdmReply::fail(400, report.error().message));
    auto reply = co_await service_.command_report(mdm_req, *report);
    co_return answer(std::move(reply));
  }

 private:
  HttpResponse count(metrics::Family<metrics::Counter>* family, const std::string& label,
                     MdmReply reply) {
    if (family) family->with({label, std::to_string(reply.status)}).inc();
    return answer(std::move(reply));
  }

  static HttpResponse answer(MdmReply reply) {
    if (reply.status != 200) {
      auto refusal = HttpResponse::text(reply.status, reply.error + "\n");
      if (reply.retry_after > 0)
        refusal.set_header("Retry-After", std::to_string(reply.retry_after));
      return refusal;
    }
    if (reply.body.empty()) {
      HttpResponse r;
      r.status = 200;
      return r;
    }
    return HttpResponse::binary(200, std::move(reply.body), reply.content_type);
  }

  MdmService& service_;
  metrics::Family<metrics::Counter>* checkins_;
  metrics::Family<metrics::Counter>* reports_;
};
}  // namespace

void add_mdm_routes(net::Router& router, MdmService& service, metrics::Registry* registry) {
  auto h = std::make_shared<MdmHttpHandler>(service, registry);
  using Kind = MdmHttpHandler::Kind;
  router.add("PUT", "/mdm/apple/mdm",
             [h](const HttpRequest& r) { return h->handle(r, Kind::either); });
  router.add("PUT", "/mdm/checkin",
             [h](const HttpRequest& r) { return h->handle(r, Kind::checkin); });
  router.add("PUT", "/mdm/connect",
             [h](const HttpRequest& r) { return h->handle(r, Kind::command); });
}

}  // namespace mdmlab::server::apple
