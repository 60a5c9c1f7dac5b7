#include "crypto/cms.hpp"
#include "crypto/op_counter.hpp"

#include <openssl/objects.h>

namespace mdmlab::crypto {
namespace {

Asn1ObjectPtr object_for(const std::string& oid) {
  return Asn1ObjectPtr(OBJ_txt2obj(oid.c_str(), 1));
}

X509StackPtr stack_of(const std::vector<Certificate>& certs) {
  X509StackPtr stack(sk_X509_new_null());
  for (const auto& c : certs) {
    X509_up_ref(c.get());
    sk_X509_push(stack.get(), c.get());
  }
  return stack;
}

void free_cms(CMS_ContentInfo* cms) {
  CMS_ContentInfo_free(cms);
}

}  // namespace

Result<Bytes> cms_sign(const Bytes& content, const Certificate& signer, const PrivateKey& key,
                       const std::vector<SignedAttribute>& attributes, const SignOptions& options) {
  auto extra = stack_of(options.extra_certificates);
  unsigned flags = CMS_PARTIAL | CMS_BINARY | CMS_NOSMIMECAP;
  if (options.detached) flags |= CMS_DETACHED;
  CmsPtr cms(CMS_sign(nullptr, nullptr, extra.get(), nullptr, flags));
  if (!cms) return openssl_error("cms_failed", "CMS_sign failed");
  unsigned signer_flags = CMS_BINARY | CMS_NOSMIMECAP;
  if (!options.include_signer_certificate) signer_flags |= CMS_NOCERTS;
  const EVP_MD* md = options.digest ? options.digest : EVP_sha256();
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), signer.get(), key.get(), md, signer_flags);
  if (!si) return openssl_error("cms_failed", "CMS_add1_signer failed");
  for (const auto& a : attributes) {
    auto obj = object_for(a.oid);
    if (!obj) return make_error("bad_oid", "unknown OID " + a.oid);
    int type = a.kind == SignedAttribute::Kind::printable_string ? V_ASN1_PRINTABLESTRING
                                                                 : V_ASN1_OCTET_STRING;
    if (CMS_signed_add1_attr_by_OBJ(si, obj.get(), type, a.value.data(),
                                    static_cast<int>(a.value.size())) != 1) {
      return openssl_error("cms_failed", "cannot add signed attribute " + a.oid);
    }
  }
  count_private_key_operation();
  auto data = bio_from(content);
  if (CMS_final(cms.get(), data.get(), nullptr, flags) != 1)
    return openssl_error("cms_failed", "CMS_final failed");
  unsigned char* out = nullptr;
  int n = i2d_CMS_ContentInfo(cms.get(), &out);
  if (n <= 0) return openssl_error("cms_failed", "cannot encode SignedData");
  Bytes der(out, out + n);
  OPENSSL_free(out);
  return der;
}

Result<SignedMessage> SignedMessage::parse(const Bytes& der) {
  const unsigned char* p = der.data();
  CmsPtr owned(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  if (!owned) return openssl_error("bad_message", "not a CMS ContentInfo");
  if (OBJ_obj2nid(CMS_get0_type(owned.get())) != NID_pkcs7_signed)
    return make_error("bad_message", "CMS content is not SignedData");
  SignedMessage m;
  m.cms_ = std::shared_ptr<CMS_ContentInfo>(owned.release(), free_cms);
  CMS_ContentInfo* cms = m.cms_.get();

  if (ASN1_OCTET_STRING** pos = CMS_get0_content(cms); pos && *pos) {
    m.content_ =
        Bytes(ASN1_STRING_get0_data(*pos), ASN1_STRING_get0_data(*pos) + ASN1_STRING_length(*pos));
  }
  if (STACK_OF(X509)* certs = CMS_get1_certs(cms)) {
    for (int i = 0; i < sk_X509_num(certs); ++i) {
      m.certificates_.push_back(Certificate::borrow(sk_X509_value(certs, i)));
    }
    sk_X509_pop_free(certs, X509_free);
  }
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms);
  m.signer_count_ = signers ? sk_CMS_SignerInfo_num(signers) : 0;
  if (m.signer_count_ > 0) {
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
    for (const auto& c : m.certificates_) {
      if (CMS_SignerInfo_cert_cmp(si, c.get()) == 0) {
        m.signer_ = c;
        break;
      }
    }
    X509_ALGOR* dig = nullptr;
    CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &dig, nullptr);
    if (dig) {
      const ASN1_OBJECT* obj = nullptr;
      X509_ALGOR_get0(&obj, nullptr, nullptr, dig);
      int nid = OBJ_obj2nid(obj);
      m.digest_algorithm_ = nid == NID_undef ? "unknown" : OBJ_nid2sn(nid);
    }
  }
  ERR_clear_error();
  return m;
}

std::optional<Bytes> SignedMessage::attribute(const std::string& oid) const {
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms_.get());
  if (!signers || sk_CMS_SignerInfo_num(signers) == 0) return std::nullopt;
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
  auto obj = object_for(oid);
  if (!obj) return std::nullopt;
  int idx = CMS_signed_get_attr_by_OBJ(si, obj.get(), -1);
  if (idx < 0) return std::nullopt;
  X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, idx);
  ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(attr, 0);
  if (!t) return std::nullopt;
  switch (t->type) {
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_OCTET_STRING:
    case V_ASN1_UTF8STRING:
    case V_ASN1_IA5STRING: {
      const ASN1_STRING* s = t->value.asn1_string;
      return Bytes(ASN1_STRING_get0_data(s), ASN1_STRING_get0_data(s) + ASN1_STRING_length(s));
    }
    default:
      return std::nullopt;
  }
}

