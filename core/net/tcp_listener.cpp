#include "core/net/tcp_listener.hpp"

namespace mdmlab::net {

Result<void> listen_on(boost::asio::ip::tcp::acceptor& acceptor, const std::string& bind_address,
                       unsigned short port) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(bind_address, ec);
  if (ec) return make_error("bad_address", "cannot parse bind address '" + bind_address + "'");
  boost::asio::ip::tcp::endpoint endpoint(address, port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    return make_error("listen_failed",
                      bind_address + ":" + std::to_string(port) + ": " + ec.message());
  }
  return success();
}

}  // namespace mdmlab::net
