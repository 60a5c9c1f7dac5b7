// The Mac's identity, as macOS installs it from the enrollment profile: the payload the MDM
// payload's IdentityCertificateUUID names — SCEP (com.apple.security.scep: Subject and
// SubjectAltName with profile variables, Keysize, Key Usage, CAFingerprint, Retries and
// RetryDelay) or PKCS#12 (com.apple.security.pkcs12 with its Password).
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "crypto/pkcs12.hpp"
#include "crypto/random.hpp"
#include "simulators/devices/mac/profile_variables.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"
#include "simulators/scep/scep_client.hpp"

namespace mdmlab::simulators::mac {
namespace asio = boost::asio;

namespace {
// Failures worth asking again: the request never got an answer, or the server answered 5xx
// (overloaded, restarting). A CertRep that says FAILURE, or a 4xx, is an answer.
bool transient(const Error& e) {
  if (e.code.rfind("http_5", 0) == 0) return true;
  static const char* const kTransport[] = {"connect_failed", "send_failed", "receive_failed"};
  for (const char* t : kTransport)
    if (e.code == t) return true;
  return false;
}

std::vector<std::string> expanded(std::vector<std::string> values, const MacIdentity& mac) {
  for (auto& v : values) v = expand_profile_variables(v, mac);
  return values;
}
}  // namespace

asio::awaitable<Result<void>> SimulatedMac::install_identity(const apple::Profile& profile) {
  const auto& mdm = *profile.mdm;
  const auto& uuid = mdm.identity_certificate_uuid;
  for (const auto& p : profile.pkcs12)
    if (p.uuid == uuid || (uuid.empty() && !profile.scep)) {
      identity_source_ = {"com.apple.security.pkcs12", p.uuid, {}, 0};
      co_return install_pkcs12_identity(p);
    }
  if (profile.scep && (uuid.empty() || profile.scep->uuid == uuid)) {
    identity_source_ = {"com.apple.security.scep", profile.scep->uuid, {}, 0};
    auto r = co_await install_scep_identity(*profile.scep);
    co_return r;
  }
  co_return fail_install({"com.apple.mdm", mdm.identifier, "IdentityCertificateUUID",
                          "names neither a SCEP nor a PKCS#12 payload"},
                         make_error("bad_profile", "no identity payload for the MDM payload"));
}

Result<void> SimulatedMac::install_pkcs12_identity(const apple::Pkcs12Payload& payload) {
  if (knobs_.transcript && !payload.password.empty())
    knobs_.transcript->add_secret(payload.password);
  auto opened = crypto::parse_pkcs12(payload.pfx, payload.password);
  if (!opened) {
    const bool password = opened.error().code == crypto::kBadPkcs12Password;
    return fail_install(
        {"com.apple.security.pkcs12", payload.identifier, password ? "Password" : "PayloadContent",
         password ? "the password does not open the identity" : opened.error().message},
        opened.error());
  }
  certificate_ = opened->certificate;
  key_ = opened->key;
  return success();
}

asio::awaitable<Result<void>> SimulatedMac::install_scep_identity(const apple::ScepPayload& scep) {
  auto bad_key = [&](const std::string& key, const std::string& why) {
    return fail_install({"com.apple.security.scep", scep.identifier, key, why},
                        make_error("bad_profile", "SCEP payload " + scep.identifier + ": " + why));
  };
  // The key macOS generates for the payload: Keysize bits (the Mac's own key when it fits).
  if (key_.empty() || key_.type() != crypto::KeyType::rsa || key_.bits() != scep.key_size) {
    auto fresh = crypto::PrivateKey::generate_rsa(static_cast<int>(scep.key_size));
    if (!fresh) co_return bad_key("Keysize", fresh.error().message);
    key_ = std::move(*fresh);
  }
  scep::ScepClientOptions scep_options;
  scep_options.http = client_options();
  // PENDING: CertPoll up to Retries times, RetryDelay apart.
  scep_options.max_polls = static_cast<int>(scep.retries);
  scep_options.poll_interval = std::chrono::seconds(scep.retry_delay);
  if (!scep.ca_fingerprint.empty()) {
    if (scep.ca_fingerprint.size() != 20 && scep.ca_fingerprint.size() != 32)
      co_return bad_key("CAFingerprint", std::to_string(scep.ca_fingerprint.size()) +
                                             " bytes is neither SHA-1 nor SHA-256");
    scep_options.ca_fingerprint = hex_encode(scep.ca_fingerprint);
  }
  scep::ScepClient client(executor_, scep.url, scep_options);
  scep::EnrollRequest req;
  req.key = key_;
  // The Subject as macOS sends it: payload variables expanded (profile_variables.hpp).
  req.subject =
      scep.subject.empty() ? crypto::DistinguishedName{{"CN", identity_.udid}} : scep.subject;
  for (auto& [type, value] : req.subject) value = expand_profile_variables(value, identity_);
  req.alt_names.dns = expanded(scep.alt_names.dns, identity_);
  req.alt_names.rfc822 = expanded(scep.alt_names.rfc822, identity_);
  req.alt_names.uri = expanded(scep.alt_names.uri, identity_);
  req.alt_names.nt_principal = expanded(scep.alt_names.nt_principal, identity_);
  req.key_usage = crypto::key_usage_from_scep(scep.key_usage);
  identity_source_.requested_alt_names = req.alt_names;
  identity_source_.requested_key_usage = req.key_usage;
  req.challenge = scep.challenge;
  if (knobs_.fresh_transaction_id) req.transaction_id = hex_encode(crypto::random_bytes(16), true);
  // A request that failed on the way (no connection, a 5xx) is sent again up to Retries times:
  // the first retry at once, later ones RetryDelay apart, as the payload asks of PENDING.
  auto issued = co_await client.enroll(req);
  for (std::int64_t retry = 0; retry < scep.retries && !issued && transient(issued.error());
       ++retry) {
    scep_retries_++;
    if (retry > 0 && scep.retry_delay > 0) {
      asio::steady_timer timer(executor_, std::chrono::seconds(scep.retry_delay));
      co_await timer.async_wait(asio::use_awaitable);
    }
    issued = co_await client.enroll(req);
  }
  if (auto* log = knobs_.conformance.get()) {
    // A CertRep that arrived was checked against three rules, in this order (scep_client): the
    // ones before a broken one held, the broken one is named, the rest were not reached.
    static const std::vector<std::pair<std::string, std::string>> rules = {
        {scep::kCertRepNotSigned, "scep.certrep.signed"},
        {scep::kCertRepTransactionId, "scep.certrep.transaction-id"},
        {scep::kCertRepNonce, "scep.certrep.recipient-nonce"}};
    const bool reached = issued || std::any_of(rules.begin(), rules.end(), [&](const auto& r) {
                           return r.first == issued.error().code;
                         });
    for (const auto& [code, rule] : rules) {
      if (!reached) break;
      if (!issued && code == issued.error().code) {
        log->violated(rule, identity_.device_name, issued.error().message);
        break;
      }
      log->checked(rule);
    }
  }
  if (!issued && issued.error().code == "ca_mismatch")
    co_return fail_install({"com.apple.security.scep", scep.identifier, "CAFingerprint",
                            "does not match the CA certificate GetCACert returned"},
                           make_error("ca_mismatch", "SCEP payload " + scep.identifier +
                                                         ": CAFingerprint does not match the CA "
                                                         "certificate GetCACert returned"));
  if (!issued)
    co_return fail_install({"com.apple.security.scep", scep.identifier, "URL",
                            "the SCEP request failed: " + issued.error().message},
                           issued.error());
  scep_status_ = std::string(mdmlab::scep::to_string(issued->status));
  scep_fail_info_ =
      issued->fail_info ? std::string(mdmlab::scep::to_string(*issued->fail_info)) : "";
  if (issued->status != mdmlab::scep::PkiStatus::success) {
    std::string why = "SCEP answered " + std::string(mdmlab::scep::to_string(issued->status));
    if (issued->fail_info)
      why += " (" + std::string(mdmlab::scep::to_string(*issued->fail_info)) + ")";
    co_return fail_install({"com.apple.security.scep", scep.identifier, "", why},
                           make_error("scep_failed", why));
  }
  certificate_ = issued->certificate;
  co_return success();
}

}  // namespace mdmlab::simulators::mac
