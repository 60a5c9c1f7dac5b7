#include "server/store/sqlite/sqlite_dep_store.hpp"

#include "server/store/sqlite/time_columns.hpp"

namespace mdmlab::server::store::sqlite {
namespace {
using boost::asio::awaitable;

constexpr const char* kDeviceColumns =
    "serial_number, model, os, device_family, description, color, op_type, op_date, "
    "profile_uuid, profile_status, assign_result, deleted, updated_at";

DepDeviceRecord read_device(db::Statement& st) {
  DepDeviceRecord d;
  d.serial_number = st.text(0);
  d.model = st.text(1);
  d.os = st.text(2);
  d.device_family = st.text(3);
  d.description = st.text(4);
  d.color = st.text(5);
  d.op_type = st.text(6);
  d.op_date = st.text(7);
  d.profile_uuid = st.text(8);
  d.profile_status = st.text(9);
  d.assign_result = st.text(10);
  d.deleted = st.int64(11) != 0;
  d.updated_at = from_unix(st.int64(12));
  return d;
}
}  // namespace

awaitable<Result<DepSyncState>> SqliteDepStore::dep_state() {
  auto fn = [](db::Connection& c) {
    auto st = c.prepare("SELECT cursor, profile_uuid, profile_hash FROM dep_state WHERE id = 1");
    DepSyncState s;
    if (st.step()) {
      s.cursor = st.text(0);
      s.profile_uuid = st.text(1);
      s.profile_hash = st.text(2);
    }
    return s;
  };
  auto result = co_await db_.guarded("dep_state", std::move(fn));
  co_return result;
}

awaitable<Result<void>> SqliteDepStore::store_dep_cursor(std::string cursor) {
  auto fn = [cursor](db::Connection& c) {
    c.prepare("UPDATE dep_state SET cursor = ? WHERE id = 1").bind(1, cursor).step();
  };
  auto result = co_await db_.guarded("store_dep_cursor", std::move(fn));
  co_return result;
}

awaitable<Result<void>> SqliteDepStore::store_dep_profile(std::string uuid, std::string hash) {
  auto fn = [uuid, hash](db::Connection& c) {
    c.prepare("UPDATE dep_state SET profile_uuid = ?, profile_hash = ? WHERE id = 1")
        .bind(1, uuid)
        .bind(2, hash)
        .step();
  };
  auto result = co_await db_.guarded("store_dep_profile", std::move(fn));
  co_return result;
}

awaitable<Result<void>> SqliteDepStore::upsert_dep_devices(std::vector<DepDeviceRecord> devices,
                                                           TimePoint at) {
  auto fn = [devices, at](db::Connection& c) {
    c.transaction([&] {
      for (const auto& d : devices) {
        c.prepare(std::string("INSERT INTO dep_devices (") + kDeviceColumns +
                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, '', ?11, ?12) "
                  "ON CONFLICT (serial_number) DO UPDATE SET model = ?2, os = ?3, "
                  "device_family = ?4, description = ?5, color = ?6, op_type = ?7, op_date = ?8, "
                  "profile_uuid = ?9, profile_status = ?10, deleted = ?11, updated_at = ?12")
            .bind(1, d.serial_number)
            .bind(2, d.model)
            .bind(3, d.os)
            .bind(4, d.device_family)
            .bind(5, d.description)
            .bind(6, d.color)
            .bind(7, d.op_type)
            .bind(8, d.op_date)
            .bind(9, d.profile_uuid)
            .bind(10, d.profile_status)
            .bind(11, std::int64_t{d.deleted ? 1 : 0})
            .bind(12, to_unix(at))
            .step();
      }
    });
  };
  auto result = co_await db_.guarded("upsert_dep_devices", std::move(fn));
  co_return result;
}

awaitable<Result<void>> SqliteDepStore::record_dep_assignment(
    std::string profile_uuid, std::map<std::string, std::string> results, TimePoint at) {
  auto fn = [profile_uuid, results, at](db::Connection& c) {
    c.transaction([&] {
      for (const auto& [serial, outcome] : results) {
        const bool ok = outcome == "SUCCESS";
        c.prepare(
             "UPDATE dep_devices SET assign_result = ?2, updated_at = ?3, "
             "profile_uuid = CASE WHEN ?4 THEN ?5 ELSE profile_uuid END, "
             "profile_status = CASE WHEN ?4 THEN (CASE WHEN ?5 = '' THEN 'removed' ELSE 'assigned' "
             "END) "
             "ELSE profile_status END "
             "WHERE serial_number = ?1")
            .bind(1, serial)
            .bind(2, outcome)
            .bind(3, to_unix(at))
            .bind(4, std::int64_t{ok ? 1 : 0})
            .bind(5, profile_uuid)
            .step();
      }
    });
  };
  auto result = co_await db_.guarded("record_dep_assignment", std::move(fn));
  co_return result;
}

awaitable<Result<std::vector<DepDeviceRecord>>> SqliteDepStore::dep_devices() {
  auto fn = [](db::Connection& c) {
    auto st = c.prepare(std::string("SELECT ") + kDeviceColumns +
                        " FROM dep_devices ORDER BY serial_number");
    std::vector<DepDeviceRecord> out;
    while (st.step()) out.push_back(read_device(st));
    return out;
  };
  auto result = co_await db_.guarded("dep_devices", std::move(fn));
  co_return result;
}

awaitable<Result<std::optional<DepDeviceRecord>>> SqliteDepStore::dep_device(std::string serial) {
  auto fn = [serial](db::Connection& c) -> std::optional<DepDeviceRecord> {
    auto st = c.prepare(std::string("SELECT ") + kDeviceColumns +
                        " FROM dep_devices WHERE serial_number = ?");
    st.bind(1, serial);
    if (!st.step()) return std::nullopt;
    return read_device(st);
  };
  auto result = co_await db_.guarded("dep_device", std::move(fn));
  co_return result;
}

}  // namespace mdmlab::server::store::sqlite
