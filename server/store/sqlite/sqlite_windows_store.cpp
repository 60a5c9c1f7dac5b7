#include "server/store/sqlite/sqlite_windows_store.hpp"

#include "server/store/sqlite/time_columns.hpp"

namespace mdmlab::server::store::sqlite {
using boost::asio::awaitable;

namespace {
constexpr const char* kEnrollmentColumns =
    "device_id, hw_dev_id, upn, enrollment_type, device_name, os_version, model, manufacturer, "
    "cert_fingerprint, cert_serial, enabled, enrolled_at, last_seen_at";
constexpr const char* kCommandColumns =
    "command_uuid, device_id, verb, syncml, status, results, created_at, answered_at";

WindowsEnrollment read_enrollment(db::Statement& st) {
  WindowsEnrollment e;
  e.device_id = st.text(0);
  e.hw_dev_id = st.text(1);
  e.upn = st.text(2);
  e.enrollment_type = st.text(3);
  e.device_name = st.text(4);
  e.os_version = st.text(5);
  e.model = st.text(6);
  e.manufacturer = st.text(7);
  e.cert_fingerprint = st.text(8);
  e.cert_serial = st.text(9);
  e.enabled = st.int64(10) != 0;
  e.enrolled_at = from_unix(st.int64(11));
  e.last_seen_at = from_unix(st.int64(12));
  return e;
}

WindowsCommand read_command(db::Statement& st) {
  WindowsCommand c;
  c.command_uuid = st.text(0);
  c.device_id = st.text(1);
  c.verb = st.text(2);
  c.syncml = st.text(3);
  c.status = st.text(4);
  c.results = st.text(5);
  c.created_at = from_unix(st.int64(6));
  c.answered_at = from_unix(st.int64(7));
  return c;
}
}  // namespace

awaitable<Result<void>> SqliteWindowsStore::upsert_windows_enrollment(WindowsEnrollment e) {
  auto fn = [e](db::Connection& c) {
    c.prepare(std::string("INSERT OR REPLACE INTO windows_enrollments (") + kEnrollmentColumns +
              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, e.device_id)
        .bind(2, e.hw_dev_id)
        .bind(3, e.upn)
        .bind(4, e.enrollment_type)
        .bind(5, e.device_name)
        .bind(6, e.os_version)
        .bind(7, e.model)
        .bind(8, e.manufacturer)
        .bind(9, e.cert_fingerprint)
        .bind(10, e.cert_serial)
        .bind(11, std::int64_t{e.enabled ? 1 : 0})
        .bind(12, to_unix(e.enrolled_at))
        .bind(13, to_unix(e.last_seen_at))
        .step();
  };
  auto r = co_await db_.guarded("upsert_windows_enrollment", std::move(fn));
  co_return r;
}

awaitable<Result<std::optional<WindowsEnrollment>>> SqliteWindowsStore::windows_enrollment(
    std::string device_id) {
  auto fn = [device_id](db::Connection& c) -> std::optional<WindowsEnrollment> {
    auto st = c.prepare(std::string("SELECT ") + kEnrollmentColumns +
                        " FROM windows_enrollments WHERE device_id = ?");
    st.bind(1, device_id);
    if (!st.step()) return std::nullopt;
    return read_enrollment(st);
  };
  auto r = co_await db_.guarded("windows_enrollment", std::move(fn));
  co_return r;
}

awaitable<Result<std::vector<WindowsEnrollment>>> SqliteWindowsStore::windows_enrollments() {
  auto fn = [](db::Connection& c) {
    std::vector<WindowsEnrollment> out;
    auto st = c.prepare(std::string("SELECT ") + kEnrollmentColumns +
                        " FROM windows_enrollments ORDER BY device_id");
    while (st.step()) out.push_back(read_enrollment(st));
    return out;
  };
  auto r = co_await db_.guarded("windows_enrollments", std::move(fn));
  co_return r;
}

awaitable<Result<void>> SqliteWindowsStore::update_windows_device(std::string device_id,
                                                                  std::string model,
                                                                  std::string manufacturer,
                                                                  TimePoint at) {
  auto fn = [device_id, model, manufacturer, at](db::Connection& c) {
    c.prepare(
         "UPDATE windows_enrollments SET model = CASE WHEN ? = '' THEN model ELSE ? END, "
         "manufacturer = CASE WHEN ? = '' THEN manufacturer ELSE ? END, last_seen_at = ? "
         "WHERE device_id = ?")
        .bind(1, model)
        .bind(2, model)
        .bind(3, manufacturer)
        .bind(4, manufacturer)
        .bind(5, to_unix(at))
        .bind(6, device_id)
        .step();
  };
  auto r = co_await db_.guarded("update_windows_device", std::move(fn));
  co_return r;
}

awaitable<Result<bool>> SqliteWindowsStore::disable_windows_enrollment(std::string device_id,
                                                                       TimePoint at) {
  auto fn = [device_id, at](db::Connection& c) {
    c.prepare(
         "UPDATE windows_enrollments SET enabled = 0, last_seen_at = ? WHERE device_id = ? AND "
         "enabled = 1")
        .bind(1, to_unix(at))
        .bind(2, device_id)
        .step();
    return c.changes() > 0;
  };
  auto r = co_await db_.guarded("disable_windows_enrollment", std::move(fn));
  co_return r;
}

awaitable<Result<void>> SqliteWindowsStore::enqueue_windows_command(WindowsCommand cmd) {
  auto fn = [cmd](db::Connection& c) {
    c.prepare(std::string("INSERT INTO windows_commands (") + kCommandColumns +
              ") VALUES (?, ?, ?, ?, '', '[]', ?, 0)")
        .bind(1, cmd.command_uuid)
        .bind(2, cmd.device_id)
        .bind(3, cmd.verb)
        .bind(4, cmd.syncml)
        .bind(5, to_unix(cmd.created_at))
        .step();
  };
  auto r = co_await db_.guarded("enqueue_windows_command", std::move(fn));
  co_return r;
}

awaitable<Result<std::vector<WindowsCommand>>> SqliteWindowsStore::pending_windows_commands(
    std::string device_id) {
  auto fn = [device_id](db::Connection& c) {
    std::vector<WindowsCommand> out;
    auto st = c.prepare(std::string("SELECT ") + kCommandColumns +
                        " FROM windows_commands WHERE device_id = ? AND status IN ('', 'sent') "
                        "ORDER BY created_at, rowid");
    st.bind(1, device_id);
    while (st.step()) out.push_back(read_command(st));
    return out;
  };
  auto r = co_await db_.guarded("pending_windows_commands", std::move(fn));
  co_return r;
}

awaitable<Result<void>> SqliteWindowsStore::mark_windows_commands_sent(
    std::vector<std::string> uuids) {
  auto fn = [uuids](db::Connection& c) {
    c.transaction([&] {
      for (const auto& u : uuids)
        c.prepare(
             "UPDATE windows_commands SET status = 'sent' WHERE command_uuid = ? AND "
             "status = ''")
            .bind(1, u)
            .step();
    });
  };
  auto r = co_await db_.guarded("mark_windows_commands_sent", std::move(fn));
  co_return r;
}

awaitable<Result<bool>> SqliteWindowsStore::record_windows_result(std::string uuid,
                                                                  std::string status,
                                                                  std::string results,
                                                                  TimePoint at) {
  auto fn = [uuid, status, results, at](db::Connection& c) {
    c.prepare(
         "UPDATE windows_commands SET status = ?, results = CASE WHEN ? = '' THEN results ELSE ? "
         "END, answered_at = ? WHERE command_uuid = ?")
        .bind(1, status)
        .bind(2, results)
        .bind(3, results)
        .bind(4, to_unix(at))
        .bind(5, uuid)
        .step();
    return c.changes() > 0;
  };
  auto r = co_await db_.guarded("record_windows_result", std::move(fn));
  co_return r;
}

awaitable<Result<std::optional<WindowsCommand>>> SqliteWindowsStore::windows_command(
    std::string uuid) {
  auto fn = [uuid](db::Connection& c) -> std::optional<WindowsCommand> {
    auto st = c.prepare(std::string("SELECT ") + kCommandColumns +
                        " FROM windows_commands WHERE command_uuid = ?");
    st.bind(1, uuid);
    if (!st.step()) return std::nullopt;
    return read_command(st);
  };
  auto r = co_await db_.guarded("windows_command", std::move(fn));
  co_return r;
}

}  // namespace mdmlab::server::store::sqlite
