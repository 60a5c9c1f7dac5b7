#include "crypto/init.hpp"

#include <openssl/objects.h>
#include <openssl/provider.h>

#include <mutex>

namespace mdmlab::crypto {
namespace {
std::once_flag g_once;
bool g_legacy = false;

void do_init() {
  OSSL_PROVIDER_load(nullptr, "default");
  g_legacy = OSSL_PROVIDER_load(nullptr, "legacy") != nullptr;
  // SCEP (RFC 8894 section 3.2.1) attributes under VeriSign's arc.
  OBJ_create("2.16.840.1.113733.1.9.2", "scepMessageType", "SCEP messageType");
  OBJ_create("2.16.840.1.113733.1.9.3", "scepPkiStatus", "SCEP pkiStatus");
  OBJ_create("2.16.840.1.113733.1.9.4", "scepFailInfo", "SCEP failInfo");
  OBJ_create("2.16.840.1.113733.1.9.5", "scepSenderNonce", "SCEP senderNonce");
  OBJ_create("2.16.840.1.113733.1.9.6", "scepRecipientNonce", "SCEP recipientNonce");
  OBJ_create("2.16.840.1.113733.1.9.7", "scepTransactionID", "SCEP transactionID");
  OBJ_create("1.3.6.1.5.5.7.24.1", "scepFailInfoText", "SCEP failInfoText");
}
}  // namespace

bool init_openssl() {
  std::call_once(g_once, do_init);
  return g_legacy;
}

bool legacy_provider_loaded() {
  init_openssl();
  return g_legacy;
}

}  // namespace mdmlab::crypto
