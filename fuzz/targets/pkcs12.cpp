// PKCS#12 identities as a device opens them from a profile's com.apple.security.pkcs12 payload
// (crypto/pkcs12.hpp parse_pkcs12): the MAC's iteration count is bounded and checked before
// anything is decrypted. Seeds: identities sealed with the password below (corpus_gen).
#include "crypto/pkcs12.hpp"
#include "crypto/init.hpp"
#include "fuzz/targets/openssl_error_queue.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mdmlab::fuzz::ClearOpenSslErrorsOnExit clear_errors;
  static bool ready = mdmlab::crypto::init_openssl() || true;
  (void)ready;
  auto identity = mdmlab::crypto::parse_pkcs12(mdmlab::Bytes(data, data + size), "mdmlab-fuzz");
  if (identity) (void)identity->certificate.subject();
  return 0;
}
