#include "server/store/sqlite/sqlite_apple_store.hpp"

#include "server/store/sqlite/time_columns.hpp"

namespace mdmlab::server::store::sqlite {
namespace {
using boost::asio::awaitable;

constexpr const char* kEnrollmentColumns =
    "udid, topic, serial_number, model, os_version, build_version, device_name, push_token, "
    "push_magic, "
    "unlock_token, bootstrap_token, enabled, token_update_count, authenticated_at, "
    "token_updated_at, last_seen_at, "
    "push_status, push_error, last_push_at, push_count, device_udid, user_id, user_short_name, "
    "user_long_name";

AppleEnrollment read_enrollment(db::Statement& st) {
  AppleEnrollment e;
  e.udid = st.text(0);
  e.topic = st.text(1);
  e.serial_number = st.text(2);
  e.model = st.text(3);
  e.os_version = st.text(4);
  e.build_version = st.text(5);
  e.device_name = st.text(6);
  e.push_token = st.blob(7);
  e.push_magic = st.text(8);
  e.unlock_token = st.blob(9);
  e.bootstrap_token = st.blob(10);
  e.enabled = st.int64(11) != 0;
  e.token_update_count = st.int64(12);
  e.authenticated_at = from_unix(st.int64(13));
  e.token_updated_at = from_unix(st.int64(14));
  e.last_seen_at = from_unix(st.int64(15));
  e.push_status = st.text(16);
  e.push_error = st.text(17);
  e.last_push_at = from_unix(st.int64(18));
  e.push_count = st.int64(19);
  e.device_udid = st.text(20);
  e.user_id = st.text(21);
  e.user_short_name = st.text(22);
  e.user_long_name = st.text(23);
  return e;
}
}  // namespace

const char* const kNextCommandSql =
    "SELECT q.command_uuid, c.request_type, c.plist, q.priority, q.not_now_count "
    "FROM apple_command_queue q JOIN apple_commands c ON c.command_uuid = q.command_uuid "
    "WHERE q.udid = ?1 AND q.active = 1 AND (?2 = 0 OR q.not_now_at IS NULL) "
    "ORDER BY q.priority DESC, q.seq LIMIT 1";

awaitable<Result<void>> SqliteAppleStore::authenticate(AppleEnrollment e, TimePoint at) {
  auto fn = [e, at](db::Connection& c) {
    c.transaction([&] {
      c.prepare(
           "INSERT INTO apple_enrollments (udid, device_udid, topic, serial_number, model, "
           "os_version, build_version, device_name, enabled, authenticated_at, last_seen_at) "
           "VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?8) "
           "ON CONFLICT (udid) DO UPDATE SET topic = ?2, serial_number = ?3, model = ?4, "
           "os_version = ?5, "
           "build_version = ?6, device_name = ?7, enabled = 0, authenticated_at = ?8, last_seen_at "
           "= ?8, "
           "token_update_count = 0, push_status = '', push_error = '', push_count = 0, "
           "push_token = NULL, push_magic = '', unlock_token = NULL, bootstrap_token = NULL")
          .bind(1, e.udid)
          .bind(2, e.topic)
          .bind(3, e.serial_number)
          .bind(4, e.model)
          .bind(5, e.os_version)
          .bind(6, e.build_version)
          .bind(7, e.device_name)
          .bind(8, to_unix(at))
          .step();
      // A (re-)enrolling device starts with an empty queue and no user channels: they enroll
      // again inside the new device enrollment.
      // (The device's own row, just written above, has device_udid = its UDID.)
      c.prepare(
           "DELETE FROM apple_command_queue WHERE active = 1 AND udid IN (SELECT udid FROM "
           "apple_enrollments WHERE device_udid = ?1)")
          .bind(1, e.udid)
          .step();
      c.prepare("DELETE FROM apple_enrollments WHERE device_udid = ?1 AND udid <> ?1")
          .bind(1, e.udid)
          .step();
    });
  };
  auto done = co_await db_.guarded("authenticate", std::move(fn));
  co_return done;
}

awaitable<Result<bool>> SqliteAppleStore::token_update(std::string udid, std::string topic,
                                                       Bytes token, std::string push_magic,
                                                       Bytes unlock_token, TimePoint at) {
  auto fn = [=](db::Connection& c) {
    auto st = c.prepare(
        "UPDATE apple_enrollments SET topic = ?2, push_token = ?3, push_magic = ?4, "
        "unlock_token = CASE WHEN length(?5) > 0 THEN ?5 ELSE unlock_token END, enabled = 1, "
        "token_update_count = token_update_count + 1, token_updated_at = ?6, last_seen_at = ?6, "
        "push_status = CASE WHEN push_token = ?3 THEN push_status ELSE '' END, "
        "push_error = CASE WHEN push_token = ?3 THEN push_error ELSE '' END WHERE udid = ?1");
    st.bind(1, udid)
        .bind(2, topic)
        .bind(3, token)
        .bind(4, push_magic)
        .bind(5, unlock_token)
        .bind(6, to_unix(at));
    st.step();
    return c.changes() == 1;
  };
  auto ok = co_await db_.guarded("token_update", std::move(fn));
  co_return ok;
}

awaitable<Result<bool>> SqliteAppleStore::user_token_update(AppleEnrollment u, TimePoint at) {
  auto fn = [u, at](db::Connection& c) {
    return c.transaction([&]() -> bool {
      auto device = c.prepare(
          "SELECT 1 FROM apple_enrollments WHERE udid = ?1 AND device_udid = ?1 AND enabled = 1");
      device.bind(1, u.device_udid);
      if (!device.step()) return false;
      c.prepare(
           "INSERT INTO apple_enrollments (udid, device_udid, user_id, user_short_name, "
           "user_long_name, topic, push_token, push_magic, enabled, token_update_count, "
           "authenticated_at, token_updated_at, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
           "?8, 1, 1, ?9, ?9, ?9) ON CONFLICT (udid) DO UPDATE SET user_short_name = ?4, "
           "user_long_name = ?5, topic = ?6, "
           "push_status = CASE WHEN push_token = ?7 THEN push_status ELSE '' END, "
           "push_error = CASE WHEN push_token = ?7 THEN push_error ELSE '' END, "
           "push_token = ?7, push_magic = ?8, enabled = 1, "
           "token_update_count = token_update_count + 1, token_updated_at = ?9, last_seen_at = ?9")
          .bind(1, u.udid)
          .bind(2, u.device_udid)
          .bind(3, u.user_id)
          .bind(4, u.user_short_name)
          .bind(5, u.user_long_name)
          .bind(6, u.topic)
          .bind(7, u.push_token)
          .bind(8, u.push_magic)
          .bind(9, to_unix(at))
          .step();
      return true;
    });
  };
  auto ok = co_await db_.guarded("user_token_update", std::move(fn));
  co_return ok;
}

awaitable<Result<void>> SqliteAppleStore::record_push(std::string udid, std::string status,
                                                      std::string error, TimePoint at) {
  auto fn = [=](db::Connection& c) {
    c.prepare(
         "UPDATE apple_enrollments SET push_status = ?2, push_error = ?3, last_push_at = ?4, "
         "push_count = push_count + 1 WHERE udid = ?1")
        .bind(1, udid)
        .bind(2, status)
        .bind(3, error)
        .bind(4, to_unix(at))
        .step();
  };
  auto done = co_await db_.guarded("record_push", std::move(fn));
  co_return done;
}

awaitable<Result<bool>> SqliteAppleStore::check_out(std::string udid, TimePoint at) {
  auto fn = [=](db::Connection& c) {
    // One transaction: a failure never leaves the device checked out with its users still on.
    return c.transaction([&] {
      c.prepare("UPDATE apple_enrollments SET enabled = 0, last_seen_at = ?2 WHERE udid = ?1")
          .bind(1, udid)
          .bind(2, to_unix(at))
          .step();
      const bool found = c.changes() == 1;
      // The device's CheckOut ends its user channels too.
      c.prepare(
           "UPDATE apple_enrollments SET enabled = 0, last_seen_at = ?2 WHERE device_udid = ?1 "
           "AND udid <> ?1")
          .bind(1, udid)
          .bind(2, to_unix(at))
          .step();
      return found;
    });
  };
  auto ok = co_await db_.guarded("check_out", std::move(fn));
  co_return ok;
}

awaitable<Result<bool>> SqliteAppleStore::set_bootstrap_token(std::string udid, Bytes token) {
  auto fn = [=](db::Connection& c) {
    c.prepare("UPDATE apple_enrollments SET bootstrap_token = ?2 WHERE udid = ?1 AND enabled = 1")
        .bind(1, udid)
        .bind(2, token)
        .step();
    return c.changes() == 1;
  };
  auto ok = co_await db_.guarded("set_bootstrap_token", std::move(fn));
  co_return ok;
}

awaitable<Result<std::optional<Bytes>>> SqliteAppleStore::bootstrap_token(std::string udid) {
  auto fn = [=](db::Connection& c) -> std::optional<Bytes> {
    auto st =
        c.prepare("SELECT bootstrap_token FROM apple_enrollments WHERE udid = ? AND enabled = 1");
    st.bind(1, udid);
    if (!st.step()) return std::nullopt;
    return st.blob(0);
  };
  auto token = co_await db_.guarded("bootstrap_token", std::move(fn));
  co_return token;
}

awaitable<Result<std::optional<AppleEnrollment>>> SqliteAppleStore::find_enrollment(
    std::string udid) {
  auto fn = [=](db::Connection& c) -> std::optional<AppleEnrollment> {
    auto st = c.prepare(std::string("SELECT ") + kEnrollmentColumns +
                        " FROM apple_enrollments WHERE udid = ?");
    st.bind(1, udid);
    if (!st.step()) return std::nullopt;
    return read_enrollment(st);
  };
  auto e = co_await db_.guarded("find_enrollment", std::move(fn));
  co_return e;
}

awaitable<Result<std::vector<AppleEnrollment>>> SqliteAppleStore::list_enrollments() {
  auto fn = [](db::Connection& c) {
    auto st = c.prepare(std::string("SELECT ") + kEnrollmentColumns +
                        " FROM apple_enrollments ORDER BY udid");
    std::vector<AppleEnrollment> out;
    while (st.step()) out.push_back(read_enrollment(st));
    return out;
  };
  auto list = co_await db_.guarded("list_enrollments", std::move(fn));
  co_return list;
}

awaitable<Result<void>> SqliteAppleStore::touch(std::string udid, TimePoint at) {
  auto fn = [=](db::Connection& c) {
    c.prepare("UPDATE apple_enrollments SET last_seen_at = ?2 WHERE udid = ?1")
        .bind(1, udid)
        .bind(2, to_unix(at))
        .step();
  };
  auto done = co_await db_.guarded("touch", std::move(fn));
  co_return done;
}

awaitable<Result<std::optional<std::string>>> SqliteAppleStore::enrollment_certificate(
    std::string udid) {
  auto fn = [=](db::Connection& c) -> std::optional<std::string> {
    auto st = c.prepare("SELECT cert_fingerprint FROM apple_enrollment_certs WHERE udid = ?");
    st.bind(1, udid);
    if (!st.step()) return std::nullopt;
    return st.text(0);
  };
  auto fp = co_await db_.guarded("enrollment_certificate", std::move(fn));
  co_return fp;
}

awaitable<Result<std::vector<std::string>>> SqliteAppleStore::certificate_enrollments(
    std::string fingerprint) {
  auto fn = [=](db::Connection& c) {
    auto st = c.prepare(
        "SELECT udid FROM apple_enrollment_certs WHERE cert_fingerprint = ? ORDER BY udid");
    st.bind(1, fingerprint);
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.text(0));
    return out;
  };
  auto list = co_await db_.guarded("certificate_enrollments", std::move(fn));
  co_return list;
}

