// Declarative Device Management state (KMFDDM's storage model): declarations, named sets of
// declarations, enrollments assigned to sets, and what each enrollment last reported about
// each declaration (status) plus the errors its reports carried.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "protocol/apple/ddm/declaration.hpp"
#include "protocol/apple/ddm/status_report.hpp"
#include "server/store/time_point.hpp"

namespace mdmlab::server::store {

struct DdmDeclarationStatus {
  std::string identifier, kind, valid, server_token;
  bool active = false;
  nlohmann::json reasons = nlohmann::json::array();
  TimePoint updated_at{};
};

struct DdmStatusError {
  nlohmann::json error;
  TimePoint at{};
};

struct DdmStatusView {
  std::vector<DdmDeclarationStatus> declarations;
  std::vector<DdmStatusError> errors;  // newest first, at most kDdmErrorsKept
};
inline constexpr int kDdmErrorsKept = 50;

class DdmStore {
 public:
  virtual ~DdmStore() = default;
  // Inserts or replaces a declaration (its server_token already set); true when it is new or
  // its token changed.
  virtual boost::asio::awaitable<Result<bool>> put_declaration(
      mdmlab::apple::ddm::Declaration d) = 0;
  // False if there was no such declaration. Its set memberships go with it.
  virtual boost::asio::awaitable<Result<bool>> delete_declaration(std::string identifier) = 0;
  virtual boost::asio::awaitable<Result<std::vector<mdmlab::apple::ddm::Declaration>>>
  declarations() = 0;
  virtual boost::asio::awaitable<Result<std::optional<mdmlab::apple::ddm::Declaration>>>
  declaration(std::string identifier) = 0;
  // Adds (member) or removes a declaration from a set. Adding an unknown declaration: false.
  virtual boost::asio::awaitable<Result<bool>> set_set_member(std::string set,
                                                              std::string identifier,
                                                              bool member) = 0;
  // Assigns (member) an enrollment id to a set, or takes it out.
  virtual boost::asio::awaitable<Result<void>> set_enrollment_set(std::string enrollment_id,
                                                                  std::string set, bool member) = 0;
  // The declarations of every set the enrollment is in, each once.
  virtual boost::asio::awaitable<Result<std::vector<mdmlab::apple::ddm::Declaration>>>
  declarations_for(std::string enrollment_id) = 0;
  // Enrollments in any set holding the declaration; enrollments in the set.
  virtual boost::asio::awaitable<Result<std::vector<std::string>>> enrollments_with(
      std::string identifier) = 0;
  virtual boost::asio::awaitable<Result<std::vector<std::string>>> enrollments_in_set(
      std::string set) = 0;
  // Records a status report: each declaration's status replaces the one before; a full report
  // also forgets declarations it does not list. Errors are appended (the newest kept).
  virtual boost::asio::awaitable<Result<void>> store_ddm_status(
      std::string enrollment_id, mdmlab::apple::ddm::StatusReport report, TimePoint at) = 0;
  virtual boost::asio::awaitable<Result<DdmStatusView>> ddm_status(std::string enrollment_id) = 0;
};

}  // namespace mdmlab::server::store
