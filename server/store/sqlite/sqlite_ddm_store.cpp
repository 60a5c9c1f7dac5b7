#include "server/store/sqlite/sqlite_ddm_store.hpp"

#include "server/store/sqlite/time_columns.hpp"

namespace mdmlab::server::store::sqlite {
namespace {
using boost::asio::awaitable;
using mdmlab::apple::ddm::Declaration;
using nlohmann::json;

Declaration read_declaration(db::Statement& st) {
  Declaration d;
  d.identifier = st.text(0);
  d.type = st.text(1);
  d.server_token = st.text(2);
  d.payload = json::parse(st.text(3), nullptr, false);
  if (!d.payload.is_object()) d.payload = json::object();
  return d;
}

std::vector<std::string> column(db::Statement& st) {
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.text(0));
  return out;
}
}  // namespace

awaitable<Result<bool>> SqliteDdmStore::put_declaration(Declaration d) {
  auto fn = [d](db::Connection& c) {
    return c.transaction([&] {
      auto old = c.prepare("SELECT server_token FROM ddm_declarations WHERE identifier = ?");
      old.bind(1, d.identifier);
      const bool same = old.step() && old.text(0) == d.server_token;
      c.prepare(
           "INSERT INTO ddm_declarations (identifier, type, server_token, payload) "
           "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (identifier) DO UPDATE SET type = ?2, "
           "server_token = ?3, payload = ?4")
          .bind(1, d.identifier)
          .bind(2, d.type)
          .bind(3, d.server_token)
          .bind(4, d.payload.dump())
          .step();
      return !same;
    });
  };
  auto r = co_await db_.guarded("put_declaration", std::move(fn));
  co_return r;
}

awaitable<Result<bool>> SqliteDdmStore::delete_declaration(std::string identifier) {
  auto fn = [identifier](db::Connection& c) {
    return c.transaction([&] {
      c.prepare("DELETE FROM ddm_set_declarations WHERE identifier = ?").bind(1, identifier).step();
      c.prepare("DELETE FROM ddm_declarations WHERE identifier = ?").bind(1, identifier).step();
      return c.changes() > 0;
    });
  };
  auto r = co_await db_.guarded("delete_declaration", std::move(fn));
  co_return r;
}

awaitable<Result<std::vector<Declaration>>> SqliteDdmStore::declarations() {
  auto fn = [](db::Connection& c) {
    auto st = c.prepare(
        "SELECT identifier, type, server_token, payload FROM ddm_declarations "
        "ORDER BY identifier");
    std::vector<Declaration> out;
    while (st.step()) out.push_back(read_declaration(st));
    return out;
  };
  auto r = co_await db_.guarded("declarations", std::move(fn));
  co_return r;
}

awaitable<Result<std::optional<Declaration>>> SqliteDdmStore::declaration(std::string identifier) {
  auto fn = [identifier](db::Connection& c) -> std::optional<Declaration> {
    auto st = c.prepare(
        "SELECT identifier, type, server_token, payload FROM ddm_declarations "
        "WHERE identifier = ?");
    st.bind(1, identifier);
    if (!st.step()) return std::nullopt;
    return read_declaration(st);
  };
  auto r = co_await db_.guarded("declaration", std::move(fn));
  co_return r;
}

awaitable<Result<bool>> SqliteDdmStore::set_set_member(std::string set, std::string identifier,
                                                       bool member) {
  auto fn = [set, identifier, member](db::Connection& c) {
    if (!member) {
      c.prepare("DELETE FROM ddm_set_declarations WHERE set_name = ? AND identifier = ?")
          .bind(1, set)
          .bind(2, identifier)
          .step();
      return true;
    }
    return c.transaction([&] {
      auto known = c.prepare("SELECT 1 FROM ddm_declarations WHERE identifier = ?");
      known.bind(1, identifier);
      if (!known.step()) return false;
      c.prepare("INSERT OR IGNORE INTO ddm_set_declarations (set_name, identifier) VALUES (?, ?)")
          .bind(1, set)
          .bind(2, identifier)
          .step();
      return true;
    });
  };
  auto r = co_await db_.guarded("set_set_member", std::move(fn));
  co_return r;
}

awaitable<Result<void>> SqliteDdmStore::set_enrollment_set(std::string enrollment_id,
                                                           std::string set, bool member) {
  auto fn = [enrollment_id, set, member](db::Connection& c) {
    c.prepare(member ? "INSERT OR IGNORE INTO ddm_enrollment_sets (enrollment_id, set_name) "
                       "VALUES (?, ?)"
                     : "DELETE FROM ddm_enrollment_sets WHERE enrollment_id = ? AND set_name = ?")
        .bind(1, enrollment_id)
        .bind(2, set)
        .step();
  };
  auto r = co_await db_.guarded("set_enrollment_set", std::move(fn));
  co_return r;
}

