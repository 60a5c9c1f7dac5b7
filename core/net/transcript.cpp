#include "core/net/transcript.hpp"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace mdmlab::net {

nlohmann::json to_json(const TranscriptEntry& e) {
  nlohmann::json j{
      {"seq", e.seq},   {"t_ms", e.t_ms},       {"from", e.from}, {"to", e.to},
      {"kind", e.kind}, {"summary", e.summary}, {"body", e.body}, {"content_type", e.content_type}};
  if (e.kind == "request") {
    j["method"] = e.method;
    j["target"] = e.target;
  } else if (e.kind != "event") {
    j["answers"] = e.answers;
    j["status"] = e.status;
    j["took_ms"] = e.took_ms;
  }
  return j;
}

std::string to_line(const TranscriptEntry& e) {
  char stamp[24];
  std::snprintf(stamp, sizeof stamp, "%8.3fs ", e.t_ms / 1000.0);
  std::string line = stamp + e.from;
  if (e.kind == "request") {
    line += " -> " + e.method + " " + e.to + " ";
    line.append(e.target, 0, 120);  // SCEP GET carries the whole message in the query
    if (e.target.size() > 120) line += "...";
  } else if (e.kind == "event") {
    line += " -> " + e.to + ": " + e.summary;
    return line;
  } else {
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.1f ms", e.took_ms);
    line =
        stamp + e.to + " <- " + (e.kind == "error" ? "transport error" : std::to_string(e.status));
    if (e.kind == "error") return line + ": " + e.summary + " after " + ms;
    if (!e.summary.empty()) line += " (" + e.summary + ")";
    return line + " in " + ms;
  }
  if (!e.summary.empty()) line += " (" + e.summary + ")";
  return line;
}

Transcript::Transcript(std::size_t limit) : limit_(limit) {}

void Transcript::add_secret(std::string secret) {
  if (secret.empty()) return;
  std::lock_guard lock(mutex_);
  secrets_.push_back(std::move(secret));
}

void Transcript::name_origin(std::string origin, std::string party) {
  std::lock_guard lock(mutex_);
  origins_[std::move(origin)] = std::move(party);
}

std::string Transcript::redact(std::string text) const {
  static const std::string kRedacted = "[redacted]";
  for (const auto& s : secrets_)
    for (auto pos = text.find(s); pos != std::string::npos;
         pos = text.find(s, pos + kRedacted.size()))
      text.replace(pos, s.size(), kRedacted);
  return text;
}

double Transcript::now_ms() const {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
      .count();
}

// Called with mutex_ held.
void Transcript::add(TranscriptEntry e) {
  e.seq = next_seq_++;
  for (auto* field : {&e.target, &e.summary, &e.body}) *field = redact(std::move(*field));
  entries_.push_back(std::move(e));
  while (entries_.size() > limit_) entries_.pop_front();
}

std::uint64_t Transcript::request(const std::string& party, const std::string& origin,
                                  const HttpRequest& req) {
  TranscriptEntry e;
  e.t_ms = now_ms();
  e.from = party;
  e.kind = "request";
  e.method = req.method;
  e.target = req.target;
  e.content_type = std::string(req.header("Content-Type"));
  e.summary = summarize_body(e.content_type, req.body);
  e.body = readable_body(e.content_type, req.body);
  e.to = origin;  // named when read: an origin may get its party name later
  std::lock_guard lock(mutex_);
  const auto seq = next_seq_;
  open_[seq] = {e.from, e.to};
  add(std::move(e));
  return seq;
}

void Transcript::response(std::uint64_t request_seq, const Result<HttpResponse>& res,
                          std::chrono::microseconds took) {
  TranscriptEntry e;
  e.t_ms = now_ms();
  e.answers = request_seq;
  e.took_ms = static_cast<double>(took.count()) / 1000.0;
  if (!res) {
    e.kind = "error";
    e.summary = res.error().message;
  } else {
    e.kind = "response";
    e.status = res->status;
    e.content_type = std::string(res->header("Content-Type"));
    e.summary = summarize_body(e.content_type, res->body);
    e.body = readable_body(e.content_type, res->body);
  }
  std::lock_guard lock(mutex_);
  if (auto it = open_.find(request_seq); it != open_.end()) {
    // An answer travels back: from the server to the party that asked.
    e.from = it->second.second;
    e.to = it->second.first;
    open_.erase(it);
  }
  add(std::move(e));
}

void Transcript::event(std::string from, std::string to, std::string summary, std::string body,
                       std::chrono::system_clock::time_point at) {
  TranscriptEntry e;
  e.t_ms = std::chrono::duration<double, std::milli>(at - wall_start_).count();
  e.from = std::move(from);
  e.to = std::move(to);
  e.kind = "event";
  e.summary = std::move(summary);
  e.body = std::move(body);
  std::lock_guard lock(mutex_);
  add(std::move(e));
  // Events arrive after the fact: keep the list in time order.
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const auto& a, const auto& b) { return a.t_ms < b.t_ms; });
}

std::vector<TranscriptEntry> Transcript::entries() const {
  std::lock_guard lock(mutex_);
  std::vector<TranscriptEntry> out(entries_.begin(), entries_.end());
  for (auto& e : out)
    for (auto* party : {&e.from, &e.to})
      if (auto named = origins_.find(*party); named != origins_.end()) *party = named->second;
  return out;
}

std::vector<std::string> Transcript::lines(std::size_t count) const {
  auto all = entries();
  std::vector<std::string> out;
  auto first = all.size() > count ? all.size() - count : 0;
  for (auto i = first; i < all.size(); ++i) out.push_back(to_line(all[i]));
  return out;
}

}  // namespace mdmlab::net
