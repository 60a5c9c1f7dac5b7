// Asio and Beast compiled once for the whole program (separate compilation: see
// cmake/Dependencies.cmake). Nothing else includes these src.hpp headers.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
