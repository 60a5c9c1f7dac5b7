// MdmService decorator binding device identity certificates to enrollments (NanoMDM's
// certauth). Certificates bind to the device (the UDID), which its user channels share. The
// identity must chain to a trusted identity CA, be unexpired, be good for TLS
// client authentication (no EKU, or one with clientAuth) and be none of the server's own
// certificates (TLS, SCEP RA). Then, per the policy:
//  - Authenticate binds the certificate to its UDID, replacing the enrollment's previous
//    certificate (which stops working) — unless the certificate is another enrollment's. The
//    binding is stored only once the wrapped service has accepted the message, so a failed
//    Authenticate (a store failure included) never hands a new certificate an enrollment
//    whose previous secrets are still there.
//  - Every other message must come with the enrollment's current certificate: another
//    enrollment's certificate gets 403, a certificate the enrollment does not have gets 401
//    (403 if the enrollment has a different one).
#pragma once

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "crypto/certificate.hpp"
#include "server/apple/mdm_service_decorator.hpp"
#include "server/store/cert_binding_store.hpp"

namespace mdmlab::server::apple {

// NanoMDM's certauth options; all off is the strict default.
struct CertBindingPolicy {
  // One certificate may identify several enrollments (a shared identity on purpose).
  bool allow_duplicate = false;
  // An enrollment with no certificate on record (e.g. after its binding was cleared when
  // devices moved to a new identity CA) binds the certificate of its next message, whatever
  // the message type.
  bool allow_retroactive = false;
  // Violations are logged and counted but let through (to audit a migration first).
  bool warn_only = false;
};
// "allow-duplicate", "allow-retroactive", "warn-only" -> the policy; an unknown name is an
// error naming it.
Result<CertBindingPolicy> parse_cert_binding_policy(const std::vector<std::string>& names);

class CertificateBinding final : public MdmServiceDecorator {
 public:
  // `identity_cas`: the CAs whose certificates may identify devices (ours, plus any external
  // SCEP CA an enrollment profile points devices at). `server_certificates`: ours (TLS, RA),
  // never accepted as a device identity.
  CertificateBinding(MdmService& inner, store::CertBindingStore& store,
                     std::vector<crypto::Certificate> identity_cas,
                     std::vector<crypto::Certificate> server_certificates,
                     std::shared_ptr<Clock> clock, CertBindingPolicy policy = {},
                     metrics::Registry* registry = nullptr);

  boost::asio::awaitable<MdmReply> command_report(
      const MdmRequest& req, const mdmlab::apple::CommandReport& report) override;

 private:
  // Authenticate may bind; every other message must come with the enrollment's certificate.
  boost::asio::awaitable<MdmReply> around(Method method, const MdmRequest& req,
                                          const Checkin& msg) override;
  struct Verdict {
    std::optional<MdmReply> refusal;  // set: answer this instead of calling the wrapped service
    std::string bind;  // a certificate fingerprint to bind once the wrapped service said 200
  };
  boost::asio::awaitable<Verdict> check(const MdmRequest& req, const std::string& udid,
                                        bool authenticate);
  // The wrapped service's reply, after binding the verdict's certificate if it asked for that.
  boost::asio::awaitable<MdmReply> bind_after(const MdmReply& reply, const Verdict& verdict,
                                              const std::string& udid);
  // A policy violation: refused, or (warn-only) logged, counted and let through.
  std::optional<MdmReply> violation(const char* kind, int status, std::string why,
                                    const std::string& udid);
  store::CertBindingStore& store_;
  std::vector<crypto::Certificate> cas_;
  std::vector<std::string> server_fingerprints_;
  std::shared_ptr<Clock> clock_;
  CertBindingPolicy policy_;
  metrics::Family<metrics::Counter>* violations_ = nullptr;
};

}  // namespace mdmlab::server::apple
