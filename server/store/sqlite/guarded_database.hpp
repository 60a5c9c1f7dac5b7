// The SQLite backend's one boundary between DbError and the store's Result: every store method
// runs its statements through guarded(), which catches DbError (and only that: anything else is
// a bug and propagates) on the database thread and answers kStoreUnavailable naming the
// operation, logged and counted in mdmlab_store_errors_total. The failed statement or
// transaction has been rolled back, so the operation changed nothing.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <type_traits>
#include <utility>

#include "core/db/sqlite.hpp"
#include "core/metrics/registry.hpp"
#include "server/store/store_error.hpp"

namespace mdmlab::server::store::sqlite {

class GuardedDatabase {
 public:
  // `registry` (optional) receives mdmlab_store_errors_total.
  GuardedDatabase(db::Database& db, metrics::Registry* registry)
      : db_(db), errors_(registry ? &store_error_counter(*registry) : nullptr) {}

  // Runs fn(db::Connection&) on the database thread; its value (or success() for void) as a
  // Result, or kStoreUnavailable if SQLite failed.
  template <typename F>
  auto guarded(const char* operation, F fn)
      -> boost::asio::awaitable<Result<decltype(fn(std::declval<db::Connection&>()))>> {
    using R = decltype(fn(std::declval<db::Connection&>()));
    // Named, not a temporary: GCC 12 destroys closure temporaries inside co_await twice.
    auto on_db_thread = [this, operation, fn = std::move(fn)](db::Connection& c) -> Result<R> {
      try {
        if constexpr (std::is_void_v<R>) {
          fn(c);
          return success();
        } else {
          return fn(c);
        }
      } catch (const db::DbError& e) {
        return unavailable(operation, e);
      }
    };
    auto result = co_await db_.run(std::move(on_db_thread));
    co_return result;
  }

 private:
  // Logs (SQLite's own words, for the operator), counts, and builds the caller's error (the
  // operation and SQLite's result-code text only: no SQL, no values).
  Error unavailable(const char* operation, const db::DbError& e);

  db::Database& db_;
  metrics::Family<metrics::Counter>* errors_;
};

}  // namespace mdmlab::server::store::sqlite
