// Shared pieces of the admin API's JSON: the error body {"error": "<code>", "message": "<what>"},
// the store-failure answer, and times as Unix seconds.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>

#include "common/result.hpp"
#include "core/net/http_message.hpp"
#include "server/store/store_error.hpp"

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

// The store failed: 503 with Retry-After and the store's error ({"error": "store_unavailable",
// "message": "<operation>: ..."}, no SQL). Nothing was changed; the same request can be sent
// again.
inline net::HttpResponse store_failure(const Error& e) {
  auto answer = json_error(503, e.code, e.message);
  answer.set_header("Retry-After", std::to_string(store::kRetryAfterSeconds));
  return answer;
}

inline std::int64_t unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace mdmlab::server::admin
