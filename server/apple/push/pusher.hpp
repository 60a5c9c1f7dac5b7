// Waking devices: the server pushes to a device's APNs token after TokenUpdate when work is
// queued, after an admin enqueues commands, and on an admin's request. A small interface (as
// NanoMDM's push service) so the APNs client is one implementation among others.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace mdmlab::server::apple {

struct PushOutcome {
  std::string udid;
  // ok: APNs accepted it; invalid: the token is dead (stored, no more pushes until a new
  // TokenUpdate); error: a configuration error or retries exhausted; skipped: not pushed
  // (device unknown, not enabled, no token, token known invalid, APNs not configured).
  std::string status;
  std::string detail;  // APNs reason, or why it was skipped
};

class Pusher {
 public:
  virtual ~Pusher() = default;
  virtual boost::asio::awaitable<std::vector<PushOutcome>> push(std::vector<std::string> udids) = 0;
};

}  // namespace mdmlab::server::apple
