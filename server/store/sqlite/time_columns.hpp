// Times are stored as whole seconds since the Unix epoch (INTEGER columns).
#pragma once

#include <chrono>
#include <cstdint>

namespace mdmlab::server::store::sqlite {

inline std::int64_t to_unix(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline std::chrono::system_clock::time_point from_unix(std::int64_t s) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(s));
}

}  // namespace mdmlab::server::store::sqlite
