#include "simulators/scep/scep_client.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "crypto/ca.hpp"
#include "protocol/scep/issuer_and_subject.hpp"

namespace mdmlab::simulators::scep {
namespace asio = boost::asio;
using mdmlab::scep::MessageType;

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool is_ca_cert(const crypto::Certificate& c) {
  return X509_check_ca(c.get()) > 0;
}
}  // namespace

ScepClient::ScepClient(asio::any_io_executor executor, std::string url, ScepClientOptions options)
    : url_(net::Url::parse(url).value()),
      http_(executor, url_.origin(), options.http),
      options_(std::move(options)) {}

namespace {
std::string operation_target(const net::Url& url, const std::string& operation) {
  const char sep = url.target.find('?') == std::string::npos ? '?' : '&';
  return url.target + sep + "operation=" + operation;
}
}  // namespace

asio::awaitable<Result<Capabilities>> ScepClient::get_ca_caps() {
  auto target = operation_target(url_, "GetCACaps");
  auto res = co_await http_.get(target);
  if (!res) co_return res.error();
  if (res->status != 200)
    co_return make_error("http_" + std::to_string(res->status), "GetCACaps: " + res->body);
  caps_ = Capabilities::parse(res->body);
  co_return *caps_;
}

asio::awaitable<Result<CaCertificates>> ScepClient::get_ca_cert() {
  auto target = operation_target(url_, "GetCACert");
  auto res = co_await http_.get(target);
  if (!res) co_return res.error();
  if (res->status != 200)
    co_return make_error("http_" + std::to_string(res->status), "GetCACert: " + res->body);
  auto type = lower(res->header("Content-Type"));
  CaCertificates out;
  if (type.rfind(mdmlab::scep::content_type::ca_ra_cert, 0) == 0) {
    auto certs = crypto::parse_degenerate_pkcs7(to_bytes(res->body));
    if (!certs) co_return certs.error();
    out.all = *certs;
  } else {
    auto cert = crypto::Certificate::from_der(to_bytes(res->body));
    if (!cert) cert = crypto::Certificate::from_pem(res->body);
    if (!cert) co_return make_error("bad_ca_cert", "GetCACert answer is not a certificate");
    out.all = {*cert};
  }
  for (const auto& c : out.all) {
    if (c.self_signed()) out.ca = c;
  }
  if (out.ca.empty()) out.ca = out.all.back();
  for (const auto& c : out.all) {
    if (!(c == out.ca) && !is_ca_cert(c)) {
      out.ra = c;
      break;
    }
  }
  if (!options_.ca_fingerprint.empty()) {
    // SHA-1 (40 hex digits) or SHA-256 of a certificate of the answer (the CA, or an RA's
    // issuer when the chain holds it).
    const auto want = lower(options_.ca_fingerprint);
    bool found = false;
    for (const auto& c : out.all)
      found = found || lower(want.size() == 40 ? c.sha1_hex() : c.sha256_hex()) == want;
    if (!found)
      co_return make_error("ca_mismatch",
                           "no certificate of the GetCACert answer has the pinned fingerprint");
  }
  ca_ = out;
  co_return out;
}

asio::awaitable<Result<void>> ScepClient::ensure_server_info() {
  if (!ca_) {
    auto ca = co_await get_ca_cert();
    if (!ca) co_return ca.error();
  }
  if (!caps_) {
    auto caps = co_await get_ca_caps();
    if (!caps) caps_ = Capabilities{};  // servers without GetCACaps get the defaults
  }
  co_return success();
}

const EVP_CIPHER* ScepClient::choose_cipher() const {
  if (!options_.cipher.empty()) return crypto::cipher_by_name(options_.cipher);
  if (caps_ && caps_->aes()) return EVP_aes_128_cbc();
  if (caps_ && caps_->has("DES3")) return EVP_des_ede3_cbc();
  return crypto::cipher_by_name("DES-CBC");
}

const EVP_MD* ScepClient::choose_digest() const {
  if (!options_.digest.empty()) return EVP_get_digestbyname(options_.digest.c_str());
  if (caps_ && caps_->sha256()) return EVP_sha256();
  if (caps_ && caps_->has("SHA-512")) return EVP_sha512();
  return EVP_sha1();
}

asio::awaitable<Result<net::HttpResponse>> ScepClient::send_pki_message(const Bytes& message) {
  auto caps_ok = co_await ensure_server_info();
  if (!caps_ok) co_return caps_ok.error();
  if (caps_->post_pki_operation() && !options_.force_get) {
    auto target = operation_target(url_, "PKIOperation");
    auto res =
        co_await http_.post(target, to_string(message), mdmlab::scep::content_type::pki_message);
    co_return res;
  }
  auto target = operation_target(url_, "PKIOperation") +
                "&message=" + net::percent_encode(base64_encode(message));
  auto res = co_await http_.get(target);
  co_return res;
}