namespace {
Result<void> verify_impl(CMS_ContentInfo* cms, const Certificate& signer, BIO* detached) {
  if (signer.empty()) return make_error("bad_signer", "no signer certificate");
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms);
  if (!signers || sk_CMS_SignerInfo_num(signers) != 1)
    return make_error("bad_signer", "expected exactly one signer");
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
  if (CMS_SignerInfo_cert_cmp(si, signer.get()) != 0)
    return make_error("bad_signer", "certificate does not match the signer identifier");
  // Pin the signer explicitly: CMS_verify would otherwise keep whichever certificate an
  // earlier call attached to this SignerInfo.
  CMS_SignerInfo_set1_signer_cert(si, signer.get());
  unsigned flags = CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY | CMS_NOINTERN;
  if (CMS_verify(cms, nullptr, nullptr, detached, nullptr, flags) != 1)
    return openssl_error("bad_signature", "SignedData signature does not verify");
  return success();
}
}  // namespace

Result<void> SignedMessage::verify(const Certificate& signer) const {
  if (!content_) {
    // An absent eContent signs the empty string (SCEP FAILURE/PENDING CertRep).
    return verify_detached(signer, Bytes{});
  }
  return verify_impl(cms_.get(), signer, nullptr);
}

Result<void> SignedMessage::verify_detached(const Certificate& signer,
                                            const Bytes& detached_content) const {
  auto bio = bio_from(detached_content);
  return verify_impl(cms_.get(), signer, bio.get());
}

Result<Bytes> cms_envelope(const Bytes& content, const std::vector<Certificate>& recipients,
                           const EVP_CIPHER* cipher) {
  if (!cipher) return make_error("bad_alg", "cipher not available");
  auto certs = stack_of(recipients);
  auto data = bio_from(content);
  CmsPtr cms(CMS_encrypt(certs.get(), data.get(), cipher, CMS_BINARY));
  if (!cms) return openssl_error("cms_failed", "CMS_encrypt failed");
  unsigned char* out = nullptr;
  int n = i2d_CMS_ContentInfo(cms.get(), &out);
  if (n <= 0) return openssl_error("cms_failed", "cannot encode EnvelopedData");
  Bytes der(out, out + n);
  OPENSSL_free(out);
  return der;
}

Result<Bytes> cms_decrypt(const Bytes& enveloped_der, const PrivateKey& key,
                          const Certificate* cert) {
  const unsigned char* p = enveloped_der.data();
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(enveloped_der.size())));
  if (!cms) return openssl_error("bad_message", "not a CMS ContentInfo");
  if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_enveloped)
    return make_error("bad_message", "CMS content is not EnvelopedData");
  BioPtr out(BIO_new(BIO_s_mem()));
  // No CMS_DEBUG_DECRYPT: that flag turns off OpenSSL's implicit rejection, the defence
  // against Bleichenbacher/Marvin padding oracles. With it off, a wrong key yields a random
  // content key and the content decryption (or the parse after it) fails instead, which the
  // SCEP authority answers as badMessageCheck like any other undecryptable request.
  count_private_key_operation();
  unsigned flags = CMS_BINARY;
  if (CMS_decrypt(cms.get(), key.get(), cert ? cert->get() : nullptr, nullptr, out.get(), flags) !=
      1) {
    return openssl_error("decrypt_failed", "cannot decrypt EnvelopedData");
  }
  return bio_bytes(out.get());
}

Result<std::string> cms_envelope_cipher(const Bytes& enveloped_der) {
  const unsigned char* p = enveloped_der.data();
  Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, static_cast<long>(enveloped_der.size())));
  if (!p7 || !PKCS7_type_is_enveloped(p7.get()) || !p7->d.enveloped || !p7->d.enveloped->enc_data ||
      !p7->d.enveloped->enc_data->algorithm) {
    ERR_clear_error();
    return make_error("bad_message", "not an EnvelopedData");
  }
  int nid = OBJ_obj2nid(p7->d.enveloped->enc_data->algorithm->algorithm);
  if (nid == NID_undef) return make_error("bad_alg", "unknown content-encryption algorithm");
  return std::string(OBJ_nid2sn(nid));
}

Bytes degenerate_pkcs7(const std::vector<Certificate>& certs) {
  Pkcs7Ptr p7(PKCS7_new());
  PKCS7_set_type(p7.get(), NID_pkcs7_signed);
  PKCS7_content_new(p7.get(), NID_pkcs7_data);
  for (const auto& c : certs) PKCS7_add_certificate(p7.get(), c.get());
  unsigned char* out = nullptr;
  int n = i2d_PKCS7(p7.get(), &out);
  if (n <= 0) return {};
  Bytes der(out, out + n);
  OPENSSL_free(out);
  return der;
}

Result<std::vector<Certificate>> parse_degenerate_pkcs7(const Bytes& der) {
  const unsigned char* p = der.data();
  Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, static_cast<long>(der.size())));
  if (!p7 || !PKCS7_type_is_signed(p7.get()) || !p7->d.sign) {
    ERR_clear_error();
    return make_error("bad_message", "not a PKCS#7 SignedData");
  }
  std::vector<Certificate> out;
  STACK_OF(X509)* certs = p7->d.sign->cert;
  for (int i = 0; certs && i < sk_X509_num(certs); ++i) {
    out.push_back(Certificate::borrow(sk_X509_value(certs, i)));
  }
  if (out.empty()) return make_error("bad_message", "PKCS#7 carries no certificate");
  return out;
}

const EVP_CIPHER* cipher_by_name(const std::string& name) {
  return EVP_get_cipherbyname(name.c_str());
}

}  // namespace mdmlab::crypto
