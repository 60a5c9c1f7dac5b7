#include "core/db/sqlite.hpp"

#include <future>
#include <utility>

namespace mdmlab::db {

Statement::Statement(sqlite3* db, sqlite3_stmt* prepared, sqlite3_stmt** idle_slot)
    : db_(db), stmt_(prepared), idle_slot_(idle_slot) {}

Statement::~Statement() {
  reset();
  if (*idle_slot_ == nullptr)
    *idle_slot_ = stmt_;
  else
    sqlite3_finalize(stmt_);  // a spare from concurrent use of the same SQL
}

Statement StatementCache::borrow(const std::string& sql) {
  auto& slot = idle_.try_emplace(sql, nullptr).first->second;  // copies `sql` on first use only
  sqlite3_stmt* stmt = std::exchange(slot, nullptr);
  if (stmt == nullptr && sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt,
                                            nullptr) != SQLITE_OK) {
    throw DbError(std::string("prepare failed: ") + sqlite3_errmsg(db_) + " in: " + sql,
                  sqlite3_errcode(db_));
  }
  return Statement(db_, stmt, &slot);
}

void StatementCache::clear() {
  for (auto& [sql, stmt] : idle_) sqlite3_finalize(std::exchange(stmt, nullptr));
}

Statement& Statement::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, const std::string& v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind(int i, const Bytes& v) {
  sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw DbError(std::string("step failed: ") + sqlite3_errmsg(db_), rc);
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::int64(int col) const {
  return sqlite3_column_int64(stmt_, col);
}
std::string Statement::text(int col) const {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}
Bytes Statement::blob(int col) const {
  auto p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
  return p ? Bytes(p, p + sqlite3_column_bytes(stmt_, col)) : Bytes();
}
bool Statement::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

void Connection::exec(const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw DbError("exec failed: " + msg, rc);
  }
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path,
                                                 const std::vector<Migration>& migrations) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &raw, flags, nullptr) != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return make_error("db_open_failed", path + ": " + msg);
  }
  std::unique_ptr<Database> db(new Database(raw));  // private constructor
  try {
    db->run_sync([&](Connection& c) {
      sqlite3_busy_timeout(c.native(), 5000);
      c.exec("PRAGMA journal_mode=WAL");
      c.exec("PRAGMA synchronous=NORMAL");
      c.exec("PRAGMA foreign_keys=ON");
      // The statement is handed back (reset) before migrating: a statement still stepping
      // would make a migration's DROP TABLE fail with "database table is locked".
      const int current = [&] {
        auto st = c.prepare("PRAGMA user_version");
        st.step();
        return static_cast<int>(st.int64(0));
      }();
      for (const auto& m : migrations) {
        if (m.version <= current) continue;
        c.transaction([&] {
          c.exec(m.sql);
          c.exec("PRAGMA user_version=" + std::to_string(m.version));
        });
      }
    });
  } catch (const std::exception& e) {
    return make_error("db_migration_failed", e.what());
  }
  return db;
}

Database::~Database() {
  pool_.join();
  conn_.finalize_cached();  // sqlite3_close refuses a connection with live statements
  sqlite3_close(db_);
}

int Database::schema_version() {
  return run_sync([](Connection& c) {
    auto st = c.prepare("PRAGMA user_version");
    st.step();
    return static_cast<int>(st.int64(0));
  });
}

}  // namespace mdmlab::db