Result<EnrollResult> ScepClient::read_cert_rep(const net::HttpResponse& response,
                                               const std::string& transaction_id,
                                               const Bytes& sender_nonce,
                                               const crypto::PrivateKey& key,
                                               const crypto::Certificate& signer,
                                               const crypto::PrivateKey& signer_key) {
  if (response.status != 200)
    return make_error("http_" + std::to_string(response.status), "PKIOperation: " + response.body);
  auto msg = mdmlab::scep::decode_pki_message(to_bytes(response.body));
  if (!msg) return msg.error();
  if (msg->type != MessageType::cert_rep) return make_error("bad_reply", "reply is not a CertRep");
  if (auto v = mdmlab::scep::verify_pki_message(*msg, &ca_->recipient()); !v)
    return make_error(kCertRepNotSigned,
                      "CertRep is not signed by the CA/RA: " + v.error().message);
  if (msg->transaction_id != transaction_id)
    return make_error(kCertRepTransactionId, "CertRep transactionID differs from the request's");
  if (!msg->recipient_nonce || *msg->recipient_nonce != sender_nonce)
    return make_error(kCertRepNonce, "CertRep recipientNonce does not echo our senderNonce");
  EnrollResult out;
  out.status = *msg->status;
  out.fail_info = msg->fail_info;
  out.transaction_id = transaction_id;
  out.signer = signer;
  if (out.status != PkiStatus::success) return out;
  // The reply is encrypted to the certificate that signed the request (the old one on renewal).
  auto inner = mdmlab::scep::open_envelope(*msg, signer_key, &signer);
  if (!inner)
    return make_error("bad_reply", "cannot decrypt CertRep envelope: " + inner.error().message);
  auto certs = crypto::parse_degenerate_pkcs7(*inner);
  if (!certs) return certs.error();
  out.returned = *certs;
  for (const auto& c : out.returned) {
    if (crypto::same_public_key(c.public_key(), key.get())) {
      out.certificate = c;
      break;
    }
  }
  if (out.certificate.empty())
    return make_error("bad_reply", "no returned certificate matches our key");
  return out;
}

asio::awaitable<Result<EnrollResult>> ScepClient::enroll(EnrollRequest request) {
  auto info = co_await ensure_server_info();
  if (!info) co_return info.error();
  const EVP_MD* digest = choose_digest();
  const EVP_CIPHER* cipher = choose_cipher();
  if (!digest || !cipher) co_return make_error("bad_alg", "requested algorithm is not available");

  crypto::CsrOptions csr_options;
  csr_options.subject = request.subject;
  csr_options.challenge_password = request.challenge;
  csr_options.alt_names = request.alt_names;
  csr_options.key_usage = request.key_usage;
  csr_options.digest = digest;
  auto csr = crypto::Csr::build(request.key, csr_options);
  if (!csr) co_return csr.error();
  mdmlab::scep::RequestParams p;
  if (request.renew_with) {
    p.type = MessageType::renewal_req;
    p.signer = *request.renew_with;
    p.signer_key = request.renew_key.empty() ? request.key : request.renew_key;
  } else {
    p.type = MessageType::pkcs_req;
    auto self =
        crypto::make_self_signed(request.key, request.subject, std::chrono::system_clock::now(),
                                 std::chrono::hours(1), digest);
    if (!self) co_return self.error();
    p.signer = *self;
    p.signer_key = request.key;
  }
  // PKCSReq: the key's fingerprint (RFC 8894 suggests a hash of the public key). RenewalReq may
  // keep the key, so it takes a fresh random id: the same id would replay the first answer.
  p.transaction_id = request.transaction_id;
  if (p.transaction_id.empty()) {
    p.transaction_id = request.renew_with ? hex_encode(mdmlab::scep::random_nonce())
                                          : mdmlab::scep::transaction_id_for(request.key.get());
  }
  p.sender_nonce = mdmlab::scep::random_nonce();
  p.content = csr->to_der();
  p.recipients = {ca_->recipient()};
  p.cipher = cipher;
  p.digest = digest;
  auto der = mdmlab::scep::build_request(p);
  if (!der) co_return der.error();
  auto res = co_await send_pki_message(*der);
  if (!res) co_return res.error();
  auto result =
      read_cert_rep(*res, p.transaction_id, p.sender_nonce, request.key, p.signer, p.signer_key);
  while (result && result->status == PkiStatus::pending && result->polls < options_.max_polls) {
    // The executor first: GCC 12 mishandles temporaries in a co_await expression.
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor, options_.poll_interval);
    co_await timer.async_wait(asio::use_awaitable);
    int polls = result->polls + 1;
    auto polled = co_await poll(*result, request.key, request.subject);
    result = std::move(polled);
    if (result) result->polls = polls;
  }
  co_return result;
}

asio::awaitable<Result<EnrollResult>> ScepClient::poll(const EnrollResult& pending,
                                                       const crypto::PrivateKey& key,
                                                       const crypto::DistinguishedName& subject) {
  auto info = co_await ensure_server_info();
  if (!info) co_return info.error();
  auto subject_name = crypto::make_x509_name(subject);
  if (!subject_name) co_return subject_name.error();
  mdmlab::scep::RequestParams p;
  p.type = MessageType::cert_poll;
  p.transaction_id = pending.transaction_id;
  p.sender_nonce = mdmlab::scep::random_nonce();
  p.content = mdmlab::scep::encode_issuer_and_subject(X509_get_subject_name(ca_->ca.get()),
                                                      subject_name->get());
  p.recipients = {ca_->recipient()};
  p.cipher = choose_cipher();
  p.digest = choose_digest();
  p.signer = pending.signer;
  p.signer_key = key;
  auto der = mdmlab::scep::build_request(p);
  if (!der) co_return der.error();
  auto res = co_await send_pki_message(*der);
  if (!res) co_return res.error();
  co_return read_cert_rep(*res, p.transaction_id, p.sender_nonce, key, p.signer, p.signer_key);
}

}  // namespace mdmlab::simulators::scep
