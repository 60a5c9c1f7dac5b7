// raw_roundtrip over TLS (hostile_fixture.hpp): OpenSSL on a blocking loopback socket, so that any
// bytes (a head cut short, a body over the limit, broken framing) reach an HTTPS listener.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include "tests/hostile/hostile_fixture.hpp"

namespace mdmlab::testing::hostile {
namespace {
std::string ssl_errors() {
  std::string out;
  for (auto e = ERR_get_error(); e != 0; e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? std::string(std::strerror(errno)) : out;
}
}  // namespace

Answer raw_tls_roundtrip(unsigned short port, boost::asio::ssl::context& tls,
                         const std::string& data, int timeout_ms) {
  // A write to a connection the server closed (after a 413, say) must not end the process.
  static const bool ignore_sigpipe = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)ignore_sigpipe;
  Answer a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    a.error = std::string("refused: cannot connect: ") + std::strerror(errno);
    close(fd);
    return a;
  }
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  ERR_clear_error();
  SSL* ssl = SSL_new(tls.native_handle());
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, "localhost");
  if (SSL_connect(ssl) != 1) {
    a.error = "tls_handshake: " + ssl_errors();
    SSL_free(ssl);
    close(fd);
    return a;
  }
  std::size_t sent = 0;
  while (sent < data.size()) {  // the server may answer (413) and close before taking it all
    const auto chunk = static_cast<int>(std::min<std::size_t>(data.size() - sent, 16 * 1024));
    const int n = SSL_write(ssl, data.data() + sent, chunk);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  // The end of the request: a TCP half-close without close_notify, so that the server's read
  // ends as a truncated stream, as a plain connection's ends with EOF.
  shutdown(fd, SHUT_WR);
  std::string out, end;
  char buf[16 * 1024];
  for (;;) {
    ERR_clear_error();
    errno = 0;
    const int n = SSL_read(ssl, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    const int err = SSL_get_error(ssl, n);
    if (err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && errno == 0))
      end = "closed: the connection ended without an answer";
    else if (errno == EAGAIN || errno == EWOULDBLOCK)
      end = "timeout: no answer within " + std::to_string(timeout_ms) + " ms";
    else if (errno == ECONNRESET || errno == EPIPE)
      end = "reset: the connection was reset without an answer";
    else if (err == SSL_ERROR_SSL)  // OpenSSL 3: "unexpected eof while reading", or an alert
      end = "closed: " + ssl_errors();
    else
      end = "error: " + ssl_errors();
    break;
  }
  SSL_free(ssl);
  close(fd);
  if (out.empty()) {
    a.error = end;
    return a;
  }
  return parse_raw_answer(out);
}

}  // namespace mdmlab::testing::hostile
