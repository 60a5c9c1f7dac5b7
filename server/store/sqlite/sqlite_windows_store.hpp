// WindowsStore on SQLite: windows_enrollments and windows_commands (migration 10).
#pragma once

#include "server/store/sqlite/guarded_database.hpp"
#include "server/store/windows_store.hpp"

namespace mdmlab::server::store::sqlite {

class SqliteWindowsStore final : public WindowsStore {
 public:
  explicit SqliteWindowsStore(db::Database& db, metrics::Registry* registry = nullptr)
      : db_(db, registry) {}

  boost::asio::awaitable<Result<void>> upsert_windows_enrollment(WindowsEnrollment e) override;
  boost::asio::awaitable<Result<std::optional<WindowsEnrollment>>> windows_enrollment(
      std::string device_id) override;
  boost::asio::awaitable<Result<std::vector<WindowsEnrollment>>> windows_enrollments() override;
  boost::asio::awaitable<Result<void>> update_windows_device(std::string device_id,
                                                             std::string model,
                                                             std::string manufacturer,
                                                             TimePoint at) override;
  boost::asio::awaitable<Result<bool>> disable_windows_enrollment(std::string device_id,
                                                                  TimePoint at) override;
  boost::asio::awaitable<Result<void>> enqueue_windows_command(WindowsCommand c) override;
  boost::asio::awaitable<Result<std::vector<WindowsCommand>>> pending_windows_commands(
      std::string device_id) override;
  boost::asio::awaitable<Result<void>> mark_windows_commands_sent(
      std::vector<std::string> command_uuids) override;
  boost::asio::awaitable<Result<bool>> record_windows_result(std::string command_uuid,
                                                             std::string status,
                                                             std::string results,
                                                             TimePoint at) override;
  boost::asio::awaitable<Result<std::optional<WindowsCommand>>> windows_command(
      std::string command_uuid) override;

 private:
  GuardedDatabase db_;
};

}  // namespace mdmlab::server::store::sqlite
