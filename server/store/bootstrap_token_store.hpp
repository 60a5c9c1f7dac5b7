// Bootstrap tokens (NanoMDM's storage/bstoken): kept per enrollment, for an active one only.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace mdmlab::server::store {

class BootstrapTokenStore {
 public:
  virtual ~BootstrapTokenStore() = default;
  // Stores the bootstrap token of an enabled enrollment. False if unknown or not enabled.
  virtual boost::asio::awaitable<Result<bool>> set_bootstrap_token(std::string udid,
                                                                   Bytes token) = 0;
  // The token of an enabled enrollment (empty: none stored); nullopt if unknown or not enabled.
  virtual boost::asio::awaitable<Result<std::optional<Bytes>>> bootstrap_token(
      std::string udid) = 0;
};

}  // namespace mdmlab::server::store
