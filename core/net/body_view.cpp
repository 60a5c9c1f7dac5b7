#include "core/net/body_view.hpp"

#include <algorithm>
#include <cctype>

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

void redact_json(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto& [key, value] : j.items()) {
      if (is_secret_key(key) && !value.is_object() && !value.is_array())
        value = "[redacted]";
      else
        redact_json(value);
    }
  } else if (j.is_array()) {
    for (auto& v : j) redact_json(v);
  }
}

// Every <key>SECRET</key> followed by a <string> or <data> element gets that element's text
// replaced. Plist keys never nest inside <key>, so a linear scan is exact enough.
std::string redact_plist(std::string body) {
  std::size_t pos = 0;
  while ((pos = body.find("<key>", pos)) != std::string::npos) {
    auto end = body.find("</key>", pos);
    if (end == std::string::npos) break;
    auto key = body.substr(pos + 5, end - pos - 5);
    pos = end + 6;
    if (!is_secret_key(key)) continue;
    auto next = body.find('<', pos);
    if (next == std::string::npos) break;
    for (const char* tag : {"string", "data"}) {
      std::string open = std::string("<") + tag + ">", close = std::string("</") + tag + ">";
      if (body.compare(next, open.size(), open) != 0) continue;
      auto stop = body.find(close, next);
      if (stop == std::string::npos) return "(plist cut short; not shown)";
      body.replace(next + open.size(), stop - next - open.size(), "[redacted]");
    }
  }
  return body;
}

bool looks_like_text(const std::string& body) {
  std::size_t odd = 0;
  for (unsigned char c : body)
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f) ++odd;
  return odd == 0;
}

std::string cut(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  auto more = text.size() - limit;
  text.resize(limit);
  return text + "\n... (" + std::to_string(more) + " more bytes)";
}
}  // namespace

bool is_secret_key(const std::string& key) {
  std::string k;
  for (char c : key)
    if (c != '_' && c != '-') k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const char* const kSecret[] = {
      "pin",         "passcode",       "newpasscode", "password",     "challenge", "scepchallenge",
      "token",       "admintoken",     "accesstoken", "refreshtoken", "secret",    "clientsecret",
      "unlocktoken", "bootstraptoken", "pushmagic",   "authorization"};
  return std::any_of(std::begin(kSecret), std::end(kSecret), [&](const char* s) { return k == s; });
}

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

std::string readable_body(const std::string& content_type, const std::string& body,
                          std::size_t limit) {
  if (body.empty()) return "";
  if (body.find("<plist") != std::string::npos && looks_like_text(body))
    return cut(redact_plist(body), limit);
  if (content_type.find("json") != std::string::npos || body[0] == '{' || body[0] == '[') {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded())
      return "(" + std::to_string(body.size()) + " bytes that are not valid JSON; not shown)";
    redact_json(doc);
    return cut(doc.dump(2), limit);
  }
  // Other text (HTML error pages, plain messages) has no fields to redact by; the transcript's
  // secret strings still apply to it.
  if (looks_like_text(body) && content_type.find("pki") == std::string::npos)
    return cut(body, limit);
  return "(" + std::to_string(body.size()) + " bytes" +
         (content_type.empty() ? "" : " of " + content_type) + ")";
}

}  // namespace mdmlab::net
