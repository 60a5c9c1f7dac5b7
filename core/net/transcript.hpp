// A wire transcript: every HTTP request and answer between the parties of a scenario, as
// structured entries (for the report's sequence diagram) and as one-line text (for failure
// logs). It never holds secrets: headers are not recorded, bodies are decoded with secret
// values redacted by field (body_view.hpp), and registered secrets (challenges, tokens) are
// replaced by "[redacted]" wherever they still appear.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.hpp"
#include "core/net/body_view.hpp"
#include "core/net/http_message.hpp"

namespace mdmlab::net {

struct TranscriptEntry {
  std::uint64_t seq = 0;      // 1, 2, ... in the order they happened
  std::uint64_t answers = 0;  // a response's (or error's) request seq
  double t_ms = 0;            // since the transcript began
  std::string from, to;       // party names, e.g. "mac1" -> "server"
  std::string kind;           // "request", "response", "error" or "event"
  std::string method, target;
  int status = 0;
  std::string content_type;
  std::string summary;  // a few words: "MessageType=Authenticate", "Status=Acknowledged"
  std::string body;     // readable_body(): decoded, redacted, cut at 16 KiB
  double took_ms = 0;   // response and error: since the request
};
nlohmann::json to_json(const TranscriptEntry& e);

class Transcript {
 public:
  explicit Transcript(std::size_t limit = 4000);
  void add_secret(std::string secret);
  // Requests to `origin` (scheme://host:port) are drawn as going to `party`.
  void name_origin(std::string origin, std::string party);
  // Returns the request's seq, which its response() names.
  std::uint64_t request(const std::string& party, const std::string& origin,
                        const HttpRequest& req);
  void response(std::uint64_t request_seq, const Result<HttpResponse>& res,
                std::chrono::microseconds took);
  // Something a party reported that was not an HTTP exchange we saw (e.g. a push APNs
  // accepted from the server), at wall-clock time `at`.
  void event(std::string from, std::string to, std::string summary, std::string body,
             std::chrono::system_clock::time_point at);
  // The last `limit` entries, oldest first.
  std::vector<TranscriptEntry> entries() const;
  // The last `count` entries as one line each.
  std::vector<std::string> lines(std::size_t count = 400) const;
  // Milliseconds since the transcript began (the clock of t_ms).
  double now_ms() const;

 private:
  std::string redact(std::string text) const;
  void add(TranscriptEntry e);

  std::size_t limit_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::system_clock::time_point wall_start_ = std::chrono::system_clock::now();
  mutable std::mutex mutex_;
  std::uint64_t next_seq_ = 1;
  std::vector<std::string> secrets_;
  std::map<std::string, std::string> origins_;
  std::map<std::uint64_t, std::pair<std::string, std::string>> open_;  // seq -> (from, to)
  std::deque<TranscriptEntry> entries_;
};

// One entry as a log line: "   0.412s mac1 -> PUT server/mdm (412 B MessageType=Idle)".
std::string to_line(const TranscriptEntry& e);

}  // namespace mdmlab::net
