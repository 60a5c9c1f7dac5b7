// What APNs last said about an enrollment's push token.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>

#include "common/result.hpp"
#include "server/store/time_point.hpp"

namespace mdmlab::server::store {

class PushStatusStore {
 public:
  virtual ~PushStatusStore() = default;
  // Records the outcome of a push: "ok", "invalid" (no pushes until a TokenUpdate brings a new
  // token) or "error", with APNs' reason.
  virtual boost::asio::awaitable<Result<void>> record_push(std::string udid, std::string status,
                                                           std::string error, TimePoint at) = 0;
};

}  // namespace mdmlab::server::store
