// DdmStore on SQLite (statements run on the database thread).
#pragma once

#include "core/db/sqlite.hpp"
#include "server/store/ddm_store.hpp"
#include "server/store/sqlite/guarded_database.hpp"

namespace mdmlab::server::store::sqlite {

class SqliteDdmStore final : public DdmStore {
 public:
  // `registry` (optional) receives mdmlab_store_errors_total.
  explicit SqliteDdmStore(db::Database& db, metrics::Registry* registry = nullptr)
      : db_(db, registry) {}

  boost::asio::awaitable<Result<bool>> put_declaration(mdmlab::apple::ddm::Declaration d) override;
  boost::asio::awaitable<Result<bool>> delete_declaration(std::string identifier) override;
  boost::asio::awaitable<Result<std::vector<mdmlab::apple::ddm::Declaration>>> declarations()
      override;
  boost::asio::awaitable<Result<std::optional<mdmlab::apple::ddm::Declaration>>> declaration(
      std::string identifier) override;
  boost::asio::awaitable<Result<bool>> set_set_member(std::string set, std::string identifier,
                                                      bool member) override;
  boost::asio::awaitable<Result<void>> set_enrollment_set(std::string enrollment_id,
                                                          std::string set, bool member) override;
  boost::asio::awaitable<Result<std::vector<mdmlab::apple::ddm::Declaration>>> declarations_for(
      std::string enrollment_id) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> enrollments_with(
      std::string identifier) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> enrollments_in_set(
      std::string set) override;
  boost::asio::awaitable<Result<void>> store_ddm_status(std::string enrollment_id,
                                                        mdmlab::apple::ddm::StatusReport report,
                                                        TimePoint at) override;
  boost::asio::awaitable<Result<DdmStatusView>> ddm_status(std::string enrollment_id) override;

 private:
  GuardedDatabase db_;
};

}  // namespace mdmlab::server::store::sqlite
