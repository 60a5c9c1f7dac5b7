// PKCS#10 CSR parsing and the accessors the SCEP server uses on untrusted CSRs. The
// signature check (RSA) stays out: parsing is what this target is for, and it keeps it fast.
#include "crypto/csr.hpp"
#include "fuzz/targets/openssl_error_queue.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mdmlab::fuzz::ClearOpenSslErrorsOnExit clear_errors;
  auto csr = mdmlab::crypto::Csr::from_der(mdmlab::Bytes(data, data + size));
  if (csr) {
    (void)csr->subject();
    (void)csr->challenge_password();
  }
  return 0;
}
