// APNs provider API, HTTP/2 (Apple's "Sending notification requests to APNs" and "Handling
// error responses"): POST /3/device/<token> with apns-* headers and a JSON payload; errors are
// {"reason": "..."} (410 adds "timestamp"). For MDM the payload is {"mdm": "<PushMagic>"} and
// apns-push-type is "mdm". Pure: both sides (our pusher, the APNs simulator) use these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace mdmlab::apple {

inline constexpr std::size_t kApnsMaxPayload = 4096;

struct ApnsHeader {
  std::string name;  // lower case, pseudo-headers included (":method", ":path")
  std::string value;
};

// A push as the provider sends it.
struct ApnsPush {
  std::string token_hex;  // lower-case hex of the device token
  std::string topic;      // apns-topic (may be empty: the certificate's single topic)
  std::string push_type = "mdm";
  int priority = 10;
  std::optional<std::int64_t> expiration;  // unix seconds; 0: deliver now or never
  std::string apns_id;                     // may be empty: APNs assigns one
  std::string collapse_id;
  std::string payload;  // JSON
};

// The request headers for a push (":method", ":path", ":scheme", ":authority", apns-*).
std::vector<ApnsHeader> apns_request_headers(const ApnsPush& push, const std::string& authority);
// {"mdm":"<magic>"}
std::string mdm_push_payload(const std::string& push_magic);
// The PushMagic in an MDM payload, if the payload is one.
std::optional<std::string> push_magic_of(const std::string& payload);

// APNs' verdict on a request, checked in the order APNs documents its errors.
struct ApnsRejection {
  int status = 400;
  std::string reason;  // e.g. BadDeviceToken, MissingTopic, PayloadTooLarge
};

// Validates the method, path, headers and payload of a request. `certificate_topic` is the
// topic the client certificate is for (its subject UID). Token registration, rate limits
// and faults are the simulator's business, not this function's.
Result<ApnsPush> parse_apns_request(const std::vector<ApnsHeader>& headers, const std::string& body,
                                    const std::string& certificate_topic, ApnsRejection& rejection);

// {"reason":"..."} or, for 410, {"reason":"Unregistered","timestamp":<ms>}.
std::string apns_error_body(const std::string& reason,
                            std::optional<std::int64_t> timestamp_ms = {});
struct ApnsErrorBody {
  std::string reason;
  std::optional<std::int64_t> timestamp_ms;
};
Result<ApnsErrorBody> parse_apns_error_body(const std::string& body);

// 400 BadDeviceToken / DeviceTokenNotForTopic and 410 mean the token will never work again;
// every other failure is about the request, the provider or APNs itself.
bool apns_invalidates_token(int status, const std::string& reason);

// A metric label for what APNs answered: the reason if it is one Apple documents, else
// "other"; status 0 (no answer at all) is "transport". Remote text never becomes a label
// value as it is, so a misbehaving endpoint cannot grow a metric family without bound.
std::string apns_reason_label(int status, const std::string& reason);
// The status as a label: the statuses APNs documents, else "other".
std::string apns_status_label(int status);

}  // namespace mdmlab::apple
