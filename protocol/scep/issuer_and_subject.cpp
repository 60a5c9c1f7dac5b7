#include "protocol/scep/issuer_and_subject.hpp"

namespace mdmlab::scep {
namespace {
Bytes name_der(const X509_NAME* name) {
  unsigned char* out = nullptr;
  int n = i2d_X509_NAME(name, &out);
  if (n <= 0) return {};
  Bytes der(out, out + n);
  OPENSSL_free(out);
  return der;
}

void append_length(Bytes& out, std::size_t len) {
  if (len < 0x80) {
    out.push_back(static_cast<std::uint8_t>(len));
    return;
  }
  Bytes digits;
  for (; len > 0; len >>= 8) digits.insert(digits.begin(), static_cast<std::uint8_t>(len & 0xFF));
  out.push_back(static_cast<std::uint8_t>(0x80 | digits.size()));
  out.insert(out.end(), digits.begin(), digits.end());
}
}  // namespace

Bytes encode_issuer_and_subject(const X509_NAME* issuer, const X509_NAME* subject) {
  Bytes body = name_der(issuer);
  Bytes s = name_der(subject);
  body.insert(body.end(), s.begin(), s.end());
  Bytes out{0x30};
  append_length(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Result<IssuerAndSubject> decode_issuer_and_subject(const Bytes& der) {
  const unsigned char* p = der.data();
  long len = 0;
  int tag = 0, cls = 0;
  int rc = ASN1_get_object(&p, &len, &tag, &cls, static_cast<long>(der.size()));
  if ((rc & 0x80) || tag != V_ASN1_SEQUENCE || cls != V_ASN1_UNIVERSAL ||
      !(rc & V_ASN1_CONSTRUCTED)) {
    ERR_clear_error();
    return make_error("bad_request", "IssuerAndSubject is not a SEQUENCE");
  }
  const unsigned char* end = p + len;
  if (end != der.data() + der.size())
    return make_error("bad_request", "trailing data after IssuerAndSubject");
  IssuerAndSubject out;
  out.issuer.reset(d2i_X509_NAME(nullptr, &p, end - p));
  if (!out.issuer) return crypto::openssl_error("bad_request", "bad issuer Name");
  out.subject.reset(d2i_X509_NAME(nullptr, &p, end - p));
  if (!out.subject) return crypto::openssl_error("bad_request", "bad subject Name");
  if (p != end) return make_error("bad_request", "trailing data in IssuerAndSubject");
  return out;
}

}  // namespace mdmlab::scep
