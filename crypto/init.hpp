// Process-wide OpenSSL set-up, done once by every program before any crypto call:
// loads the `default` and `legacy` providers (old SCEP clients such as micromdm's scep 2.1.0
// encrypt with single DES) and registers the SCEP attribute OIDs.
#pragma once

namespace mdmlab::crypto {

// Idempotent and thread-safe. Returns false if the legacy provider could not be loaded
// (DES-encrypted SCEP messages will then be refused with badAlg).
bool init_openssl();
bool legacy_provider_loaded();

}  // namespace mdmlab::crypto
