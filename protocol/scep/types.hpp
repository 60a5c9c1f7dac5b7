// SCEP (RFC 8894) message vocabulary: message types, statuses, failInfo, OIDs, content types.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mdmlab::scep {

enum class MessageType {
  cert_rep = 3,
  renewal_req = 17,
  pkcs_req = 19,
  cert_poll = 20,
  get_cert = 21,
  get_crl = 22,
};

enum class PkiStatus { success = 0, failure = 2, pending = 3 };

enum class FailInfo {
  bad_alg = 0,
  bad_message_check = 1,
  bad_request = 2,
  bad_time = 3,
  bad_cert_id = 4,
};

std::string_view to_string(MessageType t);
std::string_view to_string(PkiStatus s);
std::string_view to_string(FailInfo f);
std::optional<MessageType> message_type_from(int value);

namespace oid {
inline constexpr const char* message_type = "2.16.840.1.113733.1.9.2";
inline constexpr const char* pki_status = "2.16.840.1.113733.1.9.3";
inline constexpr const char* fail_info = "2.16.840.1.113733.1.9.4";
inline constexpr const char* sender_nonce = "2.16.840.1.113733.1.9.5";
inline constexpr const char* recipient_nonce = "2.16.840.1.113733.1.9.6";
inline constexpr const char* transaction_id = "2.16.840.1.113733.1.9.7";
}  // namespace oid

namespace content_type {
inline constexpr const char* ca_cert = "application/x-x509-ca-cert";
inline constexpr const char* ca_ra_cert = "application/x-x509-ca-ra-cert";
inline constexpr const char* pki_message = "application/x-pki-message";
inline constexpr const char* caps = "text/plain";
}  // namespace content_type

}  // namespace mdmlab::scep
