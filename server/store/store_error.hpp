// How a store fails. Every store method answers Result<T>; when the backend cannot do the
// operation (database locked, file gone, schema missing) the error has code kStoreUnavailable
// and a message naming the operation (never SQL or stored values). Nothing was changed by the
// failed operation. Callers answer "try again later" (HTTP 503 with Retry-After) rather than
// guess, and count it: mdmlab_store_errors_total{operation}.
#pragma once

#include <string>

#include "common/result.hpp"
#include "core/metrics/registry.hpp"

namespace mdmlab::server::store {

inline constexpr const char* kStoreUnavailable = "store_unavailable";

// What a client told to come back after a store failure is asked to wait (Retry-After).
inline constexpr int kRetryAfterSeconds = 5;

inline bool is_store_unavailable(const Error& e) {
  return e.code == kStoreUnavailable;
}

// mdmlab_store_errors_total{operation}: one family, whichever backend or caller registers it.
metrics::Family<metrics::Counter>& store_error_counter(metrics::Registry& registry);

}  // namespace mdmlab::server::store
