// Pushes that nobody waits for (after a TokenUpdate, after an enqueue): spawned on the I/O
// pool and counted, so the server can let them finish before it tears down what they use.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/co_spawn.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "server/apple/push/pusher.hpp"

namespace mdmlab::server::apple {

class BackgroundPush {
 public:
  explicit BackgroundPush(Pusher& pusher) : pusher_(pusher) {}

  void push(boost::asio::any_io_executor executor, std::vector<std::string> udids) {
    if (udids.empty()) return;
    ++in_flight_;
    boost::asio::co_spawn(executor, pusher_.push(std::move(udids)),
                          [this](std::exception_ptr, std::vector<PushOutcome>) { --in_flight_; });
  }

  // Waits (up to `limit`) until no push is in flight. Called by the server's stop().
  void drain(std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (in_flight_ > 0 && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  Pusher& pusher() { return pusher_; }

 private:
  Pusher& pusher_;
  std::atomic<int> in_flight_{0};
};

}  // namespace mdmlab::server::apple
