#include "protocol/apple/apns.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <set>

namespace mdmlab::apple {
using nlohmann::json;

namespace {
bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Error reject(ApnsRejection& out, int status, std::string reason) {
  out.status = status;
  out.reason = reason;
  return make_error("apns_" + reason, std::to_string(status) + " " + reason);
}
}  // namespace

std::vector<ApnsHeader> apns_request_headers(const ApnsPush& push, const std::string& authority) {
  std::vector<ApnsHeader> h = {{":method", "POST"},
                               {":scheme", "https"},
                               {":authority", authority},
                               {":path", "/3/device/" + push.token_hex},
                               {"apns-push-type", push.push_type},
                               {"apns-priority", std::to_string(push.priority)}};
  if (!push.topic.empty()) h.push_back({"apns-topic", push.topic});
  if (push.expiration) h.push_back({"apns-expiration", std::to_string(*push.expiration)});
  if (!push.apns_id.empty()) h.push_back({"apns-id", push.apns_id});
  if (!push.collapse_id.empty()) h.push_back({"apns-collapse-id", push.collapse_id});
  h.push_back({"content-type", "application/json"});
  return h;
}

std::string mdm_push_payload(const std::string& push_magic) {
  return json{{"mdm", push_magic}}.dump();
}

std::optional<std::string> push_magic_of(const std::string& payload) {
  auto j = json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  auto it = j.find("mdm");
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

Result<ApnsPush> parse_apns_request(const std::vector<ApnsHeader>& headers, const std::string& body,
                                    const std::string& certificate_topic,
                                    ApnsRejection& rejection) {
  std::set<std::string> seen;
  for (const auto& h : headers) {
    bool single = h.name.starts_with(":") || h.name.starts_with("apns-");
    if (single && !seen.insert(h.name).second) return reject(rejection, 400, "DuplicateHeaders");
  }
  auto get = [&](std::string_view name) -> std::optional<std::string> {
    for (const auto& h : headers)
      if (h.name == name) return h.value;
    return std::nullopt;
  };
  if (get(":method").value_or("") != "POST") return reject(rejection, 405, "MethodNotAllowed");
  const std::string path = get(":path").value_or("");
  constexpr std::string_view prefix = "/3/device/";
  if (!path.starts_with(prefix)) return reject(rejection, 404, "BadPath");
  ApnsPush push;
  std::string token = path.substr(prefix.size());
  if (token.empty()) return reject(rejection, 400, "MissingDeviceToken");
  if (token.size() < 64 || token.size() > 200 || token.size() % 2 != 0 || !is_hex(token))
    return reject(rejection, 400, "BadDeviceToken");
  std::transform(token.begin(), token.end(), token.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  push.token_hex = token;

  if (certificate_topic.empty()) return reject(rejection, 403, "BadCertificate");
  push.topic = get("apns-topic").value_or("");
  if (push.topic.empty()) push.topic = certificate_topic;
  if (push.topic != certificate_topic) return reject(rejection, 400, "TopicDisallowed");

  static const std::set<std::string> push_types = {"alert", "background",   "location",
                                                   "voip",  "complication", "fileprovider",
                                                   "mdm",   "liveactivity", "pushtotalk"};
  push.push_type = get("apns-push-type").value_or("");
  bool mdm_topic = push.topic.starts_with("com.apple.mgmt.");
  if (push.push_type.empty()) push.push_type = mdm_topic ? "mdm" : "alert";
  if (!push_types.count(push.push_type) || (mdm_topic && push.push_type != "mdm"))
    return reject(rejection, 400, "InvalidPushType");

  if (auto p = get("apns-priority")) {
    if (*p != "1" && *p != "5" && *p != "10") return reject(rejection, 400, "BadPriority");
    push.priority = std::stoi(*p);
  }
  if (auto e = get("apns-expiration")) {
    if (!all_digits(*e)) return reject(rejection, 400, "BadExpirationDate");
    push.expiration = std::stoll(*e);
  }
  if (auto id = get("apns-id")) {
    if (!is_uuid(*id)) return reject(rejection, 400, "BadMessageId");
    push.apns_id = *id;
  }
  if (auto c = get("apns-collapse-id")) {
    if (c->size() > 64) return reject(rejection, 400, "BadCollapseId");
    push.collapse_id = *c;
  }
  if (body.empty()) return reject(rejection, 400, "PayloadEmpty");
  if (body.size() > kApnsMaxPayload) return reject(rejection, 413, "PayloadTooLarge");
  // The payload must be a JSON dictionary (UTF-8). Apple documents no reason of its own for one
  // that is not; the simulator answers as for a missing one rather than deliver it.
  if (auto j = json::parse(body, nullptr, false); j.is_discarded() || !j.is_object())
    return reject(rejection, 400, "PayloadEmpty");
  push.payload = body;
  return push;
}

std::string apns_error_body(const std::string& reason, std::optional<std::int64_t> timestamp_ms) {
  json j{{"reason", reason}};
  if (timestamp_ms) j["timestamp"] = *timestamp_ms;
  // A reason with invalid UTF-8 (from a fault injected by hand) must not throw.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ApnsErrorBody> parse_apns_error_body(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("reason") || !j["reason"].is_string())
    return make_error("bad_apns_error", "APNs error body is not {\"reason\": ...}");
  ApnsErrorBody out;
  out.reason = j["reason"].get<std::string>();
  // Unsigned first (is_number_integer() is true for it too); a timestamp beyond int64 is ignored.
  if (j.contains("timestamp") && j["timestamp"].is_number_unsigned()) {
    auto u = j["timestamp"].get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(INT64_MAX)) out.timestamp_ms = static_cast<std::int64_t>(u);
  } else if (j.contains("timestamp") && j["timestamp"].is_number_integer()) {
    out.timestamp_ms = j["timestamp"].get<std::int64_t>();
  }
  return out;
}

bool apns_invalidates_token(int status, const std::string& reason) {
  if (status == 410) return true;
  return status == 400 && (reason == "BadDeviceToken" || reason == "DeviceTokenNotForTopic");
}

std::string apns_reason_label(int status, const std::string& reason) {
  if (status == 0) return "transport";
  if (status == 200) return "";
  // Apple's "Handling notification responses from APNs" table.
  static const char* const kReasons[] = {"BadCollapseId",
                                         "BadDeviceToken",
                                         "BadExpirationDate",
                                         "BadMessageId",
                                         "BadPriority",
                                         "BadTopic",
                                         "DeviceTokenNotForTopic",
                                         "DuplicateHeaders",
                                         "IdleTimeout",
                                         "InvalidPushType",
                                         "MissingDeviceToken",
                                         "MissingTopic",
                                         "PayloadEmpty",
                                         "TopicDisallowed",
                                         "BadCertificate",
                                         "BadCertificateEnvironment",
                                         "ExpiredProviderToken",
                                         "Forbidden",
                                         "InvalidProviderToken",
                                         "MissingProviderToken",
                                         "UnrelatedKeyIdInToken",
                                         "BadEnvironmentKeyInToken",
                                         "BadPath",
                                         "MethodNotAllowed",
                                         "ExpiredToken",
                                         "Unregistered",
                                         "PayloadTooLarge",
                                         "TooManyProviderTokenUpdates",
                                         "TooManyRequests",
                                         "InternalServerError",
                                         "ServiceUnavailable",
                                         "Shutdown"};
  for (const char* r : kReasons)
    if (reason == r) return reason;
  return "other";
}

std::string apns_status_label(int status) {
  for (int s : {0, 200, 400, 403, 404, 405, 410, 413, 429, 500, 503})
    if (status == s) return std::to_string(s);
  return "other";
}

}  // namespace mdmlab::apple
