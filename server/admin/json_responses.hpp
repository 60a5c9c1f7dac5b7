// Shared pieces of the admin API's JSON: the error body {"error": "<code>", "message": "<what>"}
// and times as Unix seconds.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>

#include "core/net/http_message.hpp"

namespace mdmlab::server::admin {

// Messages may quote what the client sent (invalid UTF-8 included): replace, never throw.
inline net::HttpResponse json_error(int status, const std::string& code, const std::string& message) {
  return net::HttpResponse::json(status, nlohmann::json{{"error", code}, {"message", message}}.dump(
                                             -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

inline std::int64_t unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace mdmlab::server::admin
