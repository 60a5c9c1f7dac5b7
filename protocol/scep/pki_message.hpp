// SCEP pkiMessage: SignedData (signed attributes messageType, transactionID, senderNonce, ...)
// over an EnvelopedData (pkcsPKIEnvelope) over the message content (CSR, IssuerAndSubject,
// or a degenerate certs-only SignedData in a CertRep). RFC 8894 section 3.
//
// Decoding is split from cryptography: decode_pki_message() reads the structure and the signed
// attributes only; verify / open_envelope do the crypto, so parsers stay fuzzable.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/cms.hpp"
#include "protocol/scep/types.hpp"

namespace mdmlab::scep {

inline constexpr std::size_t kNonceSize = 16;

struct PkiMessage {
  MessageType type = MessageType::pkcs_req;
  std::string transaction_id;
  Bytes sender_nonce;
  std::optional<Bytes> recipient_nonce;
  std::optional<PkiStatus> status;    // CertRep only
  std::optional<FailInfo> fail_info;  // CertRep FAILURE only
  std::optional<Bytes> envelope;      // pkcsPKIEnvelope DER (absent on FAILURE/PENDING)
  crypto::Certificate signer;         // from the SignedData's certificates, may be empty
  std::string digest_algorithm;       // e.g. "SHA256", "SHA1"
  crypto::SignedMessage signed_message;
};

// Structure only: no signature check, no decryption.
Result<PkiMessage> decode_pki_message(const Bytes& der);

// Checks the signature with the signer certificate carried in the message (or `signer`).
Result<void> verify_pki_message(const PkiMessage& msg, const crypto::Certificate* signer = nullptr);

// Decrypts the pkcsPKIEnvelope with the recipient's key (CA or RA, or the requester's key).
Result<Bytes> open_envelope(const PkiMessage& msg, const crypto::PrivateKey& key,
                            const crypto::Certificate* cert = nullptr);

struct RequestParams {
  MessageType type = MessageType::pkcs_req;  // PKCSReq, RenewalReq, CertPoll
  std::string transaction_id;
  Bytes sender_nonce;                           // empty: 16 random bytes
  Bytes content;                                // CSR DER, or IssuerAndSubject DER for CertPoll
  std::vector<crypto::Certificate> recipients;  // CA, or RA from the CA-RA chain
  const EVP_CIPHER* cipher = nullptr;           // nullptr: AES-128-CBC
  const EVP_MD* digest = nullptr;               // nullptr: SHA-256
  crypto::Certificate signer;                   // self-signed (PKCSReq) or existing cert (Renewal)
  crypto::PrivateKey signer_key;
};
Result<Bytes> build_request(const RequestParams& params);

struct CertRepParams {
  std::string transaction_id;
  Bytes recipient_nonce;  // the request's senderNonce
  Bytes sender_nonce;     // empty: 16 random bytes
  PkiStatus status = PkiStatus::success;
  FailInfo fail_info = FailInfo::bad_request;
  std::vector<crypto::Certificate> issued;  // SUCCESS: issued cert first, then chain
  crypto::Certificate requester;            // SUCCESS: envelope recipient (request signer)
  const EVP_CIPHER* cipher = nullptr;       // nullptr: AES-128-CBC
  const EVP_MD* digest = nullptr;           // nullptr: SHA-256
  crypto::Certificate signer;               // CA or RA
  crypto::PrivateKey signer_key;
  std::vector<crypto::Certificate> extra_certificates;  // e.g. the CA when an RA signs
};
Result<Bytes> build_cert_rep(const CertRepParams& params);

Bytes random_nonce();
// A transactionID derived from the requester's public key: hex SHA-256 of the SPKI.
std::string transaction_id_for(EVP_PKEY* key);

}  // namespace mdmlab::scep
