// An io_context driven by a fixed pool of threads. Servers and clients post their coroutines
// here; the pool size is the process's I/O thread count (asserted by the connection test).
#pragma once

#include <boost/asio/io_context.hpp>

#include <thread>
#include <vector>

namespace mdmlab::net {

class IoRuntime {
 public:
  explicit IoRuntime(unsigned threads = 2);
  ~IoRuntime();
  IoRuntime(const IoRuntime&) = delete;
  IoRuntime& operator=(const IoRuntime&) = delete;

  boost::asio::io_context& context() { return ctx_; }
  boost::asio::any_io_executor executor() { return ctx_.get_executor(); }
  unsigned thread_count() const { return static_cast<unsigned>(threads_.size()); }

  // Stops the context and joins the threads (idempotent).
  void stop();

 private:
  boost::asio::io_context ctx_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

// Raises RLIMIT_NOFILE's soft limit to the hard limit; returns the new soft limit.
unsigned long raise_fd_limit();
// Number of threads in this process (from /proc/self/task).
unsigned process_thread_count();

}  // namespace mdmlab::net
