// SQLite on its own thread. Every statement runs on the database thread; coroutines
// `co_await db.run(fn)` and resume on their own executor, so no I/O thread ever blocks on disk.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sqlite3.h>

#include <boost/asio/post.hpp>

#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace mdmlab::db {

class Connection;

// A prepared statement; bind by 1-based index, step, read columns by 0-based index.
// Borrowed from the connection's StatementCache (Connection::prepare); at scope exit it is
// reset and goes back to its idle slot there, or is finalized if the slot is taken.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* prepared, sqlite3_stmt** idle_slot);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, const std::string& v);
  Statement& bind(int i, const char* v) { return bind(i, std::string(v)); }
  Statement& bind(int i, const Bytes& v);
  Statement& bind_null(int i);
  // True while a row is available; throws DbError on failure.
  bool step();
  void reset();

  std::int64_t int64(int col) const;
  std::string text(int col) const;
  Bytes blob(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3_stmt** idle_slot_;  // the cache's slot for this SQL text (stable: a map node)
};

// Prepared statements kept per SQL text, so a hot query is parsed once per connection, not on
// every call (sqlite3_prepare_v2 was ~2.5% of the SCEP server's CPU under the enrollment bench).
// Each SQL text has one idle slot: a statement in use leaves it empty, so a second user of the
// same SQL at the same time prepares its own, and the spare is finalized when both come back.
class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  ~StatementCache() { clear(); }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  Statement borrow(const std::string& sql);
  void clear();  // finalizes every idle statement (before sqlite3_close)

 private:
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> idle_;  // nullptr: none idle
};

// A failed SQLite call. what() is for the log (it may quote the SQL text, never bound values);
// code() is SQLite's result code, e.g. SQLITE_BUSY when another connection holds the lock, so a
// caller can say what went wrong without quoting SQL.
class DbError : public std::runtime_error {
 public:
  explicit DbError(const std::string& what, int code = SQLITE_ERROR)
      : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// The connection, used only on the database thread (inside Database::run).
class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db), cache_(db) {}
  // Runs one or more statements without results (migrations, PRAGMAs); not cached.
  void exec(const std::string& sql);
  // A cached prepared statement; it is reset and returned to the cache at scope exit.
  Statement prepare(const std::string& sql) { return cache_.borrow(sql); }
  void finalize_cached() { cache_.clear(); }
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  sqlite3* native() const { return db_; }

  // Runs `fn` inside BEGIN IMMEDIATE / COMMIT, rolling back if it throws.
  template <typename F>
  auto transaction(F&& fn) -> decltype(fn()) {
    prepare("BEGIN IMMEDIATE").step();
    try {
      if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        prepare("COMMIT").step();
      } else {
        auto r = fn();
        prepare("COMMIT").step();
        return r;
      }
    } catch (...) {
      // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) have rolled back already; a second
      // ROLLBACK would fail and hide the first error.
      if (!sqlite3_get_autocommit(db_)) exec("ROLLBACK");
      throw;
    }
  }

 private:
  sqlite3* db_;
  StatementCache cache_;
};

struct Migration {
  int version;
  std::string sql;
};

class Database {
 public:
  // Opens (creating) the file, sets WAL, synchronous=NORMAL, busy_timeout, foreign keys,
  // and applies `migrations` above PRAGMA user_version. ":memory:" works for tests.
  static Result<std::unique_ptr<Database>> open(const std::string& path,
                                                const std::vector<Migration>& migrations);
  ~Database();

  // Runs fn(Connection&) on the database thread and returns its result to the caller's
  // executor. Exceptions propagate to the awaiting coroutine. Lifetime: destroy the Database
  // before the io_context of any coroutine that awaited it (the database thread still holds
  // that executor briefly after handing the result back).
  template <typename F>
  auto run(F fn) -> boost::asio::awaitable<decltype(fn(std::declval<Connection&>()))> {
    using R = decltype(fn(std::declval<Connection&>()));
    // Named, not a temporary: GCC 12 destroys closure temporaries inside co_await twice.
    auto on_db_thread = [this, fn = std::move(fn)]() mutable -> boost::asio::awaitable<R> {
      co_return fn(conn_);
    };
    auto spawned =
        boost::asio::co_spawn(pool_, std::move(on_db_thread), boost::asio::use_awaitable);
    if constexpr (std::is_void_v<R>) {
      co_await std::move(spawned);
    } else {
      R result = co_await std::move(spawned);
      co_return result;
    }
  }

  // Blocking variant for CLI commands and tests outside any coroutine.
  template <typename F>
  auto run_sync(F fn) -> decltype(fn(std::declval<Connection&>())) {
    using R = decltype(fn(std::declval<Connection&>()));
    std::promise<R> p;
    auto fut = p.get_future();
    boost::asio::post(pool_, [&] {
      try {
        if constexpr (std::is_void_v<R>) {
          fn(conn_);
          p.set_value();
        } else {
          p.set_value(fn(conn_));
        }
      } catch (...) {
        p.set_exception(std::current_exception());
      }
    });
    return fut.get();
  }

  int schema_version();

 private:
  explicit Database(sqlite3* db) : db_(db), conn_(db) {}
  sqlite3* db_;
  Connection conn_;
  boost::asio::thread_pool pool_{1};
};

}  // namespace mdmlab::db
