// MS-XCEP GetPolicies (MS-MDE2 2.2.5): the client asks which certificate it should request; the
// answer is one policy (key length, validity, renewal period, hash algorithm as an OID
// reference). The Windows client reads minimalKeyLength and the hash OID from it.
#pragma once

#include <string>

#include "common/result.hpp"

namespace mdmlab::windows::xcep {

inline constexpr const char* kNamespace =
    "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy";
inline constexpr const char* kGetPoliciesAction =
    "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy/IPolicy/GetPolicies";
inline constexpr const char* kGetPoliciesResponseAction =
    "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy/IPolicy/"
    "GetPoliciesResponse";

struct GetPoliciesRequest {
  std::string last_update;         // "" when nil: no policy cached
  std::string preferred_language;  // "" when nil
};

struct Policy {
  bool not_changed = false;  // policiesNotChanged: the client's cached policy stands
  std::string common_name = "mdmlab";
  int minimal_key_length = 2048;
  long long validity_seconds = 31536000;            // one year
  long long renewal_seconds = 3628800;              // six weeks
  std::string hash_oid = "2.16.840.1.101.3.4.2.1";  // sha256
  std::string hash_name = "szOID_NIST_sha256";
};

Result<GetPoliciesRequest> parse_get_policies(const std::string& body_xml);
std::string encode_get_policies(const GetPoliciesRequest& r);
Result<Policy> parse_get_policies_response(const std::string& body_xml);
std::string encode_get_policies_response(const Policy& p);

}  // namespace mdmlab::windows::xcep
