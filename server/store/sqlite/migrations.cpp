#include "server/store/sqlite/migrations.hpp"

namespace mdmlab::server::store::sqlite {

const std::vector<db::Migration>& migrations() {
  static const std::vector<db::Migration> all = {
      {1, R"sql(
CREATE TABLE scep_transactions (
  transaction_id     TEXT PRIMARY KEY,
  key_fingerprint    TEXT NOT NULL,
  message_type       TEXT NOT NULL,
  subject            TEXT NOT NULL,
  csr_der            BLOB NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('pending', 'issued', 'rejected')),
  certificate_serial TEXT,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX scep_transactions_status ON scep_transactions (status, created_at);
CREATE TABLE certificates (
  serial         TEXT PRIMARY KEY,
  subject        TEXT NOT NULL,
  transaction_id TEXT,
  der            BLOB NOT NULL,
  not_before     INTEGER NOT NULL,
  not_after      INTEGER NOT NULL,
  issued_at      INTEGER NOT NULL
);
)sql"},
  };
  return all;
}

}  // namespace mdmlab::server::store::sqlite
