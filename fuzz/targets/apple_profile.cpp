// Configuration profiles as a device reads them (protocol/apple/profile.hpp decode_profile):
// an XML plist, or a DER CMS SignedData around one (the signature is checked with the
// included signer), with the SCEP, MDM and root certificate payloads; what decoded is written
// back. Seeds: the reference server's enrollment profile, signed and unsigned (corpus_gen).
#include <string_view>

#include "crypto/init.hpp"
#include "fuzz/targets/openssl_error_queue.hpp"
#include "protocol/apple/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mdmlab::fuzz::ClearOpenSslErrorsOnExit clear_errors;
  static bool ready = mdmlab::crypto::init_openssl() || true;
  (void)ready;
  auto p =
      mdmlab::apple::decode_profile(std::string_view(reinterpret_cast<const char*>(data), size));
  if (p) (void)mdmlab::apple::encode_profile(*p);
  return 0;
}
