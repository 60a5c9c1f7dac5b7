// Reading command results from a server without mdmlab's admin API: target.json's
// "command_results" says how, so `server.command` expectations run against any server.
//  - A webhook receiver mdmlab runs for the whole run (NanoMDM, MicroMDM and mdmlab serve post
//    MicroMDM-style events: protocol/apple/webhook_event.hpp). Point the server's webhook URL
//    at it:  "command_results": {"webhook_listen": "127.0.0.1:9099", "webhook_path": "/webhook",
//                                "hmac_secret_env": "WEBHOOK_SECRET"}
//    With a secret, events whose X-Hmac-Signature does not match are refused (401).
//  - Or a URL the runner reads, with {udid} and {command_uuid} filled in, answering the
//    device's report as a plist or any JSON document (404: no result yet):
//      "command_results": {"url": "https://mdm.example/api/results/{command_uuid}",
//                          "bearer_env": "MDM_API_TOKEN"}
// Either way `server.command` reads the same fields: status, result (the report, decoded),
// udid, not_now_count (webhook), reports (webhook: how many arrived).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "core/net/transcript.hpp"
#include "protocol/apple/webhook_event.hpp"
#include "scenarios/engine/target_http.hpp"

namespace mdmlab::net {
class IoRuntime;
}

namespace mdmlab::scenarios {

struct CommandResultsApi {
  std::string webhook_listen;  // HOST:PORT mdmlab listens on (webhook mode)
  std::string webhook_path = "/webhook";
  std::string hmac_secret;  // set: X-Hmac-Signature required
  std::string url;          // URL mode: {udid} and {command_uuid}
  TargetAuth auth;
};

Result<CommandResultsApi> read_command_results(const nlohmann::json& j,
                                               const std::filesystem::path& base);

// The events a webhook receiver accepted, for every scenario of a run. Thread-safe.
class WebhookInbox {
 public:
  struct Received {
    apple::WebhookEvent event;
    std::chrono::system_clock::time_point at;
  };
  void add(apple::WebhookEvent event);
  void refused() { ++refused_; }
  std::size_t refused_count() const { return refused_; }
  // server.command's document for `command_uuid` (and the enrollment `udid`, when not empty):
  // null until a report arrived.
  nlohmann::json command_document(const std::string& command_uuid, const std::string& udid) const;
  std::vector<Received> since(std::chrono::system_clock::time_point at) const;

 private:
  mutable std::mutex mutex_;
  std::deque<Received> events_;  // the last 20,000
  std::atomic<std::size_t> refused_{0};
};

// An HTTP listener on api.webhook_listen that decodes events into `inbox`: 200 for an event,
// 400 for a body that is not one, 401 for a wrong or missing signature (with a secret).
class WebhookReceiver {
 public:
  static Result<std::unique_ptr<WebhookReceiver>> start(net::IoRuntime& io,
                                                        const CommandResultsApi& api,
                                                        std::shared_ptr<WebhookInbox> inbox);
  ~WebhookReceiver();
  std::string url() const;  // where the server should post, e.g. http://127.0.0.1:9099/webhook

 private:
  struct Impl;
  explicit WebhookReceiver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// URL mode: reads one result; null while the server has none (404), an error on anything else
// that is not 2xx with a plist or JSON body.
boost::asio::awaitable<Result<nlohmann::json>> fetch_command_result(
    boost::asio::any_io_executor executor, CommandResultsApi api, std::string udid,
    std::string command_uuid, std::shared_ptr<net::Transcript> transcript);

}  // namespace mdmlab::scenarios
