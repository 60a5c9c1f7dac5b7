// Builds Asio SSL contexts from TlsServerConfig / TlsClientConfig. Internal to core/net.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>

#include "core/net/tls_config.hpp"

namespace mdmlab::net {

Result<std::shared_ptr<boost::asio::ssl::context>> make_server_context(const TlsServerConfig& cfg);
Result<std::shared_ptr<boost::asio::ssl::context>> make_client_context(const TlsClientConfig& cfg);

}  // namespace mdmlab::net
