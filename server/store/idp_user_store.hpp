// Who signed in at the IdP for a device (authenticated ADE; later Windows end-user auth): one
// record per UDID, replaced by the next sign-in. The admin API's device list shows it.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <map>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "server/store/time_point.hpp"

namespace mdmlab::server::store {

struct IdpUserRecord {
  std::string udid, serial_number;
  std::string username, name, subject, tenant;
  TimePoint signed_in_at{};
};

class IdpUserStore {
 public:
  virtual ~IdpUserStore() = default;
  virtual boost::asio::awaitable<Result<void>> record_idp_user(IdpUserRecord record) = 0;
  virtual boost::asio::awaitable<Result<std::optional<IdpUserRecord>>> idp_user(
      std::string udid) = 0;
  // Every record, by UDID (the device list shows them).
  virtual boost::asio::awaitable<Result<std::map<std::string, IdpUserRecord>>> idp_users() = 0;
};

}  // namespace mdmlab::server::store
