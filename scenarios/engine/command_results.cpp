#include "scenarios/engine/command_results.hpp"

#include <charconv>

#include "core/net/http_server.hpp"
#include "crypto/digest.hpp"
#include "crypto/secret.hpp"
#include "protocol/plist/binary.hpp"
#include "protocol/plist/json.hpp"
#include "protocol/plist/xml.hpp"

namespace mdmlab::scenarios {
namespace asio = boost::asio;
using nlohmann::json;

Result<CommandResultsApi> read_command_results(const json& j, const std::filesystem::path& base) {
  if (auto r = check_adapter_keys(j, "command_results",
                                  {"webhook_listen", "webhook_path", "hmac_secret",
                                   "hmac_secret_file", "hmac_secret_env", "url"});
      !r)
    return r.error();
  CommandResultsApi api;
  api.webhook_listen = j.value("webhook_listen", std::string());
  api.webhook_path = j.value("webhook_path", api.webhook_path);
  api.url = j.value("url", std::string());
  if (api.webhook_listen.empty() == api.url.empty())
    return make_error("target", "command_results: give one of webhook_listen and url");
  if (!api.url.empty() && api.url.find("{command_uuid}") == std::string::npos)
    return make_error("target", "command_results: the url needs {command_uuid}");
  if (api.webhook_path.empty() || api.webhook_path[0] != '/')
    return make_error("target", "command_results: webhook_path starts with /");
  auto secret = target_secret(j, "hmac_secret", base);
  if (!secret) return secret.error();
  api.hmac_secret = *secret;
  auto auth = read_target_auth(j, base);
  if (!auth) return auth.error();
  api.auth = *auth;
  return api;
}

// ---- the inbox ----------------------------------------------------------------------------

void WebhookInbox::add(apple::WebhookEvent event) {
  std::lock_guard lock(mutex_);
  events_.push_back({std::move(event), std::chrono::system_clock::now()});
  if (events_.size() > 20000) events_.pop_front();
}

json WebhookInbox::command_document(const std::string& command_uuid,
                                    const std::string& udid) const {
  std::lock_guard lock(mutex_);
  json doc;
  int reports = 0, not_now = 0;
  for (const auto& [e, at] : events_) {
    if (!e.acknowledge || e.command_uuid != command_uuid) continue;
    // A user channel's id is "UDID:UserID" in NanoMDM's ids, its UDID alone in udid.
    if (!udid.empty() && e.id != udid && (e.udid.empty() ? e.enrollment_id : e.udid) != udid)
      continue;
    ++reports;
    not_now += e.status == "NotNow";
    doc = json{{"status", e.status},
               {"udid", e.udid.empty() ? e.enrollment_id : e.udid},
               // The report as the device sent it; paths decode the plist (result.ErrorChain).
               {"result", std::string(e.raw_payload.begin(), e.raw_payload.end())}};
  }
  if (doc.is_null()) return doc;
  doc["not_now_count"] = not_now;
  doc["reports"] = reports;
  return doc;
}

std::vector<WebhookInbox::Received> WebhookInbox::since(
    std::chrono::system_clock::time_point at) const {
  std::lock_guard lock(mutex_);
  std::vector<Received> out;
  for (const auto& r : events_)
    if (r.at >= at) out.push_back(r);
  return out;
}

// ---- the receiver -------------------------------------------------------------------------

struct WebhookReceiver::Impl {
  std::unique_ptr<net::HttpServer> http;
  std::string path;
};

Result<std::unique_ptr<WebhookReceiver>> WebhookReceiver::start(
    net::IoRuntime& io, const CommandResultsApi& api, std::shared_ptr<WebhookInbox> inbox) {
  auto colon = api.webhook_listen.rfind(':');
  unsigned port = 0;
  const auto* digits = api.webhook_listen.data() + colon + 1;
  const auto* end = api.webhook_listen.data() + api.webhook_listen.size();
  if (colon == std::string::npos || colon == 0 || std::from_chars(digits, end, port).ptr != end ||
      port > 65535)
    return make_error(
        "target", "command_results: webhook_listen is HOST:PORT, got `" + api.webhook_listen + "`");
  net::Router router;
  router.add("POST", api.webhook_path,
             [inbox, secret = api.hmac_secret](
                 const net::HttpRequest& req) -> asio::awaitable<net::HttpResponse> {
               if (!secret.empty()) {
                 auto want = base64_encode(crypto::hmac_sha256(secret, req.body));
                 if (!crypto::constant_time_equals(req.header(apple::kWebhookHmacHeader), want)) {
                   inbox->refused();
                   co_return net::HttpResponse::text(401, "bad or missing X-Hmac-Signature\n");
                 }
               }
               auto event = apple::decode_webhook_event(req.body);
               if (!event) {
                 inbox->refused();
                 co_return net::HttpResponse::text(400, event.error().message + "\n");
               }
               inbox->add(std::move(*event));
               net::HttpResponse ok;
               ok.status = 200;
               co_return ok;
             });
  net::HttpServerOptions options;
  options.bind_address = api.webhook_listen.substr(0, colon);
  if (options.bind_address.size() > 1 && options.bind_address.front() == '[')
    options.bind_address = options.bind_address.substr(1, options.bind_address.size() - 2);
  options.port = static_cast<unsigned short>(port);
  options.name = "webhook";
  auto impl = std::make_unique<Impl>();
  impl->path = api.webhook_path;
  impl->http = std::make_unique<net::HttpServer>(io, std::move(router), options);
  if (auto r = impl->http->start(); !r)
    return make_error("target", "command_results: cannot listen on " + api.webhook_listen + ": " +
                                    r.error().message);
  return std::unique_ptr<WebhookReceiver>(new WebhookReceiver(std::move(impl)));
}

WebhookReceiver::WebhookReceiver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebhookReceiver::~WebhookReceiver() {
  if (impl_ && impl_->http) impl_->http->stop(std::chrono::milliseconds(500));
}

std::string WebhookReceiver::url() const {
  return impl_->http->base_url() + impl_->path;
}

// ---- URL mode -----------------------------------------------------------------------------

asio::awaitable<Result<json>> fetch_command_result(asio::any_io_executor executor,
                                                   CommandResultsApi api, std::string udid,
                                                   std::string command_uuid,
                                                   std::shared_ptr<net::Transcript> transcript) {
  auto url_text = fill_template(api.url, {{"udid", net::percent_encode(udid)},
                                          {"command_uuid", net::percent_encode(command_uuid)}});
  net::HttpRequest req;
  req.method = "GET";
  auto res = co_await send_to_target(executor, url_text, std::move(req), api.auth, transcript);
  if (!res) co_return res.error();
  if (res->status == 404) co_return json(nullptr);
  if (res->status < 200 || res->status > 299)
    co_return make_error("results_failed",
                         "GET " + url_text + " answered " + std::to_string(res->status));
  // A plist is a device's report: the same fields the webhook gives.
  const auto& body = res->body;
  auto first = body.find_first_not_of(" \t\r\n");
  const bool binary = plist::looks_binary(body);
  if (binary || (first != std::string::npos && body[first] == '<')) {
    auto v = binary ? plist::from_binary(body) : plist::from_xml(body);
    if (!v)
      co_return make_error("results_failed", "the result is not a plist: " + v.error().message);
    auto report = plist::to_json(*v);
    // XML stays text (paths decode it, as the admin API's results); binary comes decoded.
    json doc{{"result", binary ? report : json(body)}};
    if (report.is_object()) {
      if (report.contains("Status")) doc["status"] = report["Status"];
      if (report.contains("UDID")) doc["udid"] = report["UDID"];
    }
    co_return doc;
  }
  auto doc = json::parse(body, nullptr, false);
  if (doc.is_discarded())
    co_return make_error("results_failed", "the result is neither a plist nor JSON");
  co_return doc;
}

}  // namespace mdmlab::scenarios
