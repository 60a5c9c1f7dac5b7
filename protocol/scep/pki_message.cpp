#include "protocol/scep/pki_message.hpp"

#include "crypto/random.hpp"

#include <cctype>
#include <charconv>

namespace mdmlab::scep {
namespace {
using crypto::SignedAttribute;

std::optional<int> parse_int(const Bytes& b) {
  int v = 0;
  auto first = reinterpret_cast<const char*>(b.data());
  auto [ptr, ec] = std::from_chars(first, first + b.size(), v);
  if (ec != std::errc() || ptr != first + b.size() || b.empty()) return std::nullopt;
  return v;
}

SignedAttribute printable(const char* oid, const std::string& value) {
  return {oid, SignedAttribute::Kind::printable_string, to_bytes(value)};
}

SignedAttribute octets(const char* oid, const Bytes& value) {
  return {oid, SignedAttribute::Kind::octet_string, value};
}

bool printable_string_ok(const std::string& s) {
  // PrintableString alphabet (X.680): letters, digits, space and '()+,-./:=?
  for (unsigned char c : s) {
    if (!(std::isalnum(c) || c == ' ' || c == '\'' || c == '(' || c == ')' || c == '+' ||
          c == ',' || c == '-' || c == '.' || c == '/' || c == ':' || c == '=' || c == '?'))
      return false;
  }
  return true;
}
}  // namespace

Bytes random_nonce() {
  return crypto::random_bytes(kNonceSize);
}

std::string transaction_id_for(EVP_PKEY* key) {
  return crypto::public_key_fingerprint(key);
}

Result<PkiMessage> decode_pki_message(const Bytes& der) {
  auto sm = crypto::SignedMessage::parse(der);
  if (!sm) return sm.error();
  PkiMessage msg;
  msg.signed_message = std::move(*sm);
  const auto& s = msg.signed_message;
  if (s.signer_count() != 1) return make_error("bad_message", "pkiMessage must have one signer");

  auto type_attr = s.attribute(oid::message_type);
  if (!type_attr) return make_error("bad_message", "missing messageType attribute");
  auto type_value = parse_int(*type_attr);
  auto type = type_value ? message_type_from(*type_value) : std::nullopt;
  if (!type) return make_error("bad_message_type", "unknown messageType");
  msg.type = *type;

  auto txid = s.attribute(oid::transaction_id);
  if (!txid || txid->empty()) return make_error("bad_message", "missing transactionID attribute");
  msg.transaction_id = mdmlab::to_string(*txid);
  if (msg.transaction_id.size() > 512) return make_error("bad_message", "transactionID too long");

  auto nonce = s.attribute(oid::sender_nonce);
  if (!nonce) return make_error("bad_message", "missing senderNonce attribute");
  if (nonce->size() != kNonceSize) return make_error("bad_message", "senderNonce is not 16 bytes");
  msg.sender_nonce = *nonce;
  msg.recipient_nonce = s.attribute(oid::recipient_nonce);

  if (msg.type == MessageType::cert_rep) {
    auto status_attr = s.attribute(oid::pki_status);
    auto status_value = status_attr ? parse_int(*status_attr) : std::nullopt;
    if (!status_value || (*status_value != 0 && *status_value != 2 && *status_value != 3))
      return make_error("bad_message", "CertRep without a valid pkiStatus");
    msg.status = static_cast<PkiStatus>(*status_value);
    if (msg.status == PkiStatus::failure) {
      auto fi = s.attribute(oid::fail_info);
      auto fi_value = fi ? parse_int(*fi) : std::nullopt;
      if (!fi_value || *fi_value < 0 || *fi_value > 4)
        return make_error("bad_message", "CertRep FAILURE without a valid failInfo");
      msg.fail_info = static_cast<FailInfo>(*fi_value);
    }
  }
  if (s.content() && !s.content()->empty()) msg.envelope = *s.content();
  if (msg.type != MessageType::cert_rep && !msg.envelope)
    return make_error("bad_message", "request without pkcsPKIEnvelope");
  msg.signer = s.signer_certificate();
  msg.digest_algorithm = s.digest_algorithm();
  return msg;
}

Result<void> verify_pki_message(const PkiMessage& msg, const crypto::Certificate* signer) {
  const crypto::Certificate& cert = signer ? *signer : msg.signer;
  if (cert.empty()) return make_error("bad_signer", "no signer certificate in pkiMessage");
  return msg.signed_message.verify(cert);
}

Result<Bytes> open_envelope(const PkiMessage& msg, const crypto::PrivateKey& key,
                            const crypto::Certificate* cert) {
  if (!msg.envelope) return make_error("bad_message", "pkiMessage has no pkcsPKIEnvelope");
  return crypto::cms_decrypt(*msg.envelope, key, cert);
}

Result<Bytes> build_request(const RequestParams& p) {
  if (p.recipients.empty()) return make_error("bad_request", "no recipient certificate");
  if (!printable_string_ok(p.transaction_id))
    return make_error("bad_request", "transactionID must be a PrintableString");
  const EVP_CIPHER* cipher = p.cipher ? p.cipher : EVP_aes_128_cbc();
  auto envelope = crypto::cms_envelope(p.content, p.recipients, cipher);
  if (!envelope) return envelope.error();
  std::vector<SignedAttribute> attrs{
      printable(oid::message_type, std::to_string(static_cast<int>(p.type))),
      printable(oid::transaction_id, p.transaction_id),
      octets(oid::sender_nonce, p.sender_nonce.empty() ? random_nonce() : p.sender_nonce),
  };
  crypto::SignOptions opts;
  opts.digest = p.digest;
  return crypto::cms_sign(*envelope, p.signer, p.signer_key, attrs, opts);
}

Result<Bytes> build_cert_rep(const CertRepParams& p) {
  if (!printable_string_ok(p.transaction_id))
    return make_error("bad_request", "transactionID must be a PrintableString");
  std::vector<SignedAttribute> attrs{
      printable(oid::message_type, std::to_string(static_cast<int>(MessageType::cert_rep))),
      printable(oid::transaction_id, p.transaction_id),
      printable(oid::pki_status, std::to_string(static_cast<int>(p.status))),
      octets(oid::sender_nonce, p.sender_nonce.empty() ? random_nonce() : p.sender_nonce),
      octets(oid::recipient_nonce, p.recipient_nonce),
  };
  if (p.status == PkiStatus::failure)
    attrs.push_back(printable(oid::fail_info, std::to_string(static_cast<int>(p.fail_info))));

  crypto::SignOptions opts;
  opts.digest = p.digest;
  opts.extra_certificates = p.extra_certificates;
  Bytes content;
  if (p.status == PkiStatus::success) {
    if (p.issued.empty() || p.requester.empty())
      return make_error("bad_request", "SUCCESS needs the issued certificate and the requester");
    auto certs_only = crypto::degenerate_pkcs7(p.issued);
    auto envelope =
        crypto::cms_envelope(certs_only, {p.requester}, p.cipher ? p.cipher : EVP_aes_128_cbc());
    if (!envelope) return envelope.error();
    content = std::move(*envelope);
  } else {
    opts.detached = true;  // FAILURE/PENDING: the pkcsPKIEnvelope is omitted
  }
  return crypto::cms_sign(content, p.signer, p.signer_key, attrs, opts);
}

}  // namespace mdmlab::scep
