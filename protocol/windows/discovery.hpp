// MS-MDE2 2.2.4 (Discovery service): the client's Discover request (EmailAddress,
// RequestVersion, DeviceType, ApplicationVersion, OSEdition, AuthPolicies) and the server's
// DiscoverResponse (AuthPolicy, EnrollmentVersion, EnrollmentPolicyServiceUrl,
// EnrollmentServiceUrl, AuthenticationServiceUrl for Federated). The Discover element is the
// SOAP Body's (soap.hpp); before the POST a client probes the URL with a GET that must get 200.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"

namespace mdmlab::windows::discovery {

inline constexpr const char* kNamespace =
    "http://schemas.microsoft.com/windows/management/2012/01/enrollment";
inline constexpr const char* kDiscoverAction =
    "http://schemas.microsoft.com/windows/management/2012/01/enrollment/IDiscoveryService/"
    "Discover";
inline constexpr const char* kDiscoverResponseAction =
    "http://schemas.microsoft.com/windows/management/2012/01/enrollment/IDiscoveryService/"
    "DiscoverResponse";

struct DiscoverRequest {
  std::string email_address;
  std::string request_version;  // 4.0 .. 6.0 (MS-MDE2 2.2.4.1)
  std::string device_type;      // CIMClient_Windows
  std::string application_version;
  std::string os_edition;
  std::vector<std::string> auth_policies;  // OnPremise, Federated, Certificate
};

struct DiscoverResponse {
  std::string auth_policy;  // OnPremise or Federated
  std::string enrollment_version;
  std::string enrollment_policy_service_url;
  std::string enrollment_service_url;
  std::string authentication_service_url;  // Federated only
};

// `body_xml`: the SOAP Body's element (soap::Envelope::body_xml).
Result<DiscoverRequest> parse_discover(const std::string& body_xml);
std::string encode_discover(const DiscoverRequest& r);
Result<DiscoverResponse> parse_discover_response(const std::string& body_xml);
std::string encode_discover_response(const DiscoverResponse& r);

}  // namespace mdmlab::windows::discovery
