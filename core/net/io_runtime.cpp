#include "core/net/io_runtime.hpp"

#include <sys/resource.h>

#include <filesystem>

namespace mdmlab::net {

IoRuntime::IoRuntime(unsigned threads)
    : ctx_(static_cast<int>(threads)), work_(boost::asio::make_work_guard(ctx_)) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { ctx_.run(); });
}

IoRuntime::~IoRuntime() {
  stop();
}

void IoRuntime::stop() {
  work_.reset();
  ctx_.stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

unsigned long raise_fd_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  return rl.rlim_cur;
}

unsigned process_thread_count() {
  unsigned n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/task", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return n;
}

}  // namespace mdmlab::net
