#include "server/scep/scep_authority.hpp"

#include <string_view>

#include "core/log/log.hpp"
#include "crypto/secret.hpp"
#include "protocol/scep/issuer_and_subject.hpp"
#include "server/store/store_error.hpp"

namespace mdmlab::server::scep {
namespace asio = boost::asio;
using mdmlab::scep::FailInfo;
using mdmlab::scep::MessageType;
using mdmlab::scep::PkiStatus;
using store::ScepTransactionStatus;

namespace {
bool legacy_digest(const std::string& name) {
  return name == "SHA1";
}
bool modern_digest(const std::string& name) {
  return name == "SHA256" || name == "SHA384" || name == "SHA512" || name == "SHA224";
}
bool legacy_cipher(const std::string& name) {
  return name == "DES-CBC" || name == "DES-EDE3-CBC";
}
bool modern_cipher(const std::string& name) {
  return name == "AES-128-CBC" || name == "AES-192-CBC" || name == "AES-256-CBC";
}
// RFC 8894 3.2.1.1: transactionID is a PrintableString. A CertRep must echo it, so a request
// whose id is not one cannot be answered with a CertRep at all.
bool printable_string(const std::string& s) {
  for (unsigned char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
          std::string_view(" '()+,-./:=?").find(static_cast<char>(c)) != std::string_view::npos))
      return false;
  }
  return true;
}
}  // namespace

struct ScepAuthority::Request {
  mdmlab::scep::PkiMessage msg;
  Bytes inner;
  const EVP_MD* digest = nullptr;      // the request's, for answering in kind
  const EVP_CIPHER* cipher = nullptr;  // the request's
};

ScepAuthority::ScepAuthority(crypto::CertificateAuthority ca, ScepAuthorityConfig config,
                             store::ScepStore& store, std::shared_ptr<Clock> clock)
    : ca_(std::move(ca)), config_(std::move(config)), store_(store), clock_(std::move(clock)) {}

const crypto::Certificate& ScepAuthority::signer_certificate() const {
  return config_.ra ? config_.ra->certificate : ca_.certificate();
}
const crypto::PrivateKey& ScepAuthority::signer_key() const {
  return config_.ra ? config_.ra->key : ca_.key();
}

std::string ScepAuthority::ca_caps() {
  std::vector<std::string> caps{"POSTPKIOperation", "SHA-256", "SHA-512", "AES",
                                "SCEPStandard",     "Renewal"};
  if (config_.allow_legacy_algorithms) {
    caps.push_back("SHA-1");
    caps.push_back("DES3");
  }
  return mdmlab::scep::Capabilities(caps).to_text();
}

CaCertReply ScepAuthority::ca_cert() {
  if (config_.ra) {
    return {mdmlab::scep::content_type::ca_ra_cert,
            crypto::degenerate_pkcs7({config_.ra->certificate, ca_.certificate()})};
  }
  return {mdmlab::scep::content_type::ca_cert, ca_.certificate().to_der()};
}

PkiReply ScepAuthority::reply(const Request& req, PkiStatus status, FailInfo fail,
                              std::optional<crypto::Certificate> issued) {
  mdmlab::scep::CertRepParams p;
  p.transaction_id = req.msg.transaction_id;
  p.recipient_nonce = req.msg.sender_nonce;
  p.status = status;
  p.fail_info = fail;
  if (issued) p.issued = {*issued};
  p.requester = req.msg.signer;
  p.cipher = req.cipher;
  p.digest = req.digest;
  p.signer = signer_certificate();
  p.signer_key = signer_key();
  if (config_.ra) p.extra_certificates = {ca_.certificate()};
  PkiReply out;
  out.message_type = std::string(mdmlab::scep::to_string(req.msg.type));
  auto der = mdmlab::scep::build_cert_rep(p);
  if (!der) {
    log::error("scep", "cannot build CertRep for transaction {}: {}", req.msg.transaction_id,
               der.error().message);
    out.http_status = 500;
    out.error = "cannot build CertRep";
    return out;
  }
  out.cert_rep = std::move(*der);
  out.status = status;
  if (status == PkiStatus::failure) out.fail_info = fail;
  return out;
}

