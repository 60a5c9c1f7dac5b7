#include "crypto/alt_names.hpp"

namespace mdmlab::crypto {
namespace {
using GeneralNamesPtr = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using GeneralNamePtr = OpenSslPtr<GENERAL_NAME, GENERAL_NAME_free>;

constexpr const char* kUpnOid = "1.3.6.1.4.1.311.20.2.3";

Result<void> push_ia5(GENERAL_NAMES* names, int type, const std::string& value) {
  GeneralNamePtr name(GENERAL_NAME_new());
  Asn1StringPtr ia5(ASN1_IA5STRING_new());
  if (!name || !ia5 ||
      ASN1_STRING_set(ia5.get(), value.data(), static_cast<int>(value.size())) != 1)
    return openssl_error("bad_alt_name", "cannot hold " + value);
  GENERAL_NAME_set0_value(name.get(), type, ia5.release());
  if (sk_GENERAL_NAME_push(names, name.get()) <= 0)
    return openssl_error("bad_alt_name", "cannot add " + value);
  name.release();
  return success();
}

// otherName { type-id 1.3.6.1.4.1.311.20.2.3, value [0] EXPLICIT UTF8String }.
Result<void> push_upn(GENERAL_NAMES* names, const std::string& value) {
  Asn1ObjectPtr oid(OBJ_txt2obj(kUpnOid, 1));
  OpenSslPtr<ASN1_TYPE, ASN1_TYPE_free> any(ASN1_TYPE_new());
  Asn1StringPtr utf8(ASN1_UTF8STRING_new());
  GeneralNamePtr name(GENERAL_NAME_new());
  if (!oid || !any || !utf8 || !name ||
      ASN1_STRING_set(utf8.get(), value.data(), static_cast<int>(value.size())) != 1)
    return openssl_error("bad_alt_name", "cannot hold UPN " + value);
  ASN1_TYPE_set(any.get(), V_ASN1_UTF8STRING, utf8.release());
  if (GENERAL_NAME_set0_othername(name.get(), oid.get(), any.get()) != 1)
    return openssl_error("bad_alt_name", "cannot hold UPN " + value);
  oid.release();
  any.release();
  if (sk_GENERAL_NAME_push(names, name.get()) <= 0)
    return openssl_error("bad_alt_name", "cannot add UPN " + value);
  name.release();
  return success();
}

std::string ia5_text(const ASN1_IA5STRING* s) {
  if (!s) return {};
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}
}  // namespace

Result<X509ExtensionPtr> make_subject_alt_name_extension(const SubjectAltNames& names) {
  GeneralNamesPtr all(GENERAL_NAMES_new());
  if (!all) return openssl_error("bad_alt_name", "out of memory");
  for (const auto& d : names.dns)
    if (auto r = push_ia5(all.get(), GEN_DNS, d); !r) return r.error();
  for (const auto& e : names.rfc822)
    if (auto r = push_ia5(all.get(), GEN_EMAIL, e); !r) return r.error();
  for (const auto& u : names.uri)
    if (auto r = push_ia5(all.get(), GEN_URI, u); !r) return r.error();
  for (const auto& p : names.nt_principal)
    if (auto r = push_upn(all.get(), p); !r) return r.error();
  X509ExtensionPtr ext(X509V3_EXT_i2d(NID_subject_alt_name, 0, all.get()));
  if (!ext) return openssl_error("bad_alt_name", "cannot encode subjectAltName");
  return ext;
}

SubjectAltNames read_subject_alt_names(const GENERAL_NAMES* names) {
  SubjectAltNames out;
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    switch (n->type) {
      case GEN_DNS:
        out.dns.push_back(ia5_text(n->d.dNSName));
        break;
      case GEN_EMAIL:
        out.rfc822.push_back(ia5_text(n->d.rfc822Name));
        break;
      case GEN_URI:
        out.uri.push_back(ia5_text(n->d.uniformResourceIdentifier));
        break;
      case GEN_OTHERNAME: {
        const OTHERNAME* other = n->d.otherName;
        char oid[64];
        if (OBJ_obj2txt(oid, sizeof oid, other->type_id, 1) <= 0 || std::string(oid) != kUpnOid)
          break;
        if (other->value && other->value->type == V_ASN1_UTF8STRING)
          out.nt_principal.push_back(ia5_text(other->value->value.utf8string));
        break;
      }
      default:
        break;
    }
  }
  return out;
}

int key_usage_from_scep(std::int64_t scep_key_usage) {
  int bits = 0;
  if (scep_key_usage & 1) bits |= kKeyUsageDigitalSignature;
  if (scep_key_usage & 4) bits |= kKeyUsageKeyEncipherment;
  return bits;
}

Result<X509ExtensionPtr> make_key_usage_extension(int bits) {
  if (bits == 0) return make_error("bad_key_usage", "no key usage bit set");
  Asn1StringPtr usage(ASN1_BIT_STRING_new());
  for (int bit = 0; bit < 8; ++bit)
    if (bits & (0x80 >> bit)) ASN1_BIT_STRING_set_bit(usage.get(), bit, 1);
  X509ExtensionPtr ext(X509V3_EXT_i2d(NID_key_usage, 1, usage.get()));
  if (!ext) return openssl_error("bad_key_usage", "cannot encode keyUsage");
  return ext;
}

std::vector<std::string> key_usage_names(int bits) {
  static const char* const kNames[] = {"digitalSignature", "nonRepudiation", "keyEncipherment",
                                       "dataEncipherment", "keyAgreement",   "keyCertSign",
                                       "cRLSign",          "encipherOnly"};
  std::vector<std::string> out;
  for (int bit = 0; bit < 8; ++bit)
    if (bits & (0x80 >> bit)) out.emplace_back(kNames[bit]);
  return out;
}

}  // namespace mdmlab::crypto
