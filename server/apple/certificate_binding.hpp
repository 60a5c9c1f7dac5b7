// MdmService decorator binding device identity certificates to enrollments (NanoMDM's
// certauth): the identity must chain to our CA and be unexpired; Authenticate binds an
// unbound certificate to its UDID; afterwards the certificate never acts for another UDID
// (403), and a message from an unbound certificate is refused (401).
#pragma once

#include "core/clock/clock.hpp"
#include "crypto/certificate.hpp"
#include "server/apple/mdm_service.hpp"
#include "server/store/apple_store.hpp"

namespace mdmlab::server::apple {

class CertificateBinding final : public MdmService {
 public:
  // `identity_cas`: the CAs whose certificates may identify devices (ours, plus any external
  // SCEP CA an enrollment profile points devices at).
  CertificateBinding(MdmService& inner, store::AppleStore& store,
                     std::vector<crypto::Certificate> identity_cas, std::shared_ptr<Clock> clock)
      : inner_(inner), store_(store), cas_(std::move(identity_cas)), clock_(std::move(clock)) {}

  boost::asio::awaitable<MdmReply> checkin(const MdmRequest& req,
                                           const mdmlab::apple::Checkin& msg) override;
  boost::asio::awaitable<MdmReply> command_report(
      const MdmRequest& req, const mdmlab::apple::CommandReport& report) override;

 private:
  // nullopt: allowed; otherwise the refusal.
  boost::asio::awaitable<std::optional<MdmReply>> check(const MdmRequest& req,
                                                        const std::string& udid, bool may_bind);
  MdmService& inner_;
  store::AppleStore& store_;
  std::vector<crypto::Certificate> cas_;
  std::shared_ptr<Clock> clock_;
};

}  // namespace mdmlab::server::apple
