#include "tests/hostile/snapshot.hpp"

#include <sqlite3.h>

#include <stdexcept>

#include "common/bytes.hpp"
#include "core/db/sqlite.hpp"

namespace mdmlab::testing::hostile {

StateReader::StateReader(const std::string& db_path) {
  if (sqlite3_open_v2(db_path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    throw std::runtime_error("cannot open " + db_path + " read-only");
  sqlite3_busy_timeout(db_, 5000);
}

StateReader::~StateReader() {
  sqlite3_close(db_);
}

Snapshot StateReader::take() const {
  Snapshot out;
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                     &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW)
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  for (const auto& t : tables) {
    std::string rows;
    if (sqlite3_prepare_v2(db_, ("SELECT * FROM \"" + t + "\" ORDER BY rowid").c_str(), -1, &st,
                           nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("snapshot of ") + t + ": " + sqlite3_errmsg(db_));
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        switch (sqlite3_column_type(st, c)) {
          case SQLITE_NULL:
            rows += "NULL";
            break;
          case SQLITE_BLOB: {
            auto p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, c));
            rows += "x'" + hex_encode(Bytes(p, p + sqlite3_column_bytes(st, c))) + "'";
            break;
          }
          default:
            rows += "'" +
                    std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c)),
                                static_cast<std::size_t>(sqlite3_column_bytes(st, c))) +
                    "'";
        }
        rows += '|';
      }
      rows += '\n';
    }
    sqlite3_finalize(st);
    out[t] = std::move(rows);
  }
  return out;
}

void StateReader::save_baseline(const std::string& path) const {
  sqlite3* dest = nullptr;
  if (sqlite3_open(path.c_str(), &dest) != SQLITE_OK)
    throw std::runtime_error("cannot create " + path);
  auto* b = sqlite3_backup_init(dest, "main", db_, "main");
  if (!b) throw std::runtime_error(std::string("backup: ") + sqlite3_errmsg(dest));
  sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  sqlite3_close(dest);
}

std::vector<std::string> changed_tables(const Snapshot& before, const Snapshot& after) {
  std::vector<std::string> out;
  for (const auto& [table, rows] : after) {
    auto it = before.find(table);
    if (it == before.end() || it->second != rows) out.push_back(table);
  }
  for (const auto& [table, rows] : before)
    if (!after.count(table)) out.push_back(table);
  return out;
}

void restore_baseline(db::Database& live, const std::string& baseline_path,
                      const std::vector<std::string>& tables) {
  live.run_sync([&](db::Connection& c) {
    c.exec("ATTACH DATABASE '" + baseline_path + "' AS baseline");
    try {
      c.transaction([&] {
        for (const auto& t : tables) {
          c.exec("DELETE FROM main.\"" + t + "\"");
          c.exec("INSERT INTO main.\"" + t + "\" SELECT * FROM baseline.\"" + t + "\"");
        }
      });
    } catch (...) {
      c.exec("DETACH DATABASE baseline");
      throw;
    }
    c.exec("DETACH DATABASE baseline");
    return 0;
  });
}

}  // namespace mdmlab::testing::hostile
