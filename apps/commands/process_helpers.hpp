// Small pieces every long-running subcommand needs: "HOST:PORT" flags and waiting for
// SIGINT/SIGTERM.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>

#include <future>
#include <string>

#include "core/net/io_runtime.hpp"

namespace mdmlab::apps {

// "127.0.0.1:8080" or "[::1]:8080" -> host, port. False if malformed.
inline bool split_host_port(const std::string& s, std::string& host, unsigned short& port) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = s.substr(0, colon);
  if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
  try {
    auto p = std::stoul(s.substr(colon + 1));
    if (p > 65535) return false;
    port = static_cast<unsigned short>(p);
  } catch (...) {
    return false;
  }
  return !host.empty();
}

// True for 127.0.0.0/8, ::1 and "localhost": addresses no other machine can reach.
inline bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(host, ec);
  return !ec && addr.is_loopback();
}

// Blocks until SIGINT or SIGTERM; returns the signal number.
inline int wait_for_stop_signal(net::IoRuntime& io) {
  std::promise<int> stopped;
  boost::asio::signal_set signals(io.context(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (!ec) stopped.set_value(sig);
  });
  return stopped.get_future().get();
}

}  // namespace mdmlab::apps
