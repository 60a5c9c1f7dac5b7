// MS-WSTEP as Windows enrollment uses it (MS-MDE2 2.2.6): the client's RequestSecurityToken
// (TokenType DeviceEnrollmentToken, RequestType Issue or Renew, the PKCS#10 request as a
// BinarySecurityToken, and AdditionalContext items: DeviceID, HWDevID, EnrollmentType,
// OSVersion, DeviceType, ...) and the RequestSecurityTokenResponseCollection carrying the
// wap-provisioningdoc (base64) as the RequestedSecurityToken.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace mdmlab::windows::wstep {

inline constexpr const char* kTrustNs = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
inline constexpr const char* kContextNs = "http://schemas.xmlsoap.org/ws/2006/12/authorization";
inline constexpr const char* kRstAction =
    "http://schemas.microsoft.com/windows/pki/2009/01/enrollment/RST/wstep";
inline constexpr const char* kRstrcAction =
    "http://schemas.microsoft.com/windows/pki/2009/01/enrollment/RSTRC/wstep";
inline constexpr const char* kDeviceEnrollmentToken =
    "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/DeviceEnrollmentToken";
inline constexpr const char* kProvisionDoc =
    "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/"
    "DeviceEnrollmentProvisionDoc";
inline constexpr const char* kIssue = "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue";
inline constexpr const char* kRenew = "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Renew";
inline constexpr const char* kPkcs10 =
    "http://schemas.microsoft.com/windows/pki/2009/01/enrollment#PKCS10";
inline constexpr const char* kBase64Binary =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
    "#base64binary";

struct RequestSecurityToken {
  std::string token_type;
  std::string request_type;
  std::string value_type;  // of the BinarySecurityToken (PKCS#10; MS-WSTEP's example: PKCS7)
  Bytes csr_der;
  std::vector<std::pair<std::string, std::string>> context;  // AdditionalContext, in order

  // The first ContextItem of that name, "" if none.
  std::string context_value(const std::string& name) const;
};

// Codes: bad_wstep. The CSR's base64 may carry whitespace (MS-WSTEP's examples do).
Result<RequestSecurityToken> parse_rst(const std::string& body_xml);
std::string encode_rst(const RequestSecurityToken& r);

// The answer: `provisioning_xml` (a wap-provisioningdoc) base64 in RequestedSecurityToken.
std::string encode_rstrc(const std::string& provisioning_xml, const std::string& request_id = "0");
// The provisioning document inside an RSTRC.
Result<std::string> parse_rstrc(const std::string& body_xml);

}  // namespace mdmlab::windows::wstep