awaitable<Result<std::vector<Declaration>>> SqliteDdmStore::declarations_for(
    std::string enrollment_id) {
  auto fn = [enrollment_id](db::Connection& c) {
    auto st = c.prepare(
        "SELECT DISTINCT d.identifier, d.type, d.server_token, d.payload "
        "FROM ddm_enrollment_sets e JOIN ddm_set_declarations s ON s.set_name = e.set_name "
        "JOIN ddm_declarations d ON d.identifier = s.identifier "
        "WHERE e.enrollment_id = ? ORDER BY d.identifier");
    st.bind(1, enrollment_id);
    std::vector<Declaration> out;
    while (st.step()) out.push_back(read_declaration(st));
    return out;
  };
  auto r = co_await db_.guarded("declarations_for", std::move(fn));
  co_return r;
}

awaitable<Result<std::vector<std::string>>> SqliteDdmStore::enrollments_with(
    std::string identifier) {
  auto fn = [identifier](db::Connection& c) {
    auto st = c.prepare(
        "SELECT DISTINCT e.enrollment_id FROM ddm_enrollment_sets e "
        "JOIN ddm_set_declarations s ON s.set_name = e.set_name WHERE s.identifier = ? "
        "ORDER BY e.enrollment_id");
    st.bind(1, identifier);
    return column(st);
  };
  auto r = co_await db_.guarded("enrollments_with", std::move(fn));
  co_return r;
}

awaitable<Result<std::vector<std::string>>> SqliteDdmStore::enrollments_in_set(std::string set) {
  auto fn = [set](db::Connection& c) {
    auto st = c.prepare(
        "SELECT enrollment_id FROM ddm_enrollment_sets WHERE set_name = ? ORDER BY enrollment_id");
    st.bind(1, set);
    return column(st);
  };
  auto r = co_await db_.guarded("enrollments_in_set", std::move(fn));
  co_return r;
}

awaitable<Result<void>> SqliteDdmStore::store_ddm_status(std::string enrollment_id,
                                                         mdmlab::apple::ddm::StatusReport report,
                                                         TimePoint at) {
  auto fn = [enrollment_id, report, at](db::Connection& c) {
    c.transaction([&] {
      if (report.full_report)
        c.prepare("DELETE FROM ddm_status WHERE enrollment_id = ?").bind(1, enrollment_id).step();
      for (const auto& s : report.declarations) {
        c.prepare(
             "INSERT INTO ddm_status (enrollment_id, identifier, kind, active, valid, "
             "server_token, reasons, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
             "ON CONFLICT (enrollment_id, identifier) DO UPDATE SET kind = ?3, active = ?4, "
             "valid = ?5, server_token = ?6, reasons = ?7, updated_at = ?8")
            .bind(1, enrollment_id)
            .bind(2, s.identifier)
            .bind(3, std::string(mdmlab::apple::ddm::to_string(s.kind)))
            .bind(4, std::int64_t{s.active ? 1 : 0})
            .bind(5, s.valid)
            .bind(6, s.server_token)
            .bind(7, s.reasons.dump())
            .bind(8, to_unix(at))
            .step();
      }
      for (const auto& e : report.errors)
        c.prepare("INSERT INTO ddm_status_errors (enrollment_id, error, at) VALUES (?, ?, ?)")
            .bind(1, enrollment_id)
            .bind(2, e.dump())
            .bind(3, to_unix(at))
            .step();
      c.prepare(
           "DELETE FROM ddm_status_errors WHERE enrollment_id = ?1 AND id NOT IN (SELECT id FROM "
           "ddm_status_errors WHERE enrollment_id = ?1 ORDER BY id DESC LIMIT ?2)")
          .bind(1, enrollment_id)
          .bind(2, std::int64_t{kDdmErrorsKept})
          .step();
    });
  };
  auto r = co_await db_.guarded("store_ddm_status", std::move(fn));
  co_return r;
}

awaitable<Result<DdmStatusView>> SqliteDdmStore::ddm_status(std::string enrollment_id) {
  auto fn = [enrollment_id](db::Connection& c) {
    DdmStatusView v;
    auto st = c.prepare(
        "SELECT identifier, kind, active, valid, server_token, reasons, updated_at "
        "FROM ddm_status WHERE enrollment_id = ? ORDER BY identifier");
    st.bind(1, enrollment_id);
    while (st.step()) {
      DdmDeclarationStatus s;
      s.identifier = st.text(0);
      s.kind = st.text(1);
      s.active = st.int64(2) != 0;
      s.valid = st.text(3);
      s.server_token = st.text(4);
      s.reasons = json::parse(st.text(5), nullptr, false);
      if (!s.reasons.is_array()) s.reasons = json::array();
      s.updated_at = from_unix(st.int64(6));
      v.declarations.push_back(std::move(s));
    }
    auto errors = c.prepare(
        "SELECT error, at FROM ddm_status_errors WHERE enrollment_id = ? ORDER BY id DESC");
    errors.bind(1, enrollment_id);
    while (errors.step())
      v.errors.push_back({json::parse(errors.text(0), nullptr, false), from_unix(errors.int64(1))});
    return v;
  };
  auto r = co_await db_.guarded("ddm_status", std::move(fn));
  co_return r;
}

}  // namespace mdmlab::server::store::sqlite
