// Keeps libFuzzer's leak check cheap for targets that call OpenSSL.
//
// libFuzzer counts mallocs and frees for each input and runs a whole-heap LeakSanitizer scan
// whenever the two differ. OpenSSL 3.0 keeps a strdup'ed file and function name in each slot
// of its per-thread error queue until that slot is reused or the queue is cleared, so an input
// that raised more or fewer errors than the one before looked like a leak: scep_pki_message
// ran 10x slower (330 exec/s instead of 4,600). Clearing the queue after every input, as
// OpenSSL's own fuzz targets do, keeps the counts even; real leaks are still reported.
#pragma once

#include <openssl/err.h>

namespace mdmlab::fuzz {

struct ClearOpenSslErrorsOnExit {
  ClearOpenSslErrorsOnExit() = default;
  ClearOpenSslErrorsOnExit(const ClearOpenSslErrorsOnExit&) = delete;
  ClearOpenSslErrorsOnExit& operator=(const ClearOpenSslErrorsOnExit&) = delete;
  ~ClearOpenSslErrorsOnExit() { ERR_clear_error(); }
};

}  // namespace mdmlab::fuzz
