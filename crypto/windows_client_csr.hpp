// The PKCS#10 request the Windows enrollment client really sends (observed traffic, Windows 10
// 10.0.19043; PROTOCOL-NOTES "What a real Windows 10 client sends"), which is not strictly
// valid: the subject CN is a PrintableString "<30 characters of a GUID>!<DeviceID>\0" ('!' and
// NUL are no PrintableString characters), one requested extension 1.3.6.1.4.1.311.66.1.0 whose
// value is "<DeviceID>\0", and the signature sha1WithRSA under the OIW OID 1.3.14.3.2.29. Strict
// parsers (Go's crypto/x509) refuse it; OpenSSL 3 reads and verifies it, and so must an MDM
// server. The simulated PC sends it unless told to send a clean one.
#pragma once

#include <string_view>

#include "crypto/csr.hpp"

namespace mdmlab::crypto {

inline constexpr const char* kWindowsDeviceIdExtensionOid = "1.3.6.1.4.1.311.66.1.0";

// `guid_prefix`: the first 30 characters of a GUID (the client's own, random per request).
Result<Csr> build_windows_client_csr(const PrivateKey& key, std::string_view device_id,
                                     std::string_view guid_prefix);

}  // namespace mdmlab::crypto
