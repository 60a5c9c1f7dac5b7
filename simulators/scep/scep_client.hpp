// A SCEP client (RFC 8894) as devices use it: GetCACaps, GetCACert (plain or RA chain),
// PKCSReq with a self-signed signer, RenewalReq with the current certificate, CertPoll while
// PENDING. It checks every CertRep: signed by the CA/RA from GetCACert, same transactionID,
// recipientNonce equal to our senderNonce.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/net/http_client.hpp"
#include "crypto/csr.hpp"
#include "protocol/scep/capabilities.hpp"
#include "protocol/scep/pki_message.hpp"

namespace mdmlab::simulators::scep {

using mdmlab::scep::Capabilities;
using mdmlab::scep::FailInfo;
using mdmlab::scep::PkiStatus;

// Error codes for a CertRep that breaks RFC 8894 (the conformance rules scep.certrep.*).
inline constexpr const char* kCertRepNotSigned = "certrep_not_signed";
inline constexpr const char* kCertRepTransactionId = "certrep_transaction_id";
inline constexpr const char* kCertRepNonce = "certrep_recipient_nonce";

struct CaCertificates {
  std::vector<crypto::Certificate> all;   // as served
  crypto::Certificate ca;                 // the self-signed (or last) certificate
  std::optional<crypto::Certificate> ra;  // set in the RA form
  // Whom requests are encrypted to and whose signature CertReps must carry.
  const crypto::Certificate& recipient() const { return ra ? *ra : ca; }
};

struct ScepClientOptions {
  net::HttpClientOptions http;
  // SHA-1 or SHA-256 hex of the expected CA certificate; empty: trust on first use.
  std::string ca_fingerprint;
  // Algorithm choice: empty means "best the server's caps allow" (AES-128 + SHA-256, else
  // 3DES + SHA-1). Set explicitly to imitate old clients, e.g. "DES-CBC" / "SHA1".
  std::string cipher;
  std::string digest;
  // PKIOperation via POST when caps allow it; force GET with base64 `message` if true.
  bool force_get = false;
  std::chrono::milliseconds poll_interval{500};
  int max_polls = 0;  // CertPoll rounds while PENDING (0: return PENDING at once)
};

struct EnrollRequest {
  crypto::PrivateKey key;             // the key to certify
  crypto::DistinguishedName subject;  // CSR subject
  std::string challenge;              // challengePassword
  crypto::SubjectAltNames alt_names;  // requested subjectAltName
  int key_usage = 0;                  // requested keyUsage bits (crypto/alt_names.hpp); 0: none
  // RenewalReq: sign with this existing certificate and its key instead of a self-signed one.
  std::optional<crypto::Certificate> renew_with;
  crypto::PrivateKey renew_key;
  std::string transaction_id;  // empty: derived from the key
};

struct EnrollResult {
  PkiStatus status = PkiStatus::failure;
  std::optional<FailInfo> fail_info;
  crypto::Certificate certificate;            // SUCCESS: the certificate for our key
  std::vector<crypto::Certificate> returned;  // every certificate in the reply
  std::string transaction_id;
  crypto::Certificate signer;  // the certificate our request was signed with
  int polls = 0;
};

class ScepClient {
 public:
  // `url` is the SCEP endpoint, e.g. http://127.0.0.1:8080/scep
  ScepClient(boost::asio::any_io_executor executor, std::string url,
             ScepClientOptions options = {});

  boost::asio::awaitable<Result<Capabilities>> get_ca_caps();
  boost::asio::awaitable<Result<CaCertificates>> get_ca_cert();
  // PKCSReq (or RenewalReq), then CertPoll while PENDING up to options.max_polls.
  boost::asio::awaitable<Result<EnrollResult>> enroll(EnrollRequest request);
  // One CertPoll for an earlier PENDING transaction.
  boost::asio::awaitable<Result<EnrollResult>> poll(const EnrollResult& pending,
                                                    const crypto::PrivateKey& key,
                                                    const crypto::DistinguishedName& subject);
  // Sends an already built pkiMessage; returns the raw HTTP response (for hostile tests).
  boost::asio::awaitable<Result<net::HttpResponse>> send_pki_message(const Bytes& message);

  const std::optional<Capabilities>& capabilities() const { return caps_; }
  const std::optional<CaCertificates>& ca_certificates() const { return ca_; }

 private:
  boost::asio::awaitable<Result<void>> ensure_server_info();
  const EVP_CIPHER* choose_cipher() const;
  const EVP_MD* choose_digest() const;
  Result<EnrollResult> read_cert_rep(const net::HttpResponse& response,
                                     const std::string& transaction_id, const Bytes& sender_nonce,
                                     const crypto::PrivateKey& key,
                                     const crypto::Certificate& signer,
                                     const crypto::PrivateKey& signer_key);

  net::Url url_;
  net::HttpClient http_;
  ScepClientOptions options_;
  std::optional<Capabilities> caps_;
  std::optional<CaCertificates> ca_;
};

}  // namespace mdmlab::simulators::scep
