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

BOOST_AUTO_TEST_SUITE_END()
