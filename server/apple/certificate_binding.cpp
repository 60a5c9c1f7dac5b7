#include "server/apple/certificate_binding.hpp"

#include "core/log/log.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;

asio::awaitable<std::optional<MdmReply>> CertificateBinding::check(const MdmRequest& req,
                                                                   const std::string& udid,
                                                                   bool may_bind) {
  if (!req.identity)
    co_return MdmReply::fail(401, "no device identity (client certificate or Mdm-Signature)");
  const auto& cert = *req.identity;
  auto now = clock_->now();
  if (!crypto::verify_chain(cert, cas_, {}, now).ok())
    co_return MdmReply::fail(
        401, "device identity is not a valid certificate from a trusted identity CA");
  auto fingerprint = cert.sha256_hex();
  auto bound = co_await store_.certificate_udid(fingerprint);
  if (bound) {
    if (*bound != udid) {
      log::warn("apple", "certificate {} bound to {} tried to act for {}", cert.serial_hex(),
                *bound, udid);
      co_return MdmReply::fail(403, "certificate belongs to another device");
    }
    co_return std::nullopt;
  }
  if (!may_bind)
    co_return MdmReply::fail(401,
                             "certificate is not bound to an enrollment; send Authenticate first");
  co_await store_.bind_certificate(fingerprint, udid, now);
  co_return std::nullopt;
}

asio::awaitable<MdmReply> CertificateBinding::checkin(const MdmRequest& req,
                                                      const mdmlab::apple::Checkin& msg) {
  auto refused =
      co_await check(req, msg.udid, msg.type == mdmlab::apple::CheckinType::authenticate);
  if (refused) co_return *refused;
  auto reply = co_await inner_.checkin(req, msg);
  co_return reply;
}

asio::awaitable<MdmReply> CertificateBinding::command_report(
    const MdmRequest& req, const mdmlab::apple::CommandReport& report) {
  auto refused = co_await check(req, report.udid, false);
  if (refused) co_return *refused;
  auto reply = co_await inner_.command_report(req, report);
  co_return reply;
}

}  // namespace mdmlab::server::apple
