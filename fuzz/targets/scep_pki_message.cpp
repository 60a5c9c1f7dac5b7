// SCEP pkiMessage structure decode (CMS SignedData + SCEP attributes). No crypto: fast.
#include "crypto/init.hpp"
#include "fuzz/targets/openssl_error_queue.hpp"
#include "protocol/scep/pki_message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mdmlab::fuzz::ClearOpenSslErrorsOnExit clear_errors;
  static bool ready = mdmlab::crypto::init_openssl() || true;
  (void)ready;
  mdmlab::Bytes input(data, data + size);
  auto msg = mdmlab::scep::decode_pki_message(input);
  if (msg && msg->envelope) (void)mdmlab::crypto::cms_envelope_cipher(*msg->envelope);
  return 0;
}
