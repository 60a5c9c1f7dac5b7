// SqliteAppleStore's IdpUserStore: apple_idp_users (migration 9).
#include "server/store/sqlite/sqlite_apple_store.hpp"
#include "server/store/sqlite/time_columns.hpp"

namespace mdmlab::server::store::sqlite {
using boost::asio::awaitable;

namespace {
constexpr const char* kColumns =
    "udid, serial_number, username, name, subject, tenant, signed_in_at";

IdpUserRecord read(db::Statement& st) {
  return {st.text(0),
          st.text(1),
          st.text(2),
          st.text(3),
          st.text(4),
          st.text(5),
          from_unix(st.int64(6))};
}
}  // namespace

awaitable<Result<void>> SqliteAppleStore::record_idp_user(IdpUserRecord r) {
  auto fn = [r](db::Connection& c) {
    c.prepare(std::string("INSERT OR REPLACE INTO apple_idp_users (") + kColumns +
              ") VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, r.udid)
        .bind(2, r.serial_number)
        .bind(3, r.username)
        .bind(4, r.name)
        .bind(5, r.subject)
        .bind(6, r.tenant)
        .bind(7, to_unix(r.signed_in_at))
        .step();
  };
  auto result = co_await db_.guarded("record_idp_user", std::move(fn));
  co_return result;
}

awaitable<Result<std::optional<IdpUserRecord>>> SqliteAppleStore::idp_user(std::string udid) {
  auto fn = [udid](db::Connection& c) -> std::optional<IdpUserRecord> {
    auto st = c.prepare(std::string("SELECT ") + kColumns + " FROM apple_idp_users WHERE udid = ?");
    st.bind(1, udid);
    if (!st.step()) return std::nullopt;
    return read(st);
  };
  auto result = co_await db_.guarded("idp_user", std::move(fn));
  co_return result;
}

awaitable<Result<std::map<std::string, IdpUserRecord>>> SqliteAppleStore::idp_users() {
  auto fn = [](db::Connection& c) {
    std::map<std::string, IdpUserRecord> out;
    auto st = c.prepare(std::string("SELECT ") + kColumns + " FROM apple_idp_users");
    while (st.step()) {
      auto r = read(st);
      out[r.udid] = std::move(r);
    }
    return out;
  };
  auto result = co_await db_.guarded("idp_users", std::move(fn));
  co_return result;
}

}  // namespace mdmlab::server::store::sqlite
