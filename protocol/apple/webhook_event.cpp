#include "protocol/apple/webhook_event.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

#include "protocol/json/strict_json.hpp"

namespace mdmlab::apple {
using nlohmann::json;

namespace {
constexpr std::array<std::string_view, 9> kTopics = {
    "mdm.Authenticate",     "mdm.TokenUpdate",           "mdm.CheckOut",
    "mdm.UserAuthenticate", "mdm.SetBootstrapToken",     "mdm.GetBootstrapToken",
    "mdm.Connect",          "mdm.DeclarativeManagement", "mdm.GetToken"};

Error bad(std::string why) {
  return Error{"bad_webhook_event", std::move(why)};
}

// An optional string member: absent is fine, present must be a string.
Result<void> take_string(const json& object, const char* key, std::string& out) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return success();
  if (!it->is_string()) return bad(std::string(key) + " is not a string");
  out = it->get<std::string>();
  return success();
}
}  // namespace

std::string webhook_topic(CheckinType type) {
  return "mdm." + std::string(to_string(type));
}

std::string encode_webhook_event(const WebhookEvent& e) {
  json inner = json::object();
  if (!e.udid.empty()) inner["udid"] = e.udid;
  if (!e.enrollment_id.empty()) inner["enrollment_id"] = e.enrollment_id;
  if (!e.id.empty()) {
    json ids{{"id", e.id}, {"type", e.id_type}};
    if (!e.parent_id.empty()) ids["parent_id"] = e.parent_id;
    inner["ids"] = ids;
  }
  if (!e.url_params.empty()) inner["url_params"] = e.url_params;
  inner["raw_payload"] = base64_encode(e.raw_payload);
  if (e.acknowledge) {
    inner["status"] = e.status;
    if (!e.command_uuid.empty()) inner["command_uuid"] = e.command_uuid;
  } else if (e.token_update_tally) {
    inner["token_update_tally"] = *e.token_update_tally;
  }
  json out{{"topic", e.topic}, {"created_at", e.created_at}};
  if (!e.event_id.empty()) out["event_id"] = e.event_id;
  out[e.acknowledge ? "acknowledge_event" : "checkin_event"] = std::move(inner);
  // Strings we did not write (a device's UDID) may hold invalid UTF-8: replace, never throw.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<WebhookEvent> decode_webhook_event(std::string_view body) {
  auto parsed = parse_strict_json(body);
  if (!parsed) return parsed.error();
  const json& j = *parsed;
  if (!j.is_object()) return bad("the event is not a JSON object");
  WebhookEvent e;
  if (auto r = take_string(j, "topic", e.topic); !r) return r.error();
  if (std::find(kTopics.begin(), kTopics.end(), e.topic) == kTopics.end())
    return bad("unknown topic `" + e.topic + "`");
  if (auto r = take_string(j, "event_id", e.event_id); !r) return r.error();
  if (auto r = take_string(j, "created_at", e.created_at); !r) return r.error();
  if (e.created_at.empty()) return bad("created_at is missing");
  const bool ack = j.contains("acknowledge_event"), checkin = j.contains("checkin_event");
  if (ack == checkin) return bad("an event has exactly one of acknowledge_event, checkin_event");
  e.acknowledge = ack;
  if (ack != (e.topic == kConnectTopic))
    return bad("acknowledge_event goes with mdm.Connect, checkin_event with the other topics");
  const json& inner = j[ack ? "acknowledge_event" : "checkin_event"];
  if (!inner.is_object()) return bad("the event body is not an object");
  using Field = std::pair<const char*, std::string*>;
  for (auto [key, out] :
       std::array<Field, 4>{Field{"udid", &e.udid}, Field{"enrollment_id", &e.enrollment_id},
                            Field{"status", &e.status}, Field{"command_uuid", &e.command_uuid}})
    if (auto r = take_string(inner, key, *out); !r) return r.error();
  if (ack && e.status.empty()) return bad("acknowledge_event.status is missing");
  if (auto ids = inner.find("ids"); ids != inner.end()) {
    if (!ids->is_object()) return bad("ids is not an object");
    for (auto [key, out] : std::array<Field, 3>{Field{"id", &e.id}, Field{"type", &e.id_type},
                                                Field{"parent_id", &e.parent_id}})
      if (auto r = take_string(*ids, key, *out); !r) return r.error();
  }
  if (auto params = inner.find("url_params"); params != inner.end() && !params->is_null()) {
    if (!params->is_object()) return bad("url_params is not an object");
    for (const auto& [key, value] : params->items()) {
      if (!value.is_string()) return bad("url_params." + key + " is not a string");
      e.url_params[key] = value.get<std::string>();
    }
  }
  if (auto tally = inner.find("token_update_tally"); tally != inner.end()) {
    if (!tally->is_number_integer()) return bad("token_update_tally is not an integer");
    e.token_update_tally = tally->get<std::int64_t>();
  }
  auto raw = inner.find("raw_payload");
  if (raw == inner.end() || !raw->is_string()) return bad("raw_payload is missing");
  auto bytes = base64_decode(raw->get<std::string>());
  if (!bytes) return bad("raw_payload is not base64");
  e.raw_payload = std::move(*bytes);
  return e;
}

}  // namespace mdmlab::apple
