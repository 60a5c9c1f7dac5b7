// The SCEP authority: checks, decrypts and answers pkiMessages, issues certificates from our CA
// (optionally via an RA identity), keeps transactions for idempotent replies, manual approval
// and CertPoll.
#pragma once

#include <memory>
#include <optional>
#include <set>

#include "core/clock/clock.hpp"
#include "crypto/ca.hpp"
#include "protocol/scep/capabilities.hpp"
#include "protocol/scep/pki_message.hpp"
#include "server/scep/scep_service.hpp"
#include "server/store/scep_store.hpp"

namespace mdmlab::server::scep {

struct RaIdentity {
  crypto::Certificate certificate;  // issued by the CA; encrypts-to and signs
  crypto::PrivateKey key;
};

struct ScepAuthorityConfig {
  std::string challenge;         // required challengePassword; empty: none required
  bool manual_approval = false;  // PKCSReq goes PENDING until approved
  // Accept DES/3DES envelopes and SHA-1 signatures from old clients (answered in kind).
  bool allow_legacy_algorithms = true;
  // The requested subjectAltName is copied into the certificate, as other SCEP servers do
  // (micromdm's scepserver copies DNS, email and URI names): the SCEP payload's SubjectAltName.
  crypto::IssueOptions issue = [] {
    crypto::IssueOptions o;
    o.honour_requested_alt_names = true;
    return o;
  }();
  std::optional<RaIdentity> ra;
};

class ScepAuthority final : public ScepService {
 public:
  ScepAuthority(crypto::CertificateAuthority ca, ScepAuthorityConfig config,
                store::ScepStore& store, std::shared_ptr<Clock> clock);

  std::string ca_caps() override;
  CaCertReply ca_cert() override;
  boost::asio::awaitable<PkiReply> pki_operation(Bytes message) override;

  // Manual approval. False if the transaction is unknown or not pending; an error if the
  // certificate cannot be issued or the store is unavailable (store::kStoreUnavailable).
  boost::asio::awaitable<Result<bool>> approve(std::string transaction_id);
  boost::asio::awaitable<Result<bool>> reject(std::string transaction_id);

  const crypto::CertificateAuthority& ca() const { return ca_; }
  const ScepAuthorityConfig& config() const { return config_; }

 private:
  struct Request;  // one decoded, verified and decrypted pkiMessage
  boost::asio::awaitable<PkiReply> handle(Request& req);
  boost::asio::awaitable<PkiReply> handle_enrollment(Request& req);
  boost::asio::awaitable<PkiReply> handle_poll(Request& req);
  PkiReply reply(const Request& req, mdmlab::scep::PkiStatus status,
                 mdmlab::scep::FailInfo fail = mdmlab::scep::FailInfo::bad_request,
                 std::optional<crypto::Certificate> issued = std::nullopt);
  // The store failed: HTTP 503 with Retry-After instead of a CertRep.
  static PkiReply unavailable(const Request& req);
  // `certificate`, if given, receives the issued certificate itself (saves re-reading it).
  Result<store::IssuedCertificate> issue(const crypto::Csr& csr, const std::string& transaction_id,
                                         crypto::Certificate* certificate = nullptr);
  boost::asio::awaitable<PkiReply> answer_for(Request& req, const store::ScepTransaction& tx);

  const crypto::Certificate& signer_certificate() const;
  const crypto::PrivateKey& signer_key() const;

  crypto::CertificateAuthority ca_;
  ScepAuthorityConfig config_;
  store::ScepStore& store_;
  std::shared_ptr<Clock> clock_;
};

}  // namespace mdmlab::server::scep
