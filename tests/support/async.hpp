// Test helpers: run a coroutine to completion on an IoRuntime and get its result.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include "core/net/io_runtime.hpp"

namespace mdmlab::testing {

template <typename Awaitable>
auto run_async(net::IoRuntime& io, Awaitable&& a) {
  return boost::asio::co_spawn(io.executor(), std::forward<Awaitable>(a), boost::asio::use_future)
      .get();
}

}  // namespace mdmlab::testing
