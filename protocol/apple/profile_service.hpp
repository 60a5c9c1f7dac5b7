// Over-the-air profile delivery (Apple's "Profile Service"): the profile a user downloads to
// start OTA enrollment. Its PayloadType is "Profile Service" and its PayloadContent a dict with
// the URL the device then POSTs its signed attributes to, the attributes it must send
// (DeviceAttributes: UDID, VERSION, PRODUCT, SERIAL, MEID, IMEI) and a Challenge it sends back
// as CHALLENGE. Read plain or CMS-signed (the signature must verify), written plain.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mdmlab::apple {

struct ProfileService {
  std::string identifier, uuid, display_name, organization;
  std::string url;
  std::vector<std::string> device_attributes = {"UDID", "VERSION", "PRODUCT", "SERIAL"};
  std::string challenge;
};

Result<std::string> encode_profile_service(const ProfileService& p);
// Refuses another PayloadType, a missing or non-http(s) URL, and wrongly typed keys.
Result<ProfileService> decode_profile_service(std::string_view body);

}  // namespace mdmlab::apple
