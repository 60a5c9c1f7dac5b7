// CertPoll IssuerAndSubject DER decoding.
#include "fuzz/targets/openssl_error_queue.hpp"
#include "protocol/scep/issuer_and_subject.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mdmlab::fuzz::ClearOpenSslErrorsOnExit clear_errors;
  (void)mdmlab::scep::decode_issuer_and_subject(mdmlab::Bytes(data, data + size));
  return 0;
}
