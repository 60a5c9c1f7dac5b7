// SOAP 1.2 requests as the Windows enrollment client writes them (MS-MDE2 4.1.1, 4.2.1,
// 4.3.1): WS-Addressing Action (mustUnderstand), MessageID urn:uuid:..., ReplyTo anonymous,
// To (mustUnderstand), an optional wsse:Security header (mustUnderstand) holding a
// UsernameToken with a PasswordText password (OnPremise) or a BinarySecurityToken with the
// federated token (Federated), and one element in the Body. protocol/windows/soap.hpp writes
// the answers; this is the client's side.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/windows/soap.hpp"

namespace mdmlab::simulators::windows_pc {

inline constexpr const char* kPasswordText =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
    "#PasswordText";
inline constexpr const char* kDeviceEnrollmentUserToken =
    "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/"
    "DeviceEnrollmentUserToken";

inline constexpr const char* kEntraJwt = "urn:ietf:params:oauth:token-type:jwt";

struct RequestSecurity {
  std::optional<mdmlab::windows::soap::UsernameToken> username_token;
  std::optional<mdmlab::windows::soap::BinarySecurityToken> binary_token;
  bool empty() const { return !username_token && !binary_token; }
};

// The Security header for each auth policy: OnPremise (UPN and secret) or Federated (the
// token, base64 in a DeviceEnrollmentUserToken).
RequestSecurity on_premise_security(std::string username, std::string password);
// `entra_jwt`: the token is an Entra access token (Azure AD join), sent with ValueType
// urn:ietf:params:oauth:token-type:jwt.
RequestSecurity federated_security(std::string_view token, bool entra_jwt = false);

// "urn:uuid:" and a fresh lower-case v4 UUID.
std::string new_message_id();

// `body_xml`: one element with the namespaces it uses declared on it (the encoders in
// protocol/windows write it so).
std::string write_request(std::string_view action, std::string_view message_id, std::string_view to,
                          std::string_view body_xml, const RequestSecurity& security = {});

}  // namespace mdmlab::simulators::windows_pc
