// The server's stored state, read through a separate read-only SQLite connection: every row of
// every table (devices, enrollments, bindings, commands, queue/results, SCEP transactions and
// certificates; Windows enrollments with their DeviceID, enabled flag and certificate
// fingerprint, and Windows commands with their status and results; the DEP state and devices). Two
// snapshots compare table by table. A baseline copy lets the suite put the database back after a
// case that changed it, so one bug does not hide the next.
#pragma once

#include <map>
#include <string>
#include <vector>

struct sqlite3;

namespace mdmlab::db {
class Database;
}

namespace mdmlab::testing::hostile {

using Snapshot = std::map<std::string, std::string>;  // table -> its rows, rendered

class StateReader {
 public:
  explicit StateReader(const std::string& db_path);
  ~StateReader();
  StateReader(const StateReader&) = delete;
  StateReader& operator=(const StateReader&) = delete;

  Snapshot take() const;
  // Copies the database as it is now to `path` (SQLite backup API).
  void save_baseline(const std::string& path) const;

 private:
  sqlite3* db_ = nullptr;
};

// Tables whose rows differ.
std::vector<std::string> changed_tables(const Snapshot& before, const Snapshot& after);
// Puts every table of the live database back to the baseline's rows (on the server's own
// database thread, in one transaction).
void restore_baseline(db::Database& live, const std::string& baseline_path,
                      const std::vector<std::string>& tables);

}  // namespace mdmlab::testing::hostile
