#include "core/net/transcript.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace mdmlab::net {

namespace {
// The string value after <key>NAME</key> in an XML plist, or "".
std::string plist_value(const std::string& body, const std::string& key) {
  auto k = body.find("<key>" + key + "</key>");
  if (k == std::string::npos) return {};
  auto open = body.find("<string>", k);
  auto close = body.find("</string>", open);
  if (open == std::string::npos || close == std::string::npos || open - k > 64) return {};
  return body.substr(open + 8, std::min<std::size_t>(close - open - 8, 64));
}
// JSON keys whose values are secrets (compared lowercased, '_' and '-' dropped): PINs,
// passcodes, challenges, tokens. Redacted by field, wherever they sit in the document.
bool secret_key(std::string key) {
  std::string k;
  for (char c : key)
    if (c != '_' && c != '-') k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const char* const kSecret[] = {
      "pin",         "passcode",       "newpasscode", "password",     "challenge", "scepchallenge",
      "token",       "admintoken",     "accesstoken", "refreshtoken", "secret",    "clientsecret",
      "unlocktoken", "bootstraptoken", "pushmagic",   "authorization"};
  return std::any_of(std::begin(kSecret), std::end(kSecret), [&](const char* s) { return k == s; });
}

void redact_json(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto& [key, value] : j.items()) {
      if (secret_key(key) && !value.is_object() && !value.is_array())
        value = "[redacted]";
      else
        redact_json(value);
    }
  } else if (j.is_array()) {
    for (auto& v : j) redact_json(v);
  }
}
}  // namespace

std::string summarize_body(const std::string& content_type, const std::string& body) {
  if (body.empty()) return "";
  std::string out = std::to_string(body.size()) + " B";
  if (body.find("<plist") != std::string::npos) {
    for (const char* key : {"MessageType", "Status", "RequestType", "CommandUUID"}) {
      auto v = plist_value(body, key);
      if (!v.empty()) out += std::string(" ") + key + "=" + v;
    }
    return out;
  }
  if (content_type.find("json") != std::string::npos ||
      (!body.empty() && (body[0] == '{' || body[0] == '['))) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    // Unparseable JSON-ish text is not shown at all: it could hold a secret we cannot find.
    if (doc.is_discarded()) return out + " (not valid JSON)";
    redact_json(doc);
    auto full = doc.dump();
    std::string text = full.substr(0, 200);
    for (auto& c : text)
      if (c == '\n' || c == '\r') c = ' ';
    return out + " " + text + (full.size() > 200 ? "..." : "");
  }
  return out;
}

Transcript::Transcript(std::size_t limit) : limit_(limit) {}

void Transcript::add_secret(std::string secret) {
  if (secret.empty()) return;
  std::lock_guard lock(mutex_);
  secrets_.push_back(std::move(secret));
}

std::string Transcript::redact(std::string text) const {
  static const std::string kRedacted = "[redacted]";
  for (const auto& s : secrets_)
    for (auto pos = text.find(s); pos != std::string::npos;
         pos = text.find(s, pos + kRedacted.size()))
      text.replace(pos, s.size(), kRedacted);
  return text;
}

void Transcript::add(std::string line) {
  char stamp[24];
  std::snprintf(stamp, sizeof stamp, "%8.3fs ",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  std::lock_guard lock(mutex_);
  lines_.push_back(stamp + redact(std::move(line)));
  while (lines_.size() > limit_) lines_.pop_front();
}

void Transcript::request(const std::string& party, const std::string& origin,
                         const HttpRequest& req) {
  auto summary = summarize_body(req.header("Content-Type"), req.body);
  // SCEP GET carries the whole message in the query: keep only the operation.
  std::string line = party + " -> " + req.method + " " + origin;
  line.append(req.target, 0, 120);
  if (req.target.size() > 120) line += "...";
  if (!summary.empty()) line += " (" + summary + ")";
  add(std::move(line));
}

void Transcript::response(const std::string& party, const Result<HttpResponse>& res,
                          std::chrono::microseconds took) {
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.1f ms", static_cast<double>(took.count()) / 1000.0);
  if (!res) {
    add(party + " <- transport error: " + res.error().message + " after " + ms);
    return;
  }
  auto summary = summarize_body(res->header("Content-Type"), res->body);
  add(party + " <- " + std::to_string(res->status) + (summary.empty() ? "" : " (" + summary + ")") +
      " in " + ms);
}

std::vector<std::string> Transcript::lines() const {
  std::lock_guard lock(mutex_);
  return {lines_.begin(), lines_.end()};
}

}  // namespace mdmlab::net
