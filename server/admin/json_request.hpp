// Reading the admin API's JSON request bodies: Content-Type application/json (parameters such
// as charset allowed) or 415; then strict JSON (protocol/json/strict_json.hpp: no duplicate
// keys, no integers beyond 64 bits) holding an object, or 400.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>

#include "core/net/http_message.hpp"

namespace mdmlab::server::admin {

// The refusal to send, or std::nullopt with the body in `out`.
std::optional<net::HttpResponse> read_json_object(const net::HttpRequest& req, nlohmann::json& out);

}  // namespace mdmlab::server::admin
