#include "scenarios/engine/target_http.hpp"

#include "core/net/http_client.hpp"

namespace mdmlab::scenarios {

boost::asio::awaitable<Result<net::HttpResponse>> send_to_target(
    boost::asio::any_io_executor executor, std::string url_text, net::HttpRequest req,
    const TargetAuth& auth, std::shared_ptr<net::Transcript> transcript) {
  auto url = net::Url::parse(url_text);
  if (!url) co_return url.error();
  net::HttpClientOptions options;
  options.transcript = std::move(transcript);
  options.party = "runner";
  net::HttpClient http(executor, url->origin(), options);
  req.target = url->target;
  auth.apply(req);
  auto res = co_await http.send(std::move(req));
  co_return res;
}

}  // namespace mdmlab::scenarios