PkiReply ScepAuthority::unavailable(const Request& req) {
  PkiReply out;
  out.message_type = std::string(mdmlab::scep::to_string(req.msg.type));
  out.http_status = 503;
  out.error = "service unavailable, try again later";
  out.retry_after = store::kRetryAfterSeconds;
  return out;
}

asio::awaitable<PkiReply> ScepAuthority::pki_operation(Bytes message) {
  auto decoded = mdmlab::scep::decode_pki_message(message);
  if (!decoded) {
    PkiReply r;
    r.http_status = 400;
    r.error = decoded.error().message;
    r.message_type = "unknown";
    co_return r;
  }
  if (!printable_string(decoded->transaction_id)) {
    PkiReply r;
    r.http_status = 400;
    r.error = "transactionID is not a PrintableString";
    r.message_type = std::string(mdmlab::scep::to_string(decoded->type));
    co_return r;
  }
  Request req{std::move(*decoded), {}, nullptr, nullptr};
  auto& msg = req.msg;

  if (msg.type != MessageType::pkcs_req && msg.type != MessageType::renewal_req &&
      msg.type != MessageType::cert_poll) {
    co_return reply(req, PkiStatus::failure, FailInfo::bad_request);
  }
  const bool digest_ok = modern_digest(msg.digest_algorithm) ||
                         (config_.allow_legacy_algorithms && legacy_digest(msg.digest_algorithm));
  if (!digest_ok) co_return reply(req, PkiStatus::failure, FailInfo::bad_alg);
  req.digest = EVP_get_digestbyname(msg.digest_algorithm.c_str());

  if (msg.signer.empty() || !mdmlab::scep::verify_pki_message(msg).ok()) {
    log::warn("scep", "transaction {}: signature check failed", msg.transaction_id);
    co_return reply(req, PkiStatus::failure, FailInfo::bad_message_check);
  }
  auto cipher_name = crypto::cms_envelope_cipher(*msg.envelope);
  if (!cipher_name) co_return reply(req, PkiStatus::failure, FailInfo::bad_message_check);
  const bool cipher_ok = modern_cipher(*cipher_name) ||
                         (config_.allow_legacy_algorithms && legacy_cipher(*cipher_name));
  req.cipher = cipher_ok ? crypto::cipher_by_name(*cipher_name) : nullptr;
  if (!req.cipher) co_return reply(req, PkiStatus::failure, FailInfo::bad_alg);

  auto inner = mdmlab::scep::open_envelope(msg, signer_key(), &signer_certificate());
  if (!inner) {
    log::warn("scep", "transaction {}: cannot decrypt pkcsPKIEnvelope", msg.transaction_id);
    co_return reply(req, PkiStatus::failure, FailInfo::bad_message_check);
  }
  req.inner = std::move(*inner);
  if (msg.type == MessageType::cert_poll) co_return co_await handle_poll(req);
  co_return co_await handle_enrollment(req);
}

Result<store::IssuedCertificate> ScepAuthority::issue(const crypto::Csr& csr,
                                                      const std::string& transaction_id,
                                                      crypto::Certificate* certificate) {
  auto now = clock_->now();
  auto cert = ca_.issue(csr, config_.issue, now);
  if (!cert) return cert.error();
  store::IssuedCertificate out;
  out.serial = cert->serial_hex();
  out.subject = cert->subject();
  out.transaction_id = transaction_id;
  out.der = cert->to_der();
  out.not_before = cert->not_before();
  out.not_after = cert->not_after();
  out.issued_at = now;
  if (certificate) *certificate = std::move(*cert);
  return out;
}

