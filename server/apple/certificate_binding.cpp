#include "server/apple/certificate_binding.hpp"

#include <algorithm>

#include "core/log/log.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;

Result<CertBindingPolicy> parse_cert_binding_policy(const std::vector<std::string>& names) {
  CertBindingPolicy p;
  for (const auto& n : names) {
    if (n == "strict") continue;
    if (n == "allow-duplicate")
      p.allow_duplicate = true;
    else if (n == "allow-retroactive")
      p.allow_retroactive = true;
    else if (n == "warn-only")
      p.warn_only = true;
    else
      return make_error("bad_policy", "unknown certificate binding option '" + n +
                                          "' (strict, allow-duplicate, allow-retroactive, "
                                          "warn-only)");
  }
  return p;
}

CertificateBinding::CertificateBinding(MdmService& inner, store::CertBindingStore& store,
                                       std::vector<crypto::Certificate> identity_cas,
                                       std::vector<crypto::Certificate> server_certificates,
                                       std::shared_ptr<Clock> clock, CertBindingPolicy policy,
                                       metrics::Registry* registry)
    : MdmServiceDecorator(inner),
      store_(store),
      cas_(std::move(identity_cas)),
      clock_(std::move(clock)),
      policy_(policy) {
  for (const auto& c : server_certificates)
    if (!c.empty()) server_fingerprints_.push_back(c.sha256_hex());
  if (registry)
    violations_ = &registry->counter(
        "mdmlab_apple_cert_binding_violations_total",
        "Device identity certificates that broke the binding rules, by kind and by whether "
        "they were refused or (warn-only) let through",
        {"kind", "action"});
}

std::optional<MdmReply> CertificateBinding::violation(const char* kind, int status, std::string why,
                                                      const std::string& udid) {
  if (violations_) violations_->with({kind, policy_.warn_only ? "allowed" : "refused"}).inc();
  if (policy_.warn_only) {
    log::warn("apple", "certificate binding ({}) for {}: {}; allowed (warn-only)", kind, udid, why);
    return std::nullopt;
  }
  log::warn("apple", "certificate binding ({}) for {}: {}", kind, udid, why);
  return MdmReply::fail(status, std::move(why));
}

asio::awaitable<CertificateBinding::Verdict> CertificateBinding::check(const MdmRequest& req,
                                                                       const std::string& udid,
                                                                       bool authenticate) {
  if (!req.identity)
    co_return Verdict{
        MdmReply::fail(401, "no device identity (client certificate or Mdm-Signature)")};
  const auto& cert = *req.identity;
  auto now = clock_->now();
  // Purpose and provenance are never waived, not even in warn-only mode.
  if (!crypto::verify_chain(cert, cas_, {}, now, crypto::ChainPurpose::tls_client).ok())
    co_return Verdict{MdmReply::fail(
        401, "device identity is not a valid client certificate from a trusted identity CA")};
  auto fingerprint = cert.sha256_hex();
  if (std::find(server_fingerprints_.begin(), server_fingerprints_.end(), fingerprint) !=
      server_fingerprints_.end())
    co_return Verdict{MdmReply::fail(401, "the server's own certificate is not a device identity")};

  auto found_holders = co_await store_.certificate_enrollments(fingerprint);
  if (!found_holders) co_return Verdict{MdmReply::unavailable()};
  const auto& holders = *found_holders;
  const bool ours = std::find(holders.begin(), holders.end(), udid) != holders.end();
  const bool elsewhere = holders.size() > (ours ? 1u : 0u);
  if (elsewhere && !policy_.allow_duplicate) {
    if (auto refused =
            violation("another_device", 403, "certificate belongs to another device", udid))
      co_return Verdict{std::move(refused)};
  }
  if (ours) co_return Verdict{};
  // A (re-)enrollment: this certificate becomes the enrollment's identity; any previous one
  // stops working. Authenticate also clears the enrollment's secrets (AppleMdmService).
  if (authenticate) co_return Verdict{std::nullopt, fingerprint};
  auto found_current = co_await store_.enrollment_certificate(udid);
  if (!found_current) co_return Verdict{MdmReply::unavailable()};
  if (!*found_current) {
    if (policy_.allow_retroactive) {
      log::info("apple", "binding certificate {} to {} retroactively", cert.serial_hex(), udid);
      co_return Verdict{std::nullopt, fingerprint};
    }
    co_return Verdict{violation("unbound", 401,
                                "certificate is not bound to this enrollment; send Authenticate "
                                "first",
                                udid)};
  }
  co_return Verdict{violation("not_current", 403,
                              "certificate is not this enrollment's current identity (it "
                              "re-enrolled with another)",
                              udid)};
}

asio::awaitable<MdmReply> CertificateBinding::bind_after(const MdmReply& reply,
                                                         const Verdict& verdict,
                                                         const std::string& udid) {
  if (verdict.bind.empty() || reply.status != 200) co_return reply;
  const auto now = clock_->now();
  auto bound = co_await store_.bind_certificate(verdict.bind, udid, now);
  if (!bound) co_return MdmReply::unavailable();
  co_return reply;
}

// Each check-in: the binding check, then the wrapped service, then (Authenticate, or a
// retroactive binding) the binding.
asio::awaitable<MdmReply> CertificateBinding::around(Method method, const MdmRequest& req,
                                                     const Checkin& msg) {
  const bool authenticate = method == &MdmService::authenticate;
  auto verdict = co_await check(req, msg.udid, authenticate);
  if (verdict.refusal) co_return *verdict.refusal;
  auto reply = co_await (inner_.*method)(req, msg);
  auto answer = co_await bind_after(reply, verdict, msg.udid);
  co_return answer;
}

asio::awaitable<MdmReply> CertificateBinding::command_report(
    const MdmRequest& req, const mdmlab::apple::CommandReport& report) {
  auto verdict = co_await check(req, report.udid, false);
  if (verdict.refusal) co_return *verdict.refusal;
  auto reply = co_await inner_.command_report(req, report);
  auto answer = co_await bind_after(reply, verdict, report.udid);
  co_return answer;
}

}  // namespace mdmlab::server::apple
