#include "server/store/sqlite/sqlite_scim_store.hpp"

#include "crypto/random.hpp"
#include "server/store/sqlite/time_columns.hpp"

namespace mdmlab::server::store::sqlite {
using boost::asio::awaitable;

namespace {
constexpr const char* kColumns =
    "id, external_id, user_name, given_name, family_name, email, active, created_at, "
    "modified_at";

StoredScimUser row(const db::Statement& st) {
  StoredScimUser s;
  s.user = mdmlab::scim::ScimUser{st.text(0), st.text(1), st.text(2),      st.text(3),
                                  st.text(4), st.text(5), st.int64(6) != 0};
  s.created = from_unix(st.int64(7));
  s.modified = from_unix(st.int64(8));
  return s;
}

std::optional<StoredScimUser> find(db::Connection& c, const std::string& id) {
  auto st = c.prepare(std::string("SELECT ") + kColumns + " FROM scim_users WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return row(st);
}

// Another user with this userName (any case) or externalId.
bool taken(db::Connection& c, const mdmlab::scim::ScimUser& u) {
  auto st = c.prepare(
      "SELECT 1 FROM scim_users WHERE id <> ? AND (user_name = ? COLLATE NOCASE OR "
      "(external_id <> '' AND external_id = ?))");
  st.bind(1, u.id).bind(2, u.user_name).bind(3, u.external_id);
  return st.step();
}

void write(db::Connection& c, const mdmlab::scim::ScimUser& u, TimePoint now, bool insert) {
  auto st = c.prepare(
      insert ? "INSERT INTO scim_users (external_id, user_name, given_name, family_name, email, "
               "active, modified_at, id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
             : "UPDATE scim_users SET external_id = ?, user_name = ?, given_name = ?, "
               "family_name = ?, email = ?, active = ?, modified_at = ? WHERE id = ?");
  st.bind(1, u.external_id)
      .bind(2, u.user_name)
      .bind(3, u.given_name)
      .bind(4, u.family_name)
      .bind(5, u.email)
      .bind(6, std::int64_t{u.active ? 1 : 0})
      .bind(7, to_unix(now))
      .bind(8, u.id);
  if (insert) st.bind(9, to_unix(now));
  st.step();
}
}  // namespace

awaitable<Result<StoredScimUser>> SqliteScimStore::create_scim_user(mdmlab::scim::ScimUser u,
                                                                    TimePoint now) {
  u.id = crypto::random_uuid();
  auto fn = [u, now](db::Connection& c) -> Result<StoredScimUser> {
    return c.transaction([&]() -> Result<StoredScimUser> {
      if (taken(c, u)) return make_error("uniqueness", "userName or externalId is taken");
      write(c, u, now, true);
      return *find(c, u.id);
    });
  };
  auto r = co_await db_.guarded("create_scim_user", std::move(fn));
  if (!r) co_return r.error();
  co_return *r;
}

awaitable<Result<StoredScimUser>> SqliteScimStore::update_scim_user(mdmlab::scim::ScimUser u,
                                                                    TimePoint now) {
  auto fn = [u, now](db::Connection& c) -> Result<StoredScimUser> {
    return c.transaction([&]() -> Result<StoredScimUser> {
      if (!find(c, u.id)) return make_error("not_found", "no such user");
      if (taken(c, u)) return make_error("uniqueness", "userName or externalId is taken");
      write(c, u, now, false);
      return *find(c, u.id);
    });
  };
  auto r = co_await db_.guarded("update_scim_user", std::move(fn));
  if (!r) co_return r.error();
  co_return *r;
}

awaitable<Result<std::optional<StoredScimUser>>> SqliteScimStore::scim_user(std::string id) {
  auto fn = [id](db::Connection& c) { return find(c, id); };
  auto r = co_await db_.guarded("scim_user", std::move(fn));
  co_return r;
}

awaitable<Result<ScimStore::Page>> SqliteScimStore::find_scim_users(std::string attribute,
                                                                    std::string value,
                                                                    std::int64_t start,
                                                                    std::int64_t count) {
  auto fn = [attribute, value, start, count](db::Connection& c) {
    std::string where = " WHERE 1 = 1";
    if (attribute == "userName") where = " WHERE user_name = ? COLLATE NOCASE";
    if (attribute == "externalId") where = " WHERE external_id = ?";
    Page page;
    auto total = c.prepare("SELECT COUNT(*) FROM scim_users" + where);
    if (!attribute.empty()) total.bind(1, value);
    if (total.step()) page.total = total.int64(0);
    auto st = c.prepare(std::string("SELECT ") + kColumns + " FROM scim_users" + where +
                        " ORDER BY created_at, id LIMIT ? OFFSET ?");
    const int first = attribute.empty() ? 1 : 2;
    if (!attribute.empty()) st.bind(1, value);
    st.bind(first, count);
    st.bind(first + 1, start);
    while (st.step()) page.users.push_back(row(st));
    return page;
  };
  auto r = co_await db_.guarded("find_scim_users", std::move(fn));
  co_return r;
}

awaitable<Result<bool>> SqliteScimStore::delete_scim_user(std::string id) {
  auto fn = [id](db::Connection& c) -> Result<bool> {
    return c.transaction([&]() -> Result<bool> {
      c.prepare("DELETE FROM host_scim_users WHERE scim_user_id = ?").bind(1, id).step();
      c.prepare("DELETE FROM scim_users WHERE id = ?").bind(1, id).step();
      return c.changes() > 0;
    });
  };
  auto r = co_await db_.guarded("delete_scim_user", std::move(fn));
  if (!r) co_return r.error();
  co_return *r;
}

awaitable<Result<std::optional<StoredScimUser>>> SqliteScimStore::host_scim_user(
    std::string host_uuid) {
  auto fn = [host_uuid](db::Connection& c) -> std::optional<StoredScimUser> {
    auto st = c.prepare("SELECT scim_user_id FROM host_scim_users WHERE host_uuid = ?");
    st.bind(1, host_uuid);
    if (!st.step()) return std::nullopt;
    return find(c, st.text(0));
  };
  auto r = co_await db_.guarded("host_scim_user", std::move(fn));
  co_return r;
}

}  // namespace mdmlab::server::store::sqlite
