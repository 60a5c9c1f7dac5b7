// Configuration profiles (.mobileconfig): the enrollment profile with its identity (SCEP,
// com.apple.security.scep, or PKCS#12, com.apple.security.pkcs12), MDM (com.apple.mdm) and
// certificate (com.apple.security.root / .pkcs1, DER or PEM) payloads; read plain or
// CMS-signed, written plain or signed. Keys and defaults: Apple's profile reference
// (apple/device-management mdm/profiles/*.yaml).
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
  crypto::SubjectAltNames alt_names;  // SubjectAltName: each key a string or an array
  // Apple's defaults when absent: 1024-bit RSA, Key Usage 0 (no keyUsage requested);
  // Key Usage bits: 1 signing, 4 encryption.
  std::int64_t key_size = 1024;
  std::string key_type = "RSA";
  std::int64_t key_usage = 0;
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
  // Certificate payload UUIDs that trust in the ServerURL's (CheckInURL's) TLS certificate
  // must go through; empty: no pinning. With PinningRevocationCheckRequired the connection
  // fails unless revocation checks answer positively.
  std::vector<std::string> server_pinning_uuids, checkin_pinning_uuids;
  bool pinning_revocation_check_required = false;
};

struct RootCertificatePayload {
  std::string uuid, identifier;
  crypto::Certificate certificate;
  std::string type = "com.apple.security.root";  // or com.apple.security.pkcs1
};

// com.apple.security.pkcs12: a password-protected identity (the PFX is opened at install).
struct Pkcs12Payload {
  std::string uuid, identifier;
  Bytes pfx;
  std::string password;  // absent: ""
};

// Where a profile is wrong: which payload, which key, why (for install failure reports).
struct ProfileFault {
  std::string payload_type, payload_identifier, key, reason;
};

struct Profile {
  std::string identifier, uuid, display_name, organization;
  std::optional<ScepPayload> scep;
  std::optional<MdmPayload> mdm;
  std::vector<RootCertificatePayload> roots;
  std::vector<Pkcs12Payload> pkcs12;
  // Every payload as sent (InstallProfile keeps the full list); set by the parser.
  std::vector<plist::Value> payloads;
  bool signed_by_cms = false;  // set by the parser
  crypto::Certificate signer;  // the CMS signer, when signed
};

// The SCEP payload's Subject (an array of RDNs, each an array of [attribute, value] pairs) and
// SubjectAltName (each key a string for one name, an array for several) in Apple's form.
plist::Value scep_subject_plist(const crypto::DistinguishedName& dn);
plist::Value scep_alt_names_plist(const crypto::SubjectAltNames& names);

// Builds the profile plist (XML).
Result<std::string> encode_profile(const Profile& p);
// CMS-signs a profile (attached content), as servers deliver enrollment profiles.
Result<Bytes> sign_profile(const std::string& xml, const crypto::Certificate& signer,
                           const crypto::PrivateKey& key);
// A profile's plist as delivered: the body itself, or the content of a DER CMS SignedData whose
// signature verifies with its included signer (then named).
struct ProfileContent {
  std::string plist;
  std::optional<crypto::Certificate> signer;
};
Result<ProfileContent> profile_content(std::string_view body);
// Reads a profile: XML plist, or DER CMS SignedData whose content is the plist (the signature
// must verify with the included signer). Refuses profiles whose MDM payload names an
// IdentityCertificateUUID or a pinning UUID that no payload has. On failure, `fault` (if
// given) says which payload and key.
Result<Profile> decode_profile(std::string_view body, ProfileFault* fault = nullptr);
// The certificate payloads (root/pkcs1) with these UUIDs; an error naming a missing one.
Result<std::vector<crypto::Certificate>> certificates_with_uuids(
    const Profile& p, const std::vector<std::string>& uuids);

}  // namespace mdmlab::apple
