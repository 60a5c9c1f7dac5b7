// The device attributes a Mac sends when Setup Assistant enrolls it through ADE (and, with the
// CHALLENGE, in over-the-air enrollment): a plist
// (UDID, SERIAL, PRODUCT, VERSION, LANGUAGE, and IMEI/MEID on cellular devices) in a CMS
// SignedData, POSTed to the ADE profile's `url` (Content-Type application/pkcs7-signature) or
// sent base64 in the `x-apple-aspen-deviceinfo` header to its `configuration_web_url`.
// Parsing verifies the signature with the signer certificate the message carries; whether to
// trust that signer (Apple's device CA on a real Mac) is the server's decision.
#pragma once

#include <string>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "crypto/certificate.hpp"
#include "crypto/key.hpp"

namespace mdmlab::apple {

inline constexpr const char* kMachineInfoContentType = "application/pkcs7-signature";
inline constexpr const char* kAspenDeviceInfoHeader = "x-apple-aspen-deviceinfo";

struct MachineInfo {
  std::string udid, serial, product, version, language, imei, meid;
  std::string challenge;  // OTA: the Profile Service's Challenge, sent back as CHALLENGE
};

// The attributes plist alone (XML), as it goes inside the SignedData.
Result<std::string> encode_machine_info_plist(const MachineInfo& info);
// The signed form (DER), signed by `signer` / `key`.
Result<Bytes> encode_machine_info(const MachineInfo& info, const crypto::Certificate& signer,
                                  const crypto::PrivateKey& key);

struct SignedMachineInfo {
  MachineInfo info;
  crypto::Certificate signer;
};
// Refuses anything but one verifying SignedData with a plist dict holding UDID and SERIAL.
Result<SignedMachineInfo> parse_machine_info(const Bytes& der);

}  // namespace mdmlab::apple
