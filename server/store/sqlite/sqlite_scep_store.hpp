// ScepStore on SQLite (statements run on the database thread).
#pragma once

#include "core/db/sqlite.hpp"
#include "server/store/scep_store.hpp"
#include "server/store/sqlite/guarded_database.hpp"

namespace mdmlab::server::store::sqlite {

class SqliteScepStore final : public ScepStore {
 public:
  // `registry` (optional) receives mdmlab_store_errors_total.
  explicit SqliteScepStore(db::Database& db, metrics::Registry* registry = nullptr)
      : db_(db, registry) {}

  boost::asio::awaitable<Result<std::optional<ScepTransaction>>> find_transaction(
      std::string id) override;
  boost::asio::awaitable<Result<ScepTransaction>> insert_transaction(
      ScepTransaction tx, std::optional<IssuedCertificate> cert, bool replace_decided) override;
  boost::asio::awaitable<Result<bool>> decide_transaction(std::string id,
                                                          ScepTransactionStatus decision,
                                                          std::optional<IssuedCertificate> cert,
                                                          TimePoint at) override;
  boost::asio::awaitable<Result<std::vector<ScepTransaction>>> list_transactions(
      std::optional<ScepTransactionStatus> status) override;
  boost::asio::awaitable<Result<std::optional<IssuedCertificate>>> find_certificate(
      std::string serial) override;
  boost::asio::awaitable<Result<std::int64_t>> count_certificates() override;

 private:
  GuardedDatabase db_;
};

}  // namespace mdmlab::server::store::sqlite
