// Storage for agents (seed 001, Fleet's orbit): hosts an agent enrolled (by hardware UUID, with
// the node key's hash), IdP accounts by email, the host <-> account link, and the Windows
// enrollment <-> host link. One interface; each backend is a folder.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "server/store/time_point.hpp"

namespace mdmlab::server::store {

struct AgentHost {
  std::string uuid;           // the hardware UUID the agent sent
  std::string node_key_hash;  // SHA-256 of the node key handed out (hex)
  std::string serial, hostname, platform;
  TimePoint enrolled_at{};
};

struct IdpAccount {
  std::int64_t id = 0;
  std::string email;
  std::string first_name, last_name;
};

// What the agent enrollment of a Windows host that proved its user (an EUA token) records, in
// one transaction: the host, the account (created, or found with its names kept), the links.
struct AgentEnrollment {
  AgentHost host;
  std::string account_email;      // "" when no EUA token was used
  std::string windows_device_id;  // "" when none
};

class AgentStore {
 public:
  virtual ~AgentStore() = default;
  // Fails with code "already_linked" (nothing stored) when the Windows enrollment is linked to
  // another host already.
  virtual boost::asio::awaitable<Result<void>> enroll_agent(AgentEnrollment e) = 0;
  virtual boost::asio::awaitable<Result<std::optional<AgentHost>>> agent_host(std::string uuid) = 0;
  virtual boost::asio::awaitable<Result<std::optional<IdpAccount>>> idp_account(
      std::string email) = 0;
  // Test and admin seeding: an account with names (an IdP import would do this).
  virtual boost::asio::awaitable<Result<IdpAccount>> upsert_idp_account(IdpAccount a) = 0;
  // The account linked to a host, if any.
  virtual boost::asio::awaitable<Result<std::optional<IdpAccount>>> host_account(
      std::string host_uuid) = 0;
  // The host a Windows enrollment is linked to ("" if none).
  virtual boost::asio::awaitable<Result<std::string>> windows_host(std::string device_id) = 0;
};

}  // namespace mdmlab::server::store
