#include "crypto/pkcs12.hpp"

#include <openssl/pkcs12.h>

namespace mdmlab::crypto {
namespace {
using Pkcs12Ptr = OpenSslPtr<PKCS12, PKCS12_free>;

// A hostile PFX could ask for billions of key-derivation rounds before its MAC is checked;
// far above what tools write (OpenSSL 2048, macOS's Keychain 2000 to 10000).
constexpr long kMaxMacIterations = 1'000'000;
}  // namespace

Result<Bytes> make_pkcs12(const Pkcs12Identity& identity, const std::string& password,
                          const std::string& friendly_name) {
  if (identity.certificate.empty() || identity.key.empty())
    return make_error(kBadPkcs12, "a PKCS#12 identity needs a certificate and its key");
  X509StackPtr ca(sk_X509_new_null());
  for (const auto& c : identity.chain) {
    X509_up_ref(c.get());
    sk_X509_push(ca.get(), c.get());
  }
  // nid_key/nid_cert 0 and iterations 0: OpenSSL's defaults.
  Pkcs12Ptr p12(PKCS12_create(password.c_str(), friendly_name.c_str(), identity.key.get(),
                              identity.certificate.get(), ca.get(), 0, 0, 0, 0, 0));
  if (!p12) return openssl_error(kBadPkcs12, "cannot build the PKCS#12");
  unsigned char* out = nullptr;
  int n = i2d_PKCS12(p12.get(), &out);
  if (n <= 0) return openssl_error(kBadPkcs12, "cannot encode the PKCS#12");
  Bytes der(out, out + n);
  OPENSSL_free(out);
  return der;
}

Result<Pkcs12Identity> parse_pkcs12(const Bytes& der, const std::string& password) {
  const unsigned char* p = der.data();
  Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())));
  if (!p12) return openssl_error(kBadPkcs12, "not a DER PKCS#12");
  // Integrity first: without a MAC nothing says the password is right before the bags are
  // decrypted with whatever iteration counts they name.
  if (!PKCS12_mac_present(p12.get()))
    return make_error(kBadPkcs12, "the PKCS#12 has no integrity MAC");
  const ASN1_INTEGER* iterations = nullptr;
  PKCS12_get0_mac(nullptr, nullptr, nullptr, &iterations, p12.get());
  // Absent means 1 (RFC 7292); ASN1_INTEGER_get answers -1 for what does not fit a long.
  const long rounds = iterations ? ASN1_INTEGER_get(iterations) : 1;
  if (rounds < 1 || rounds > kMaxMacIterations) {
    ERR_clear_error();
    return make_error(kBadPkcs12, "the PKCS#12 MAC asks for " + std::to_string(rounds) +
                                      " iterations (at most " + std::to_string(kMaxMacIterations) +
                                      ")");
  }
  if (PKCS12_verify_mac(p12.get(), password.c_str(), static_cast<int>(password.size())) != 1) {
    ERR_clear_error();
    return make_error(kBadPkcs12Password, "the password does not open the PKCS#12");
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  if (PKCS12_parse(p12.get(), password.c_str(), &key, &cert, &ca) != 1)
    return openssl_error(kBadPkcs12, "cannot open the PKCS#12");
  Pkcs12Identity out;
  out.key = PrivateKey(EvpPkeyPtr(key));
  out.certificate = Certificate(X509Ptr(cert));
  X509StackPtr chain(ca);
  for (int i = 0; chain && i < sk_X509_num(chain.get()); ++i)
    out.chain.push_back(Certificate::borrow(sk_X509_value(chain.get(), i)));
  if (out.certificate.empty() || out.key.empty())
    return make_error(kBadPkcs12, "the PKCS#12 holds no certificate with its key");
  if (!same_public_key(out.certificate.public_key(), out.key.get()))
    return make_error(kBadPkcs12, "the PKCS#12's key does not belong to its certificate");
  return out;
}

}  // namespace mdmlab::crypto
