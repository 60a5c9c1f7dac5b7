#include "crypto/csr.hpp"
#include "crypto/op_counter.hpp"

#include <openssl/pem.h>

namespace mdmlab::crypto {

Result<DistinguishedName> parse_distinguished_name(std::string_view text) {
  DistinguishedName dn;
  char sep = ',';
  if (!text.empty() && text.front() == '/') {
    sep = '/';
    text.remove_prefix(1);
  }
  while (!text.empty()) {
    auto end = text.find(sep);
    auto part = text.substr(0, end);
    auto eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return make_error("bad_name", "expected ATTR=value in distinguished name");
    auto trim = [](std::string_view s) {
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      return std::string(s);
    };
    dn.emplace_back(trim(part.substr(0, eq)), trim(part.substr(eq + 1)));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return dn;
}

Result<X509NamePtr> make_x509_name(const DistinguishedName& dn) {
  X509NamePtr name(X509_NAME_new());
  for (const auto& [attr, value] : dn) {
    if (X509_NAME_add_entry_by_txt(name.get(), attr.c_str(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.c_str()),
                                   static_cast<int>(value.size()), -1, 0) != 1) {
      return openssl_error("bad_name", "unknown name attribute " + attr);
    }
  }
  return name;
}

Csr::Csr(const Csr& other) {
  if (other.req_) req_.reset(X509_REQ_dup(other.req_.get()));
}

Csr& Csr::operator=(const Csr& other) {
  if (this != &other) req_.reset(other.req_ ? X509_REQ_dup(other.req_.get()) : nullptr);
  return *this;
}

Result<Csr> Csr::build(const PrivateKey& key, const CsrOptions& options) {
  X509ReqPtr req(X509_REQ_new());
  X509_REQ_set_version(req.get(), 0);
  auto name = make_x509_name(options.subject);
  if (!name) return name.error();
  X509_REQ_set_subject_name(req.get(), name->get());
  X509_REQ_set_pubkey(req.get(), key.get());
  if (!options.challenge_password.empty()) {
    X509_REQ_add1_attr_by_NID(
        req.get(), NID_pkcs9_challengePassword, MBSTRING_UTF8,
        reinterpret_cast<const unsigned char*>(options.challenge_password.c_str()),
        static_cast<int>(options.challenge_password.size()));
  }
  // Requested extensions: subjectAltName and keyUsage, as the SCEP payload asks.
  std::vector<X509ExtensionPtr> wanted;
  if (!options.alt_names.empty()) {
    auto ext = make_subject_alt_name_extension(options.alt_names);
    if (!ext) return ext.error();
    wanted.push_back(std::move(*ext));
  }
  if (options.key_usage != 0) {
    auto ext = make_key_usage_extension(options.key_usage);
    if (!ext) return ext.error();
    wanted.push_back(std::move(*ext));
  }
  if (!wanted.empty()) {
    // The stack borrows the extensions; X509_REQ_add_extensions copies them.
    OpenSslPtr<STACK_OF(X509_EXTENSION), free_extension_stack_shallow> exts(
        sk_X509_EXTENSION_new_null());
    for (auto& e : wanted) sk_X509_EXTENSION_push(exts.get(), e.get());
    if (X509_REQ_add_extensions(req.get(), exts.get()) != 1)
      return openssl_error("bad_csr", "cannot add the requested extensions");
  }
  const EVP_MD* md = options.digest ? options.digest : EVP_sha256();
  count_private_key_operation();
  if (X509_REQ_sign(req.get(), key.get(), md) <= 0)
    return openssl_error("sign_failed", "cannot sign CSR");
  return Csr(std::move(req));
}

Result<Csr> Csr::from_der(const Bytes& der) {
  const unsigned char* p = der.data();
  X509ReqPtr req(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
  if (!req) return openssl_error("bad_csr", "cannot parse DER CSR");
  // One request and nothing after it: trailing bytes would be read one way here and another
  // way by a peer that keeps them.
  if (p != der.data() + der.size()) return make_error("bad_csr", "bytes after the DER request");
  return Csr(std::move(req));
}

Result<Csr> Csr::from_pem(const std::string& pem) {
  auto bio = bio_from(pem);
  X509ReqPtr req(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!req) return openssl_error("bad_csr", "cannot parse PEM CSR");
  return Csr(std::move(req));
}

Bytes Csr::to_der() const {
  unsigned char* out = nullptr;
  int n = i2d_X509_REQ(req_.get(), &out);
  if (n <= 0) return {};
  Bytes der(out, out + n);
  OPENSSL_free(out);
  return der;
}

std::string Csr::to_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(bio.get(), req_.get());
  return to_string(bio_bytes(bio.get()));
}

std::string Csr::subject() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), subject_name(), 0, XN_FLAG_RFC2253);
  return to_string(bio_bytes(bio.get()));
}

X509_NAME* Csr::subject_name() const {
  return X509_REQ_get_subject_name(req_.get());
}

std::string Csr::challenge_password() const {
  int idx = X509_REQ_get_attr_by_NID(req_.get(), NID_pkcs9_challengePassword, -1);
  if (idx < 0) return {};
  X509_ATTRIBUTE* attr = X509_REQ_get_attr(req_.get(), idx);
  ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(attr, 0);
  if (!t) return {};
  switch (t->type) {
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_UTF8STRING:
    case V_ASN1_IA5STRING:
    case V_ASN1_T61STRING:
    case V_ASN1_BMPSTRING:
    case V_ASN1_UNIVERSALSTRING: {
      unsigned char* utf8 = nullptr;
      int n = ASN1_STRING_to_UTF8(&utf8, t->value.asn1_string);
      if (n < 0) return {};
      std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
      OPENSSL_free(utf8);
      return out;
    }
    default:
      return {};
  }
}

X509ExtensionPtr Csr::requested_extension(int nid) const {
  OpenSslPtr<STACK_OF(X509_EXTENSION), free_extension_stack> exts(
      X509_REQ_get_extensions(req_.get()));
  ERR_clear_error();
  for (int i = 0; exts && i < sk_X509_EXTENSION_num(exts.get()); ++i) {
    X509_EXTENSION* e = sk_X509_EXTENSION_value(exts.get(), i);
    if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) == nid)
      return X509ExtensionPtr(X509_EXTENSION_dup(e));
  }
  return {};
}

SubjectAltNames Csr::subject_alt_names() const {
  auto ext = requested_extension(NID_subject_alt_name);
  if (!ext) return {};
  OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free> names(
      static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(ext.get())));
  ERR_clear_error();
  return read_subject_alt_names(names.get());
}

int Csr::key_usage() const {
  auto ext = requested_extension(NID_key_usage);
  if (!ext) return 0;
  Asn1StringPtr bits(static_cast<ASN1_BIT_STRING*>(X509V3_EXT_d2i(ext.get())));
  ERR_clear_error();
  if (!bits || ASN1_STRING_length(bits.get()) < 1) return 0;
  return ASN1_STRING_get0_data(bits.get())[0];
}

EVP_PKEY* Csr::public_key() const {
  return X509_REQ_get0_pubkey(req_.get());
}

bool Csr::signature_valid() const {
  EVP_PKEY* key = public_key();
  bool ok = key && X509_REQ_verify(req_.get(), key) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace mdmlab::crypto
