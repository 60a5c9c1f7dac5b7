// Wraps a handler so it runs only with `Authorization: Bearer <token>` (constant-time compare).
#pragma once

#include <string>

#include "core/net/http_message.hpp"

namespace mdmlab::server::admin {

net::HttpHandler require_bearer(std::string token, net::HttpHandler inner);

}  // namespace mdmlab::server::admin
