// ScimStore on SQLite: scim_users and host_scim_users (migration 12).
#pragma once

#include "server/store/scim_store.hpp"
#include "server/store/sqlite/guarded_database.hpp"

namespace mdmlab::server::store::sqlite {

class SqliteScimStore final : public ScimStore {
 public:
  explicit SqliteScimStore(db::Database& db, metrics::Registry* registry = nullptr)
      : db_(db, registry) {}

  boost::asio::awaitable<Result<StoredScimUser>> create_scim_user(mdmlab::scim::ScimUser u,
                                                                  TimePoint now) override;
  boost::asio::awaitable<Result<StoredScimUser>> update_scim_user(mdmlab::scim::ScimUser u,
                                                                  TimePoint now) override;
  boost::asio::awaitable<Result<std::optional<StoredScimUser>>> scim_user(std::string id) override;
  boost::asio::awaitable<Result<Page>> find_scim_users(std::string attribute, std::string value,
                                                       std::int64_t start,
                                                       std::int64_t count) override;
  boost::asio::awaitable<Result<bool>> delete_scim_user(std::string id) override;
  boost::asio::awaitable<Result<std::optional<StoredScimUser>>> host_scim_user(
      std::string host_uuid) override;

 private:
  GuardedDatabase db_;
};

}  // namespace mdmlab::server::store::sqlite
