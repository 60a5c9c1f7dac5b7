// DepStore on SQLite (statements run on the database thread).
#pragma once

#include "core/db/sqlite.hpp"
#include "server/store/dep_store.hpp"
#include "server/store/sqlite/guarded_database.hpp"

namespace mdmlab::server::store::sqlite {

class SqliteDepStore final : public DepStore {
 public:
  // `registry` (optional) receives mdmlab_store_errors_total.
  explicit SqliteDepStore(db::Database& db, metrics::Registry* registry = nullptr)
      : db_(db, registry) {}

  boost::asio::awaitable<Result<DepSyncState>> dep_state() override;
  boost::asio::awaitable<Result<void>> store_dep_cursor(std::string cursor) override;
  boost::asio::awaitable<Result<void>> store_dep_profile(std::string uuid,
                                                         std::string hash) override;
  boost::asio::awaitable<Result<void>> upsert_dep_devices(std::vector<DepDeviceRecord> devices,
                                                          TimePoint at) override;
  boost::asio::awaitable<Result<void>> record_dep_assignment(
      std::string profile_uuid, std::map<std::string, std::string> results, TimePoint at) override;
  boost::asio::awaitable<Result<std::vector<DepDeviceRecord>>> dep_devices() override;
  boost::asio::awaitable<Result<std::optional<DepDeviceRecord>>> dep_device(
      std::string serial) override;

 private:
  GuardedDatabase db_;
};

}  // namespace mdmlab::server::store::sqlite