asio::awaitable<PkiReply> ScepAuthority::answer_for(Request& req,
                                                    const store::ScepTransaction& tx) {
  switch (tx.status) {
    case ScepTransactionStatus::pending:
      co_return reply(req, PkiStatus::pending);
    case ScepTransactionStatus::rejected:
      co_return reply(req, PkiStatus::failure, FailInfo::bad_request);
    case ScepTransactionStatus::issued:
      break;
  }
  auto found = co_await store_.find_certificate(tx.certificate_serial);
  if (!found) co_return unavailable(req);
  const auto& stored = *found;
  auto cert = stored ? crypto::Certificate::from_der(stored->der) : Result<crypto::Certificate>();
  if (!cert) {
    log::error("scep", "transaction {} is issued but its certificate is missing",
               tx.transaction_id);
    co_return reply(req, PkiStatus::failure, FailInfo::bad_cert_id);
  }
  co_return reply(req, PkiStatus::success, FailInfo::bad_request, *cert);
}

asio::awaitable<PkiReply> ScepAuthority::handle_enrollment(Request& req) {
  const auto& msg = req.msg;
  auto csr = crypto::Csr::from_der(req.inner);
  if (!csr) co_return reply(req, PkiStatus::failure, FailInfo::bad_request);
  if (!csr->signature_valid())
    co_return reply(req, PkiStatus::failure, FailInfo::bad_message_check);
  auto fingerprint = crypto::spki_fingerprint(X509_REQ_get_X509_PUBKEY(csr->get()));

  // A resent request (same transactionID, same key) gets the same answer, not an error.
  auto found = co_await store_.find_transaction(msg.transaction_id);
  if (!found) co_return unavailable(req);
  const auto& existing = *found;
  const auto message_type = std::string(mdmlab::scep::to_string(msg.type));
  // A RenewalReq may reuse the transactionID of its own finished PKCSReq (micromdm's client
  // derives the id from the key): that is a new transaction, not a resend.
  const bool renewal_after_enrollment = existing && existing->message_type != message_type &&
                                        existing->status != ScepTransactionStatus::pending;
  if (existing && !renewal_after_enrollment) {
    if (existing->key_fingerprint != fingerprint) {
      log::warn("scep", "transaction {} reused with another key", msg.transaction_id);
      co_return reply(req, PkiStatus::failure, FailInfo::bad_request);
    }
    co_return co_await answer_for(req, *existing);
  }

  const auto now = clock_->now();
  if (msg.type == MessageType::pkcs_req) {
    // PKCSReq is signed with a self-signed certificate of the CSR's own key.
    if (!crypto::same_public_key(msg.signer.public_key(), csr->public_key())) {
      log::warn("scep", "transaction {}: signer key differs from the CSR key", msg.transaction_id);
      co_return reply(req, PkiStatus::failure, FailInfo::bad_message_check);
    }
    if (!config_.challenge.empty() &&
        !crypto::constant_time_equals(csr->challenge_password(), config_.challenge)) {
      log::warn("scep", "transaction {}: wrong or missing challenge password", msg.transaction_id);
      co_return reply(req, PkiStatus::failure, FailInfo::bad_request);
    }
  } else {
    // RenewalReq is signed with a certificate we issued, still valid.
    const auto& signer = msg.signer;
    // (Each co_await stands alone in its statement, with named arguments: GCC 12 mishandles
    // temporaries otherwise.)
    const auto serial = signer.serial_hex();
    auto known = co_await store_.find_certificate(serial);
    if (!known) co_return unavailable(req);
    if (!signer.signed_by(ca_.certificate()) || !*known) {
      log::warn("scep", "transaction {}: renewal signer {} was not issued by this CA",
                msg.transaction_id, signer.subject());
      co_return reply(req, PkiStatus::failure, FailInfo::bad_request);
    }
    if (!signer.valid_at(now)) {
      log::warn("scep", "transaction {}: renewal signer {} has expired", msg.transaction_id,
                signer.serial_hex());
      co_return reply(req, PkiStatus::failure, FailInfo::bad_request);
    }
  }

  store::ScepTransaction tx;
  tx.transaction_id = msg.transaction_id;
  tx.key_fingerprint = fingerprint;
  tx.message_type = message_type;
  tx.subject = csr->subject();
  tx.csr_der = req.inner;
  tx.created_at = tx.updated_at = now;
  std::optional<store::IssuedCertificate> cert;
  crypto::Certificate issued_certificate;
  if (config_.manual_approval && msg.type == MessageType::pkcs_req) {
    tx.status = ScepTransactionStatus::pending;
    log::info("scep", "transaction {} for {} is pending approval", tx.transaction_id, tx.subject);
  } else {
    auto issued = issue(*csr, tx.transaction_id, &issued_certificate);
    if (!issued) {
      log::error("scep", "cannot issue for {}: {}", tx.subject, issued.error().message);
      co_return reply(req, PkiStatus::failure, FailInfo::bad_request);
    }
    tx.status = ScepTransactionStatus::issued;
    tx.certificate_serial = issued->serial;
    cert = std::move(*issued);
  }
  // Issued but not stored (the store failed): the certificate is never handed out, and the
  // client's retry issues afresh.
  auto inserted = co_await store_.insert_transaction(tx, cert, renewal_after_enrollment);
  if (!inserted) co_return unavailable(req);
  const auto& stored = *inserted;
  if (stored.status == ScepTransactionStatus::issued && cert &&
      stored.certificate_serial == cert->serial) {
    log::info("scep", "issued {} to {} ({})", cert->serial, cert->subject, tx.message_type);
    // Our certificate is the one stored: answer with it instead of reading it back.
    co_return reply(req, PkiStatus::success, FailInfo::bad_request, issued_certificate);
  }
  co_return co_await answer_for(req, stored);
}

