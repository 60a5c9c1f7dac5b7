#include "server/store/sqlite/sqlite_agent_store.hpp"

#include "server/store/sqlite/time_columns.hpp"

namespace mdmlab::server::store::sqlite {
using boost::asio::awaitable;

namespace {
std::optional<IdpAccount> find_account(db::Connection& c, const std::string& email) {
  auto st = c.prepare("SELECT id, email, first_name, last_name FROM idp_accounts WHERE email = ?");
  st.bind(1, email);
  if (!st.step()) return std::nullopt;
  return IdpAccount{st.int64(0), st.text(1), st.text(2), st.text(3)};
}
}  // namespace

awaitable<Result<void>> SqliteAgentStore::enroll_agent(AgentEnrollment e) {
  auto fn = [e](db::Connection& c) -> Result<void> {
    return c.transaction([&]() -> Result<void> {
      if (!e.windows_device_id.empty()) {
        auto st = c.prepare("SELECT host_uuid FROM windows_enrollments WHERE device_id = ?");
        st.bind(1, e.windows_device_id);
        if (!st.step()) return make_error("no_enrollment", "no Windows enrollment");
        const auto linked = st.text(0);
        if (!linked.empty() && linked != e.host.uuid)
          return make_error("already_linked", "the enrollment belongs to another host");
      }
      c.prepare(
           "INSERT INTO agent_hosts (uuid, node_key_hash, serial, hostname, platform, "
           "enrolled_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(uuid) DO UPDATE SET "
           "node_key_hash = excluded.node_key_hash, serial = excluded.serial, hostname = "
           "excluded.hostname, platform = excluded.platform")
          .bind(1, e.host.uuid)
          .bind(2, e.host.node_key_hash)
          .bind(3, e.host.serial)
          .bind(4, e.host.hostname)
          .bind(5, e.host.platform)
          .bind(6, to_unix(e.host.enrolled_at))
          .step();
      if (!e.account_email.empty()) {
        // The account is found or created; an existing one keeps its names.
        c.prepare(
             "INSERT OR IGNORE INTO idp_accounts (email, first_name, last_name) "
             "VALUES (?, '', '')")
            .bind(1, e.account_email)
            .step();
        auto account = find_account(c, e.account_email);
        c.prepare("INSERT OR REPLACE INTO host_idp_accounts (host_uuid, account_id) VALUES (?, ?)")
            .bind(1, e.host.uuid)
            .bind(2, account->id)
            .step();
        // The SCIM user of that name, if the IdP provisioned one, is the host's too.
        c.prepare(
             "INSERT OR REPLACE INTO host_scim_users (host_uuid, scim_user_id) SELECT ?, id FROM "
             "scim_users WHERE user_name = ? COLLATE NOCASE")
            .bind(1, e.host.uuid)
            .bind(2, e.account_email)
            .step();
      }
      if (!e.windows_device_id.empty())
        c.prepare("UPDATE windows_enrollments SET host_uuid = ? WHERE device_id = ?")
            .bind(1, e.host.uuid)
            .bind(2, e.windows_device_id)
            .step();
      return success();
    });
  };
  auto r = co_await db_.guarded("enroll_agent", std::move(fn));
  if (!r) co_return r.error();
  co_return *r;
}

awaitable<Result<std::optional<AgentHost>>> SqliteAgentStore::agent_host(std::string uuid) {
  auto fn = [uuid](db::Connection& c) -> std::optional<AgentHost> {
    auto st = c.prepare(
        "SELECT uuid, node_key_hash, serial, hostname, platform, enrolled_at FROM agent_hosts "
        "WHERE uuid = ?");
    st.bind(1, uuid);
    if (!st.step()) return std::nullopt;
    return AgentHost{st.text(0), st.text(1), st.text(2),
                     st.text(3), st.text(4), from_unix(st.int64(5))};
  };
  auto r = co_await db_.guarded("agent_host", std::move(fn));
  co_return r;
}

awaitable<Result<std::optional<IdpAccount>>> SqliteAgentStore::idp_account(std::string email) {
  auto fn = [email](db::Connection& c) { return find_account(c, email); };
  auto r = co_await db_.guarded("idp_account", std::move(fn));
  co_return r;
}

awaitable<Result<IdpAccount>> SqliteAgentStore::upsert_idp_account(IdpAccount a) {
  auto fn = [a](db::Connection& c) {
    c.prepare(
         "INSERT INTO idp_accounts (email, first_name, last_name) VALUES (?, ?, ?) "
         "ON CONFLICT(email) DO UPDATE SET first_name = excluded.first_name, "
         "last_name = excluded.last_name")
        .bind(1, a.email)
        .bind(2, a.first_name)
        .bind(3, a.last_name)
        .step();
    return *find_account(c, a.email);
  };
  auto r = co_await db_.guarded("upsert_idp_account", std::move(fn));
  co_return r;
}

awaitable<Result<std::optional<IdpAccount>>> SqliteAgentStore::host_account(std::string host_uuid) {
  auto fn = [host_uuid](db::Connection& c) -> std::optional<IdpAccount> {
    auto st = c.prepare(
        "SELECT a.id, a.email, a.first_name, a.last_name FROM host_idp_accounts h JOIN "
        "idp_accounts a ON a.id = h.account_id WHERE h.host_uuid = ?");
    st.bind(1, host_uuid);
    if (!st.step()) return std::nullopt;
    return IdpAccount{st.int64(0), st.text(1), st.text(2), st.text(3)};
  };
  auto r = co_await db_.guarded("host_account", std::move(fn));
  co_return r;
}

awaitable<Result<std::string>> SqliteAgentStore::windows_host(std::string device_id) {
  auto fn = [device_id](db::Connection& c) {
    auto st = c.prepare("SELECT host_uuid FROM windows_enrollments WHERE device_id = ?");
    st.bind(1, device_id);
    return st.step() ? st.text(0) : std::string();
  };
  auto r = co_await db_.guarded("windows_host", std::move(fn));
  co_return r;
}

}  // namespace mdmlab::server::store::sqlite
