// The one time type of the store interfaces: wall-clock instants (the backends keep Unix seconds).
#pragma once

#include <chrono>

namespace mdmlab::server::store {

using TimePoint = std::chrono::system_clock::time_point;

}  // namespace mdmlab::server::store
