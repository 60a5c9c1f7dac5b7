// SOAP 1.2 envelopes as Windows enrollment speaks them (MS-MDE2, MS-XCEP, MS-WSTEP):
// WS-Addressing headers (Action, MessageID, ReplyTo, To; RelatesTo in answers), the
// WS-Security header (a UsernameToken with PasswordText, or a BinarySecurityToken carrying the
// auth token), and one element in the Body. Names are resolved through their namespaces, not
// their prefixes: the client writes s/a/u/wsse/wst, others write what they like.
//
// Faults: MS-MDE2 2.2.9 / MS-WSTEP 3.1.4.1.4 — Code s:Receiver (or s:Sender) with a subcode
// (s:MessageFormat, s:Authentication, s:Authorization, s:CertificateRequest,
// s:EnrollmentServer, s:InternalServiceFault, a:InvalidSecurity) and a
// DeviceEnrollmentServiceError detail the client shows as an error code.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace mdmlab::windows::soap {

inline constexpr const char* kContentType = "application/soap+xml; charset=utf-8";
inline constexpr const char* kSoapNs = "http://www.w3.org/2003/05/soap-envelope";
// SOAP 1.1: some published examples (MS-MDE2 4.3.2's RSTRC) use it; read, never written.
inline constexpr const char* kSoap11Ns = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr const char* kAddressingNs = "http://www.w3.org/2005/08/addressing";
inline constexpr const char* kSecurityNs =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
inline constexpr const char* kUtilityNs =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
inline constexpr const char* kAnonymous = "http://www.w3.org/2005/08/addressing/anonymous";
inline constexpr const char* kFaultAction = "http://www.w3.org/2005/08/addressing/soap/fault";
inline constexpr const char* kEnrollmentNs =
    "http://schemas.microsoft.com/windows/pki/2009/01/enrollment";

struct UsernameToken {
  std::string username, password;
};

struct BinarySecurityToken {
  std::string value_type;     // e.g. ...#DeviceEnrollmentUserToken, urn:ietf:...:jwt
  std::string encoding_type;  // ...#base64binary
  std::string value;
};

struct Envelope {
  bool soap11 = false;  // the envelope was SOAP 1.1
  std::string action;
  std::string message_id;
  std::string to;
  std::string reply_to;
  std::string relates_to;
  std::optional<UsernameToken> username_token;
  std::optional<BinarySecurityToken> security_token;
  std::string body_name;       // the local name of the Body's element
  std::string body_namespace;  // its namespace URI
  std::string body_xml;        // that element as written (namespaces it uses declared on it)
};

Result<Envelope> parse_envelope(std::string_view xml);

// An answer: Action, RelatesTo (the request's MessageID, verbatim), optional ActivityId, and
// `body_xml` (one element, its namespaces declared on it) in the Body.
// `extra_headers`: more header elements as XML (e.g. security_timestamp()).
Result<std::string> write_envelope(const std::string& action, const std::string& relates_to,
                                   const std::string& body_xml, const std::string& activity_id = {},
                                   const std::string& extra_headers = {});
// A wsse:Security header with a u:Timestamp from `created` to `created` + 5 minutes (the RSTRC
// carries one, MS-WSTEP 3.1.4.1.2.2). Times as xs:dateTime UTC with milliseconds.
std::string security_timestamp(const std::string& created, const std::string& expires);

struct Fault {
  std::string code = "s:Receiver";          // s:Receiver or s:Sender
  std::string subcode = "s:MessageFormat";  // one of the subcodes above
  std::string reason;                       // for people
  std::string error_type;                   // DeviceEnrollmentServiceError ErrorType
  std::string trace_id;
};
std::string write_fault(const Fault& f, const std::string& relates_to);
// The fault's subcode and reason, when `xml` is a SOAP fault.
std::optional<Fault> parse_fault(std::string_view xml);

}  // namespace mdmlab::windows::soap
