// AgentStore on SQLite: agent_hosts, idp_accounts, host_idp_accounts and the host_uuid of
// windows_enrollments (migration 11).
#pragma once

#include "server/store/agent_store.hpp"
#include "server/store/sqlite/guarded_database.hpp"

namespace mdmlab::server::store::sqlite {

class SqliteAgentStore final : public AgentStore {
 public:
  explicit SqliteAgentStore(db::Database& db, metrics::Registry* registry = nullptr)
      : db_(db, registry) {}

  boost::asio::awaitable<Result<void>> enroll_agent(AgentEnrollment e) override;
  boost::asio::awaitable<Result<std::optional<AgentHost>>> agent_host(std::string uuid) override;
  boost::asio::awaitable<Result<std::optional<IdpAccount>>> idp_account(std::string email) override;
  boost::asio::awaitable<Result<IdpAccount>> upsert_idp_account(IdpAccount a) override;
  boost::asio::awaitable<Result<std::optional<IdpAccount>>> host_account(
      std::string host_uuid) override;
  boost::asio::awaitable<Result<std::string>> windows_host(std::string device_id) override;

 private:
  GuardedDatabase db_;
};

}  // namespace mdmlab::server::store::sqlite
