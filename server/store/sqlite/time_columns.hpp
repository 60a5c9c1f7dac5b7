// Times are stored as whole seconds since the Unix epoch (INTEGER columns).
#pragma once

#include <chrono>
#include <cstdint>

#include "server/store/time_point.hpp"

namespace mdmlab::server::store::sqlite {

inline std::int64_t to_unix(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline TimePoint from_unix(std::int64_t s) {
  return TimePoint(std::chrono::seconds(s));
}

}  // namespace mdmlab::server::store::sqlite
