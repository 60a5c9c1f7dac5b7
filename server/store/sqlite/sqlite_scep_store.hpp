// ScepStore on SQLite (statements run on the database thread).
#pragma once

#include "core/db/sqlite.hpp"
#include "server/store/scep_store.hpp"

namespace mdmlab::server::store::sqlite {

class SqliteScepStore final : public ScepStore {
 public:
  explicit SqliteScepStore(db::Database& db) : db_(db) {}

  boost::asio::awaitable<std::optional<ScepTransaction>> find_transaction(std::string id) override;
  boost::asio::awaitable<ScepTransaction> insert_transaction(ScepTransaction tx,
                                                             std::optional<IssuedCertificate> cert,
                                                             bool replace_decided) override;
  boost::asio::awaitable<bool> decide_transaction(std::string id, ScepTransactionStatus decision,
                                                  std::optional<IssuedCertificate> cert,
                                                  TimePoint at) override;
  boost::asio::awaitable<std::vector<ScepTransaction>> list_transactions(
      std::optional<ScepTransactionStatus> status) override;
  boost::asio::awaitable<std::optional<IssuedCertificate>> find_certificate(
      std::string serial) override;
  boost::asio::awaitable<std::int64_t> count_certificates() override;

 private:
  db::Database& db_;
};

}  // namespace mdmlab::server::store::sqlite
