// Configuration profiles (.mobileconfig): the enrollment profile with its SCEP
// (com.apple.security.scep), MDM (com.apple.mdm) and root certificate
// (com.apple.security.root) payloads; read plain or CMS-signed, written plain or signed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/cms.hpp"
#include "crypto/csr.hpp"
#include "protocol/plist/value.hpp"

namespace mdmlab::apple {

inline constexpr const char* kProfileContentType = "application/x-apple-aspen-config";

struct ScepPayload {
  std::string uuid, identifier;
  std::string url;
  std::string name;  // CA-IDENT
  std::string challenge;
  crypto::DistinguishedName subject;
  std::int64_t key_size = 2048;
  std::int64_t key_usage = 5;  // digitalSignature | keyEncipherment
  // How often, and how many seconds apart, the device asks again while the server answers
  // PENDING (and, as the simulated Mac does, after a request that failed on the way); Apple's
  // defaults when the payload leaves them out. The first retry goes without the delay.
  std::int64_t retries = 3;
  std::int64_t retry_delay = 10;
  // CAFingerprint: the SHA-1 (20 bytes) or SHA-256 (32 bytes) of the CA certificate the device
  // must see in GetCACert's answer; empty: none pinned.
  Bytes ca_fingerprint;
};

struct MdmPayload {
  std::string uuid, identifier;
  std::string server_url;
  std::string checkin_url;  // empty: check-ins go to server_url
  std::string topic;
  std::string identity_certificate_uuid;
  bool sign_message = false;
  std::int64_t access_rights = 8191;
  bool check_out_when_removed = true;
};

struct RootCertificatePayload {
  std::string uuid, identifier;
  crypto::Certificate certificate;
};

struct Profile {
  std::string identifier, uuid, display_name, organization;
  std::optional<ScepPayload> scep;
  std::optional<MdmPayload> mdm;
  std::vector<RootCertificatePayload> roots;
  // Every payload as sent (InstallProfile keeps the full list); set by the parser.
  std::vector<plist::Value> payloads;
  bool signed_by_cms = false;  // set by the parser
  crypto::Certificate signer;  // the CMS signer, when signed
};

// Builds the profile plist (XML).
Result<std::string> encode_profile(const Profile& p);
// CMS-signs a profile (attached content), as servers deliver enrollment profiles.
Result<Bytes> sign_profile(const std::string& xml, const crypto::Certificate& signer,
                           const crypto::PrivateKey& key);
// Reads a profile: XML plist, or DER CMS SignedData whose content is the plist (the signature
// must verify with the included signer). Refuses profiles whose MDM payload names an
// IdentityCertificateUUID that no payload has.
Result<Profile> decode_profile(std::string_view body);

}  // namespace mdmlab::apple
