// HTTP/1.1 request parsing as core/net's server does it: a Beast request_parser with the
// server's body (2 MiB) and header (16 KiB) limits, fed the bytes (possibly several pipelined
// requests), then each request converted to our HttpRequest the way http_server.cpp does and
// routed (path decoding, query parameters, header lookup, route matching).
#include <boost/beast/http.hpp>

#include <string_view>

#include "core/net/http_message.hpp"
#include "core/net/router.hpp"

namespace {
namespace http = boost::beast::http;
using mdmlab::net::HttpRequest;

const mdmlab::net::Router& routes() {
  static const mdmlab::net::Router router = [] {
    mdmlab::net::Router r;
    const mdmlab::net::HttpHandler none;  // matched, never called
    for (const char* m : {"GET", "POST"})
      r.add(m, "/scep", none).add(m, "/cgi-bin/pkiclient.exe", none);
    r.add("PUT", "/mdm/apple/mdm", none)
        .add("PUT", "/mdm/checkin", none)
        .add("PUT", "/mdm/connect", none);
    r.add("GET", "/mdm/apple/enroll", none).add("GET", "/admin/v1/scep/transactions", none);
    r.add("POST", "/admin/v1/scep/transactions/*", none)
        .add("GET", "/admin/v1/apple/devices", none);
    r.add("POST", "/admin/v1/apple/commands", none).add("GET", "/admin/v1/apple/commands/*", none);
    r.add("GET", "/metrics", none).add("GET", "/healthz", none);
    return r;
  }();
  return router;
}

void use(const http::request<http::string_body>& req) {
  HttpRequest request;  // the conversion in HttpServer::Impl::serve_requests
  request.method = std::string(req.method_string());
  request.target = std::string(req.target());
  for (const auto& f : req)
    request.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  request.body = req.body();
  auto path = request.path();
  (void)request.query();
  (void)request.query_param("operation");
  (void)request.query_param("message");
  (void)request.query_param("status");
  (void)request.header("Content-Type");
  (void)request.header("Authorization");
  (void)mdmlab::net::percent_decode(request.target);
  auto match = routes().match(request.method, path);
  (void)match;
  (void)req.keep_alive();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (int requests = 0; requests < 8 && !rest.empty(); ++requests) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(2 * 1024 * 1024);
    parser.header_limit(16 * 1024);
    parser.eager(true);
    boost::beast::error_code ec;
    std::size_t used = 0;
    while (!parser.is_done() && used < rest.size()) {
      auto n = parser.put(boost::asio::buffer(rest.data() + used, rest.size() - used), ec);
      used += n;
      if (ec == http::error::need_more) {
        ec = {};
        break;
      }
      if (ec || n == 0) break;
    }
    if (ec) return 0;
    if (!parser.is_done()) {
      parser.put_eof(ec);  // what the server sees when the peer closes
      if (ec || !parser.is_done()) return 0;
    }
    use(parser.get());
    rest.remove_prefix(used);
  }
  return 0;
}
