// The MicroMDM webhook event: one JSON object per MDM message a server accepted, POSTed to a
// URL of the operator's choosing. MicroMDM defined it and NanoMDM kept it ("MicroMDM-compatible
// webhook"), so tools that read command results from servers (and mdmlab's own receiver, for
// servers without mdmlab's admin API) can rely on one shape:
//   {"topic": "mdm.Connect", "event_id": "...", "created_at": "2026-11-29T13:40:00Z",
//    "acknowledge_event": {"udid": "...", "status": "Acknowledged", "command_uuid": "...",
//                          "raw_payload": "<base64 of the report's HTTP body>"}}
// Check-ins carry "checkin_event" (udid or enrollment_id, raw_payload, url_params, and
// token_update_tally for mdm.TokenUpdate) under topics named after their MessageType.
// NanoMDM adds "ids" ({id, type: Device | User | ..., parent_id}); so do we.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "protocol/apple/checkin.hpp"

namespace mdmlab::apple {

inline constexpr const char* kWebhookContentType = "application/json; charset=utf-8";
// The header NanoMDM puts the body's HMAC-SHA256 in (base64), when a secret is configured.
inline constexpr const char* kWebhookHmacHeader = "X-Hmac-Signature";
inline constexpr const char* kConnectTopic = "mdm.Connect";  // command reports

struct WebhookEvent {
  std::string topic;          // mdm.Authenticate, mdm.TokenUpdate, ..., mdm.Connect
  std::string event_id;       // may be empty
  std::string created_at;     // RFC 3339
  bool acknowledge = false;   // acknowledge_event (mdm.Connect) rather than checkin_event
  std::string udid;           // UDID of the device, when the message named one
  std::string enrollment_id;  // EnrollmentID (user enrollments), when the message named one
  std::string id, id_type, parent_id;  // NanoMDM's ids: enrollment id, Device | User, parent
  std::string status, command_uuid;    // acknowledge_event only
  std::map<std::string, std::string> url_params;
  std::optional<std::int64_t> token_update_tally;  // mdm.TokenUpdate only
  Bytes raw_payload;                               // the message's HTTP body as the device sent it
};

// "mdm.Authenticate" for Authenticate, and so on for every check-in MessageType.
std::string webhook_topic(CheckinType type);

std::string encode_webhook_event(const WebhookEvent& event);

// Refuses what is not the event's shape: not a JSON object (strict: no duplicate keys), an
// unknown topic, no created_at, neither or both of acknowledge_event and checkin_event, an
// acknowledge_event on a topic other than mdm.Connect (and the reverse), fields of the wrong
// JSON type, an acknowledge_event without status, and raw_payload missing or not base64.
Result<WebhookEvent> decode_webhook_event(std::string_view body);

}  // namespace mdmlab::apple