awaitable<Result<void>> SqliteAppleStore::bind_certificate(std::string fingerprint,
                                                           std::string udid, TimePoint at) {
  auto fn = [=](db::Connection& c) {
    c.prepare(
         "INSERT INTO apple_enrollment_certs (udid, cert_fingerprint, bound_at) VALUES (?1, ?2, "
         "?3) ON CONFLICT (udid) DO UPDATE SET cert_fingerprint = ?2, bound_at = ?3")
        .bind(1, udid)
        .bind(2, fingerprint)
        .bind(3, to_unix(at))
        .step();
  };
  auto done = co_await db_.guarded("bind_certificate", std::move(fn));
  co_return done;
}

awaitable<Result<bool>> SqliteAppleStore::unbind_certificate(std::string udid) {
  auto fn = [=](db::Connection& c) {
    c.prepare("DELETE FROM apple_enrollment_certs WHERE udid = ?").bind(1, udid).step();
    return c.changes() == 1;
  };
  auto ok = co_await db_.guarded("unbind_certificate", std::move(fn));
  co_return ok;
}

awaitable<Result<bool>> SqliteAppleStore::enqueue(std::vector<std::string> udids,
                                                  QueuedCommand command, TimePoint at) {
  auto fn = [=](db::Connection& c) {
    return c.transaction([&]() -> bool {
      auto exists = c.prepare("SELECT 1 FROM apple_commands WHERE command_uuid = ?");
      exists.bind(1, command.command_uuid);
      if (exists.step()) return false;
      c.prepare(
           "INSERT INTO apple_commands (command_uuid, request_type, plist, priority, created_at) "
           "VALUES (?, ?, ?, ?, ?)")
          .bind(1, command.command_uuid)
          .bind(2, command.request_type)
          .bind(3, command.plist)
          .bind(4, command.priority)
          .bind(5, to_unix(at))
          .step();
      auto seq = c.last_insert_rowid();
      auto ins = c.prepare(
          "INSERT OR IGNORE INTO apple_command_queue (udid, command_uuid, seq, priority, "
          "updated_at) "
          "VALUES (?, ?, ?, ?, ?)");
      for (const auto& udid : udids) {
        ins.reset();
        ins.bind(1, udid)
            .bind(2, command.command_uuid)
            .bind(3, seq)
            .bind(4, command.priority)
            .bind(5, to_unix(at));
        ins.step();
      }
      return true;
    });
  };
  auto ok = co_await db_.guarded("enqueue", std::move(fn));
  co_return ok;
}

