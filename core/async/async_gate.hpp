// A coroutine mutex for one strand: lock() suspends (without blocking the thread) until the
// gate is free; the guard it returns opens it again. Every call must run on the same strand.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>
#include <memory>

namespace mdmlab::async {

class AsyncGate {
 public:
  class Guard {
   public:
    explicit Guard(AsyncGate* g) : gate_(g) {}
    Guard(Guard&& o) noexcept : gate_(o.gate_) { o.gate_ = nullptr; }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    Guard& operator=(Guard&&) = delete;
    ~Guard() {
      if (gate_) gate_->unlock();
    }

   private:
    AsyncGate* gate_;
  };

  explicit AsyncGate(boost::asio::any_io_executor strand) : strand_(std::move(strand)) {}

  boost::asio::awaitable<Guard> lock() {
    while (busy_) {
      auto t = std::make_shared<boost::asio::steady_timer>(
          strand_, boost::asio::steady_timer::time_point::max());
      waiters_.push_back(t);
      co_await t->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    busy_ = true;
    co_return Guard(this);
  }

 private:
  void unlock() {
    busy_ = false;
    if (!waiters_.empty()) {
      waiters_.front()->cancel();
      waiters_.pop_front();
    }
  }

  boost::asio::any_io_executor strand_;
  bool busy_ = false;
  std::deque<std::shared_ptr<boost::asio::steady_timer>> waiters_;
};

}  // namespace mdmlab::async
