#include <boost/test/unit_test.hpp>

#include <thread>

#include "core/db/sqlite.hpp"
#include "tests/support/async.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;

BOOST_AUTO_TEST_SUITE(sqlite_db)

BOOST_AUTO_TEST_CASE(migrations_apply_once_and_statements_run_off_the_io_threads) {
  auto dir = testing::make_temp_dir("mdmlab-db-");
  std::vector<db::Migration> migrations{
      {1, "CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB NOT NULL)"},
      {2, "ALTER TABLE kv ADD COLUMN n INTEGER NOT NULL DEFAULT 0"}};
  {
    // The runtime outlives the database: the database thread finishes handing results back to
    // the awaiting executor after the coroutine resumes, so it must be joined first.
    net::IoRuntime io(2);
    auto db = db::Database::open(dir + "/t.db", migrations).value();
    BOOST_TEST(db->schema_version() == 2);
    auto io_thread_ids = testing::run_async(
        io, [&]() -> boost::asio::awaitable<std::pair<std::thread::id, std::thread::id>> {
          auto db_thread = co_await db->run([](db::Connection& c) {
            c.prepare("INSERT INTO kv (k, v, n) VALUES (?, ?, ?)")
                .bind(1, "a")
                .bind(2, Bytes{1, 2, 3})
                .bind(3, std::int64_t{7})
                .step();
            return std::this_thread::get_id();
          });
          co_return std::pair{db_thread, std::this_thread::get_id()};
        }());
    BOOST_TEST((io_thread_ids.first != io_thread_ids.second));
  }
  // Reopening applies nothing new and keeps the data.
  auto db = db::Database::open(dir + "/t.db", migrations).value();
  auto row = db->run_sync([](db::Connection& c) {
    auto st = c.prepare("SELECT v, n FROM kv WHERE k = ?");
    st.bind(1, "a");
    BOOST_REQUIRE(st.step());
    return std::pair{st.blob(0), st.int64(1)};
  });
  BOOST_TEST((row.first == Bytes{1, 2, 3}));
  BOOST_TEST(row.second == 7);
  auto journal = db->run_sync([](db::Connection& c) {
    auto st = c.prepare("PRAGMA journal_mode");
    st.step();
    return st.text(0);
  });
  BOOST_TEST(journal == "wal");
}

BOOST_AUTO_TEST_CASE(a_failing_transaction_rolls_back) {
  auto db = db::Database::open(":memory:", {{1, "CREATE TABLE t (x INTEGER UNIQUE)"}}).value();
  BOOST_CHECK_THROW(db->run_sync([](db::Connection& c) {
    c.transaction([&] {
      c.exec("INSERT INTO t VALUES (1)");
      c.exec("INSERT INTO t VALUES (1)");  // violates UNIQUE
    });
  }),
                    db::DbError);
  auto n = db->run_sync([](db::Connection& c) {
    auto st = c.prepare("SELECT COUNT(*) FROM t");
    st.step();
    return st.int64(0);
  });
  BOOST_TEST(n == 0);
}

BOOST_AUTO_TEST_CASE(a_write_under_another_connections_lock_fails_with_sqlite_busy) {
  auto dir = testing::make_temp_dir("mdmlab-db-");
  auto db = db::Database::open(dir + "/t.db", {{1, "CREATE TABLE t (x INTEGER)"}}).value();
  db->run_sync([](db::Connection& c) { sqlite3_busy_timeout(c.native(), 20); });
  sqlite3* other = nullptr;
  BOOST_REQUIRE(sqlite3_open((dir + "/t.db").c_str(), &other) == SQLITE_OK);
  BOOST_REQUIRE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
  int code = SQLITE_OK;
  try {
    db->run_sync([](db::Connection& c) { c.prepare("INSERT INTO t VALUES (1)").step(); });
  } catch (const db::DbError& e) {
    code = e.code();
  }
  // The code says what happened without quoting the SQL (the store's errors are built on it).
  BOOST_TEST(code == SQLITE_BUSY);
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  db->run_sync([](db::Connection& c) { c.prepare("INSERT INTO t VALUES (1)").step(); });
}

BOOST_AUTO_TEST_CASE(prepared_statements_are_reused_reset_and_safe_to_nest) {
  auto db = db::Database::open(":memory:", {{1, "CREATE TABLE t (x INTEGER, y TEXT)"}}).value();
  db->run_sync([](db::Connection& c) {
    const std::string insert = "INSERT INTO t VALUES (?, ?)";
    sqlite3_stmt* first = nullptr;
    {
      auto st = c.prepare(insert);
      st.bind(1, std::int64_t{1}).bind(2, "one").step();
      first = sqlite3_next_stmt(c.native(), nullptr);
    }
    {
      // The same SQL gets the same statement back, with the old bindings cleared: y is NULL.
      auto st = c.prepare(insert);
      BOOST_TEST(sqlite3_next_stmt(c.native(), nullptr) == first);
      st.bind(1, std::int64_t{2}).step();
    }
    // A query still open while the same SQL is prepared again: each gets its own statement,
    // both read every row, and the spare is finalized when they come back.
    auto live_statements = [&c] {
      int n = 0;
      for (auto* s = sqlite3_next_stmt(c.native(), nullptr); s;
           s = sqlite3_next_stmt(c.native(), s))
        ++n;
      return n;
    };
    const int live_before = live_statements();
    const std::string select = "SELECT x, y FROM t ORDER BY x";
    {
      auto outer = c.prepare(select);
      BOOST_REQUIRE(outer.step());
      BOOST_TEST(outer.int64(0) == 1);
      BOOST_TEST(outer.text(1) == "one");
      {
        auto inner = c.prepare(select);
        int rows = 0;
        while (inner.step()) ++rows;
        BOOST_TEST(rows == 2);
      }
      BOOST_REQUIRE(outer.step());
      BOOST_TEST(outer.int64(0) == 2);
      BOOST_TEST(outer.is_null(1));
      BOOST_TEST(!outer.step());
    }
    BOOST_TEST(live_statements() == live_before + 1);  // one idle statement per SQL text
    // A reused SELECT starts from the first row again.
    auto again = c.prepare(select);
    BOOST_REQUIRE(again.step());
    BOOST_TEST(again.int64(0) == 1);
  });
}

BOOST_AUTO_TEST_SUITE_END()
