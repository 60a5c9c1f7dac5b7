// A wire transcript: one line per HTTP request and answer, from every party of a scenario, for
// failure reports. It never holds secrets: headers are not recorded, bodies are summarised
// (plist MessageType / Status / RequestType, JSON text, else the size), and registered
// secrets (challenges, tokens) are replaced by "[redacted]" wherever they appear.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/net/http_message.hpp"

namespace mdmlab::net {

class Transcript {
 public:
  explicit Transcript(std::size_t limit = 400);
  void add_secret(std::string secret);
  void request(const std::string& party, const std::string& origin, const HttpRequest& req);
  void response(const std::string& party, const Result<HttpResponse>& res,
                std::chrono::microseconds took);
  // The last `limit` lines, oldest first.
  std::vector<std::string> lines() const;

 private:
  std::string redact(std::string text) const;
  void add(std::string line);

  std::size_t limit_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;
  std::deque<std::string> lines_;
};

// What a body says, in a few words (no secrets): used by Transcript.
std::string summarize_body(const std::string& content_type, const std::string& body);

}  // namespace mdmlab::net
