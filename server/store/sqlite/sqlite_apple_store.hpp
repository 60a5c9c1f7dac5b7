// AppleStore on SQLite, every concern of it (statements run on the database thread).
#pragma once

#include "core/db/sqlite.hpp"
#include "server/store/apple_store.hpp"
#include "server/store/sqlite/guarded_database.hpp"

namespace mdmlab::server::store::sqlite {

// The next-command query (exposed so a test can check SQLite's plan uses the index).
extern const char* const kNextCommandSql;

class SqliteAppleStore final : public AppleStore {
 public:
  // `registry` (optional) receives mdmlab_store_errors_total.
  explicit SqliteAppleStore(db::Database& db, metrics::Registry* registry = nullptr)
      : db_(db, registry) {}

  boost::asio::awaitable<Result<void>> authenticate(AppleEnrollment e, TimePoint at) override;
  boost::asio::awaitable<Result<bool>> token_update(std::string udid, std::string topic,
                                                    Bytes token, std::string push_magic,
                                                    Bytes unlock_token, TimePoint at) override;
  boost::asio::awaitable<Result<bool>> user_token_update(AppleEnrollment user,
                                                         TimePoint at) override;
  boost::asio::awaitable<Result<void>> record_push(std::string udid, std::string status,
                                                   std::string error, TimePoint at) override;
  boost::asio::awaitable<Result<bool>> check_out(std::string udid, TimePoint at) override;
  boost::asio::awaitable<Result<bool>> set_bootstrap_token(std::string udid, Bytes token) override;
  boost::asio::awaitable<Result<std::optional<Bytes>>> bootstrap_token(std::string udid) override;
  boost::asio::awaitable<Result<std::optional<AppleEnrollment>>> find_enrollment(
      std::string udid) override;
  boost::asio::awaitable<Result<std::vector<AppleEnrollment>>> list_enrollments() override;
  boost::asio::awaitable<Result<void>> touch(std::string udid, TimePoint at) override;
  boost::asio::awaitable<Result<std::optional<std::string>>> enrollment_certificate(
      std::string udid) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> certificate_enrollments(
      std::string fingerprint) override;
  boost::asio::awaitable<Result<void>> bind_certificate(std::string fingerprint, std::string udid,
                                                        TimePoint at) override;
  boost::asio::awaitable<Result<bool>> unbind_certificate(std::string udid) override;
  boost::asio::awaitable<Result<bool>> enqueue(std::vector<std::string> udids,
                                               QueuedCommand command, TimePoint at) override;
  boost::asio::awaitable<Result<std::optional<QueuedCommand>>> next_command(
      std::string udid, bool skip_not_now) override;
  boost::asio::awaitable<Result<bool>> record_result(std::string udid, std::string command_uuid,
                                                     std::string status, std::string result_plist,
                                                     TimePoint at) override;
  boost::asio::awaitable<Result<std::vector<CommandResult>>> command_results(
      std::string command_uuid) override;

  // sqlite_idp_users.cpp
  boost::asio::awaitable<Result<void>> record_idp_user(IdpUserRecord record) override;
  boost::asio::awaitable<Result<std::optional<IdpUserRecord>>> idp_user(std::string udid) override;
  boost::asio::awaitable<Result<std::map<std::string, IdpUserRecord>>> idp_users() override;

 private:
  GuardedDatabase db_;
};

}  // namespace mdmlab::server::store::sqlite