awaitable<Result<std::optional<QueuedCommand>>> SqliteAppleStore::next_command(std::string udid,
                                                                               bool skip_not_now) {
  auto fn = [=](db::Connection& c) -> std::optional<QueuedCommand> {
    auto st = c.prepare(kNextCommandSql);
    st.bind(1, udid).bind(2, std::int64_t{skip_not_now ? 1 : 0});
    if (!st.step()) return std::nullopt;
    return QueuedCommand{st.text(0), st.text(1), st.text(2), st.int64(3), st.int64(4)};
  };
  auto next = co_await db_.guarded("next_command", std::move(fn));
  co_return next;
}

awaitable<Result<bool>> SqliteAppleStore::record_result(std::string udid, std::string command_uuid,
                                                        std::string status,
                                                        std::string result_plist, TimePoint at) {
  auto fn = [=](db::Connection& c) {
    const bool not_now = status == "NotNow";
    auto st = c.prepare(
        not_now ? "UPDATE apple_command_queue SET status = ?3, result = ?4, not_now_at = ?5, "
                  "not_now_count = not_now_count + 1, updated_at = ?5 WHERE udid = ?1 AND "
                  "command_uuid = ?2 AND active = 1"
                : "UPDATE apple_command_queue SET status = ?3, result = ?4, active = 0, updated_at "
                  "= ?5 "
                  "WHERE udid = ?1 AND command_uuid = ?2 AND active = 1");
    st.bind(1, udid)
        .bind(2, command_uuid)
        .bind(3, status)
        .bind(4, result_plist)
        .bind(5, to_unix(at));
    st.step();
    return c.changes() == 1;
  };
  auto ok = co_await db_.guarded("record_result", std::move(fn));
  co_return ok;
}

awaitable<Result<std::vector<CommandResult>>> SqliteAppleStore::command_results(
    std::string command_uuid) {
  auto fn = [=](db::Connection& c) {
    auto st = c.prepare(
        "SELECT udid, command_uuid, status, result, not_now_count, active, updated_at FROM "
        "apple_command_queue "
        "WHERE command_uuid = ? ORDER BY udid");
    st.bind(1, command_uuid);
    std::vector<CommandResult> out;
    while (st.step())
      out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.int64(4), st.int64(5) != 0,
                     from_unix(st.int64(6))});
    return out;
  };
  auto list = co_await db_.guarded("command_results", std::move(fn));
  co_return list;
}

}  // namespace mdmlab::server::store::sqlite
