// The listening side that HttpServer and Http2Server share: open, bind and listen a TCP
// acceptor, and an accept loop that hands each connection to its server on a strand of its own
// with TCP_NODELAY set.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <string>

#include "common/result.hpp"
#include "core/log/log.hpp"

namespace mdmlab::net {

using ConnectionStrand = boost::asio::strand<boost::asio::io_context::executor_type>;

// Opens `acceptor` on bind_address:port (port 0: a free one) with SO_REUSEADDR and the
// system's maximum backlog.
Result<void> listen_on(boost::asio::ip::tcp::acceptor& acceptor, const std::string& bind_address,
                       unsigned short port);

// Accepts until the acceptor is closed or `stopping` is set; any other accept error is logged
// under `log_name` and the loop goes on. `on_accept(ConnectionStrand, tcp::socket)` must not
// block: it spawns the connection's coroutine. Everything is taken by reference, so the
// caller keeps it alive for as long as it awaits the loop.
template <typename OnAccept>
boost::asio::awaitable<void> accept_connections(boost::asio::ip::tcp::acceptor& acceptor,
                                                boost::asio::io_context& context,
                                                const std::atomic<bool>& stopping,
                                                const std::string& log_name, OnAccept& on_accept) {
  for (;;) {
    auto strand = boost::asio::make_strand(context);
    auto [ec, socket] =
        co_await acceptor.async_accept(strand, boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ec) {
      if (stopping || ec == boost::asio::error::operation_aborted) co_return;
      log::warn(log_name, "accept failed: {}", ec.message());
      continue;
    }
    if (stopping) co_return;
    // Replies go out as they are written: with Nagle on, a TLS record for the header and one
    // for the body waited for the peer's delayed ACK (see http_client).
    boost::system::error_code ignored;
    socket.set_option(boost::asio::ip::tcp::no_delay(true), ignored);
    on_accept(strand, std::move(socket));
  }
}

}  // namespace mdmlab::net
