#include "server/store/store_error.hpp"

namespace mdmlab::server::store {

metrics::Family<metrics::Counter>& store_error_counter(metrics::Registry& registry) {
  return registry.counter("mdmlab_store_errors_total",
                          "Store operations that failed because the database was unavailable, "
                          "by operation",
                          {"operation"});
}

}  // namespace mdmlab::server::store
