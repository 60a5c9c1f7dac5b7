// Bootstrap tokens (NanoMDM's storage/bstoken): kept per enrollment, for an active one only.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"

namespace mdmlab::server::store {

using TimePoint = std::chrono::system_clock::time_point;

class BootstrapTokenStore {
 public:
  virtual ~BootstrapTokenStore() = default;
  // Stores the bootstrap token of an enabled enrollment. False if unknown or not enabled.
  virtual boost::asio::awaitable<bool> set_bootstrap_token(std::string udid, Bytes token) = 0;
  // The token of an enabled enrollment (empty: none stored); nullopt if unknown or not enabled.
  virtual boost::asio::awaitable<std::optional<Bytes>> bootstrap_token(std::string udid) = 0;
};

}  // namespace mdmlab::server::store
