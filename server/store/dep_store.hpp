// What the server knows from Apple's DEP API (nanodep's cursor and assigner-profile storage,
// plus the devices themselves): the sync cursor, the ADE profile it defined, and every device
// the organisation has assigned to this MDM server with what ABM last said about it and what
// our assignment call answered.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "server/store/time_point.hpp"

namespace mdmlab::server::store {

struct DepDeviceRecord {
  std::string serial_number, model, os, device_family, description, color;
  std::string op_type, op_date;  // the last change the sync reported ("" from a fetch)
  std::string profile_uuid;      // as ABM reported it, or as our assignment set it
  std::string profile_status;    // ABM's: empty, assigned, pushed, removed
  std::string assign_result;     // our last assignment: SUCCESS, NOT_ACCESSIBLE, FAILED
  bool deleted = false;          // op_type deleted: no longer in the organisation
  TimePoint updated_at{};
};

struct DepSyncState {
  std::string cursor;        // the last cursor ABM handed out ("" before the first fetch)
  std::string profile_uuid;  // the ADE profile this server defined ("" before)
  std::string profile_hash;  // SHA-256 of its definition: a changed definition is redefined
};

class DepStore {
 public:
  virtual ~DepStore() = default;
  virtual boost::asio::awaitable<Result<DepSyncState>> dep_state() = 0;
  virtual boost::asio::awaitable<Result<void>> store_dep_cursor(std::string cursor) = 0;
  virtual boost::asio::awaitable<Result<void>> store_dep_profile(std::string uuid,
                                                                 std::string hash) = 0;
  // Inserts or updates each device by serial (a device reported again is no longer deleted
  // unless this report says so); keeps assign_result.
  virtual boost::asio::awaitable<Result<void>> upsert_dep_devices(
      std::vector<DepDeviceRecord> devices, TimePoint at) = 0;
  // Per serial: ABM's answer to our assignment; SUCCESS also sets profile_uuid and status
  // "assigned" (or, for a removal, profile_uuid "", status "removed").
  virtual boost::asio::awaitable<Result<void>> record_dep_assignment(
      std::string profile_uuid, std::map<std::string, std::string> results, TimePoint at) = 0;
  virtual boost::asio::awaitable<Result<std::vector<DepDeviceRecord>>> dep_devices() = 0;
  virtual boost::asio::awaitable<Result<std::optional<DepDeviceRecord>>> dep_device(
      std::string serial) = 0;
};

}  // namespace mdmlab::server::store
