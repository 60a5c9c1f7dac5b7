#include "server/store/sqlite/guarded_database.hpp"

#include "core/log/log.hpp"

namespace mdmlab::server::store::sqlite {

Error GuardedDatabase::unavailable(const char* operation, const db::DbError& e) {
  log::error("store", "{} failed: {}", operation, e.what());
  if (errors_) errors_->with({operation}).inc();
  return make_error(kStoreUnavailable, std::string(operation) + ": the database is unavailable (" +
                                           sqlite3_errstr(e.code()) + ")");
}

}  // namespace mdmlab::server::store::sqlite
