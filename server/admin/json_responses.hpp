// Shared pieces of the admin API's JSON: the error body {"error": "<code>", "message": "<what>"}
// and times as Unix seconds.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>

#include "core/net/http_message.hpp"

namespace mdmlab::server::admin {

// Every admin answer is dumped this way: strings may come from clients or devices (stored
// results, UDIDs, messages quoting the request), so invalid UTF-8 is replaced, never thrown on.
inline std::string dump_json(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline net::HttpResponse json_answer(int status, const nlohmann::json& j) {
  return net::HttpResponse::json(status, dump_json(j));
}

inline net::HttpResponse json_error(int status, const std::string& code,
                                    const std::string& message) {
  return json_answer(status, nlohmann::json{{"error", code}, {"message", message}});
}

inline std::int64_t unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace mdmlab::server::admin
