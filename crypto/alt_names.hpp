// subjectAltName (RFC 5280 section 4.2.1.6) as the SCEP payload asks for it: dNSName,
// rfc822Name, uniformResourceIdentifier and Microsoft's UPN otherName (ntPrincipalName,
// 1.3.6.1.4.1.311.20.2.3); and keyUsage bits. Built with GENERAL_NAME objects, not an
// OpenSSL config string, so a value with a comma stays one name.
#pragma once

#include <string>
#include <vector>

#include "crypto/openssl_ptr.hpp"

namespace mdmlab::crypto {

struct SubjectAltNames {
  std::vector<std::string> dns, rfc822, uri, nt_principal;
  bool empty() const {
    return dns.empty() && rfc822.empty() && uri.empty() && nt_principal.empty();
  }
  bool operator==(const SubjectAltNames&) const = default;
};

// The extension (not critical); an error for a value OpenSSL will not take.
Result<X509ExtensionPtr> make_subject_alt_name_extension(const SubjectAltNames& names);
// The names a GENERAL_NAMES holds (other kinds are skipped).
SubjectAltNames read_subject_alt_names(const GENERAL_NAMES* names);

// keyUsage bits as X.509 numbers them in the BIT STRING's first byte, and the SCEP payload's
// "Key Usage" (1: signing, 4: encryption) mapped onto them.
inline constexpr int kKeyUsageDigitalSignature = 0x80;
inline constexpr int kKeyUsageKeyEncipherment = 0x20;
int key_usage_from_scep(std::int64_t scep_key_usage);
// A critical keyUsage extension with `bits` (0: none, an error).
Result<X509ExtensionPtr> make_key_usage_extension(int bits);
// Names of the bits set, e.g. {"digitalSignature", "keyEncipherment"}.
std::vector<std::string> key_usage_names(int bits);

}  // namespace mdmlab::crypto
