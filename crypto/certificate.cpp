#include "crypto/certificate.hpp"

#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <ostream>

namespace mdmlab::crypto {
namespace {
std::string name_string(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  return to_string(bio_bytes(bio.get()));
}

TimePoint asn1_time_point(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string digest_hex(X509* cert, const EVP_MD* md) {
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, md, buf, &n);
  return hex_encode(Bytes(buf, buf + n), true);
}
}  // namespace

Certificate Certificate::borrow(X509* cert) {
  if (cert) X509_up_ref(cert);
  return Certificate(X509Ptr(cert));
}

Certificate& Certificate::operator=(const Certificate& other) {
  if (this != &other) cert_ = std::move(borrow(other.get()).cert_);
  return *this;
}

Result<Certificate> Certificate::from_der(const Bytes& der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) return openssl_error("bad_certificate", "cannot parse DER certificate");
  return Certificate(std::move(cert));
}

Result<Certificate> Certificate::from_pem(const std::string& pem) {
  auto bio = bio_from(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return openssl_error("bad_certificate", "cannot parse PEM certificate");
  return Certificate(std::move(cert));
}

Result<std::vector<Certificate>> Certificate::all_from_pem(const std::string& pem) {
  auto bio = bio_from(pem);
  std::vector<Certificate> out;
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    out.emplace_back(X509Ptr(c));
  }
  ERR_clear_error();  // the loop ends on a "no start line" error
  if (out.empty()) return make_error("bad_certificate", "no PEM certificate found");
  return out;
}

Bytes Certificate::to_der() const {
  unsigned char* out = nullptr;
  int n = i2d_X509(cert_.get(), &out);
  if (n <= 0) return {};
  Bytes der(out, out + n);
  OPENSSL_free(out);
  return der;
}

std::string Certificate::to_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert_.get());
  return to_string(bio_bytes(bio.get()));
}

std::string Certificate::subject() const {
  return name_string(X509_get_subject_name(get()));
}
std::string Certificate::issuer() const {
  return name_string(X509_get_issuer_name(get()));
}

std::string Certificate::common_name() const {
  return subject_field("CN");
}

std::string Certificate::subject_field(std::string_view short_name) const {
  int nid = OBJ_txt2nid(std::string(short_name).c_str());
  if (nid == NID_undef) return {};
  const X509_NAME* name = X509_get_subject_name(get());
  int idx = X509_NAME_get_index_by_NID(name, nid, -1);
  if (idx < 0) return {};
  const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, s);
  if (n < 0) return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

std::string Certificate::serial_hex() const {
  BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(get()), nullptr));
  char* hex = BN_bn2hex(bn.get());
  std::string out(hex);
  OPENSSL_free(hex);
  return out;
}

TimePoint Certificate::not_before() const {
  return asn1_time_point(X509_get0_notBefore(get()));
}
TimePoint Certificate::not_after() const {
  return asn1_time_point(X509_get0_notAfter(get()));
}

bool Certificate::self_signed() const {
  return X509_self_signed(get(), 1) == 1;
}

std::string Certificate::sha1_hex() const {
  return digest_hex(get(), EVP_sha1());
}
std::string Certificate::sha256_hex() const {
  return digest_hex(get(), EVP_sha256());
}

SubjectAltNames Certificate::subject_alt_names() const {
  OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert_.get(), NID_subject_alt_name, nullptr, nullptr)));
  return read_subject_alt_names(names.get());
}

int Certificate::key_usage() const {
  const uint32_t usage = X509_get_key_usage(cert_.get());
  if (usage == UINT32_MAX) return 0;  // no keyUsage extension
  return static_cast<int>(usage & 0xff);
}

EVP_PKEY* Certificate::public_key() const {
  return X509_get0_pubkey(get());
}

bool Certificate::signed_by(const Certificate& issuer_cert) const {
  bool ok = X509_verify(get(), issuer_cert.public_key()) == 1;
  ERR_clear_error();
  return ok;
}

bool Certificate::operator==(const Certificate& o) const {
  if (!cert_ || !o.cert_) return cert_ == o.cert_;
  return X509_cmp(get(), o.get()) == 0;
}

std::ostream& operator<<(std::ostream& os, const Certificate& cert) {
  if (cert.empty()) return os << "(no certificate)";
  return os << cert.subject() << " (serial " << cert.serial_hex() << ")";
}

Result<void> verify_chain(const Certificate& leaf, const std::vector<Certificate>& roots,
                          const std::vector<Certificate>& intermediates, TimePoint at,
                          ChainPurpose purpose) {
  X509StorePtr store(X509_STORE_new());
  for (const auto& r : roots) X509_STORE_add_cert(store.get(), r.get());
  X509StackPtr chain(sk_X509_new_null());
  for (const auto& c : intermediates) {
    X509_up_ref(c.get());
    sk_X509_push(chain.get(), c.get());
  }
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), chain.get());
  X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(at));
  if (purpose == ChainPurpose::tls_client)
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
  if (X509_verify_cert(ctx.get()) != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return make_error("untrusted_certificate", X509_verify_cert_error_string(err));
  }
  return success();
}

}  // namespace mdmlab::crypto