asio::awaitable<PkiReply> ScepAuthority::handle_poll(Request& req) {
  const auto& msg = req.msg;
  if (!mdmlab::scep::decode_issuer_and_subject(req.inner))
    co_return reply(req, PkiStatus::failure, FailInfo::bad_request);
  auto found = co_await store_.find_transaction(msg.transaction_id);
  if (!found) co_return unavailable(req);
  const auto& tx = *found;
  if (!tx) co_return reply(req, PkiStatus::failure, FailInfo::bad_cert_id);
  // Only the requester's key may poll its transaction.
  if (crypto::spki_fingerprint(X509_get_X509_PUBKEY(msg.signer.get())) != tx->key_fingerprint)
    co_return reply(req, PkiStatus::failure, FailInfo::bad_request);
  co_return co_await answer_for(req, *tx);
}

asio::awaitable<Result<bool>> ScepAuthority::approve(std::string transaction_id) {
  auto found = co_await store_.find_transaction(transaction_id);
  if (!found) co_return found.error();
  const auto& tx = *found;
  if (!tx || tx->status != ScepTransactionStatus::pending) co_return false;
  auto csr = crypto::Csr::from_der(tx->csr_der);
  if (!csr) co_return csr.error();
  auto issued = issue(*csr, transaction_id);
  if (!issued) co_return issued.error();
  const auto now = clock_->now();
  std::optional<store::IssuedCertificate> certificate = *issued;
  auto decided = co_await store_.decide_transaction(transaction_id, ScepTransactionStatus::issued,
                                                    certificate, now);
  if (decided && *decided)
    log::info("scep", "approved transaction {}: issued {}", transaction_id, issued->serial);
  co_return decided;
}

asio::awaitable<Result<bool>> ScepAuthority::reject(std::string transaction_id) {
  const auto now = clock_->now();
  const std::optional<store::IssuedCertificate> no_certificate;
  auto decided = co_await store_.decide_transaction(transaction_id, ScepTransactionStatus::rejected,
                                                    no_certificate, now);
  if (decided && *decided) log::info("scep", "rejected transaction {}", transaction_id);
  co_return decided;
}

}  // namespace mdmlab::server::scep
