// Storage for SCIM users (the identity provider provisions them, scim_routes.hpp) and the
// host <-> SCIM user mapping an agent enrollment with an end-user token makes (seed 001). One
// interface; each backend is a folder.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "protocol/scim/scim_user.hpp"
#include "server/store/time_point.hpp"

namespace mdmlab::server::store {

struct StoredScimUser {
  mdmlab::scim::ScimUser user;
  TimePoint created{}, modified{};
};

class ScimStore {
 public:
  virtual ~ScimStore() = default;
  // Fails with code "uniqueness" (nothing stored) when the userName (case-insensitive) or the
  // externalId is another user's.
  virtual boost::asio::awaitable<Result<StoredScimUser>> create_scim_user(mdmlab::scim::ScimUser u,
                                                                          TimePoint now) = 0;
  // Replaces every attribute but the id; "not_found", "uniqueness".
  virtual boost::asio::awaitable<Result<StoredScimUser>> update_scim_user(mdmlab::scim::ScimUser u,
                                                                          TimePoint now) = 0;
  virtual boost::asio::awaitable<Result<std::optional<StoredScimUser>>> scim_user(
      std::string id) = 0;
  // Users whose `attribute` ("userName", case-insensitive, or "externalId") is `value`; all
  // when `attribute` is empty. Ordered by creation; `start` is 0-based.
  struct Page {
    std::vector<StoredScimUser> users;
    std::int64_t total = 0;
  };
  virtual boost::asio::awaitable<Result<Page>> find_scim_users(std::string attribute,
                                                               std::string value,
                                                               std::int64_t start,
                                                               std::int64_t count) = 0;
  // Deletes the user and its host mapping; false when there was none.
  virtual boost::asio::awaitable<Result<bool>> delete_scim_user(std::string id) = 0;
  // The SCIM user mapped to a host, if any.
  virtual boost::asio::awaitable<Result<std::optional<StoredScimUser>>> host_scim_user(
      std::string host_uuid) = 0;
};

}  // namespace mdmlab::server::store
