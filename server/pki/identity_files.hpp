// The server's long-lived identities kept as PEM files in its data directory: the CA
// (ca.pem/ca.key), the optional SCEP RA (ra.pem/ra.key) and the HTTPS server certificate
// (tls.pem/tls.key), and the DEP token certificate (dep.pem/dep.key). Created on first start,
// reused afterwards.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "crypto/ca.hpp"

namespace mdmlab::server::pki {

struct Identity {
  crypto::Certificate certificate;
  crypto::PrivateKey key;
};

Result<crypto::CertificateAuthority> load_or_create_ca(const std::filesystem::path& dir,
                                                       const std::string& common_name,
                                                       crypto::TimePoint now);
// An RA certificate issued by `ca` (keyEncipherment + digitalSignature) for SCEP's RA form.
Result<Identity> load_or_create_ra(const std::filesystem::path& dir,
                                   const crypto::CertificateAuthority& ca, crypto::TimePoint now);
// The certificate an operator uploads to Apple Business Manager so that ABM encrypts the
// server token (smime.p7m) to it (dep.pem/dep.key; keyEncipherment).
Result<Identity> load_or_create_dep(const std::filesystem::path& dir,
                                    const crypto::CertificateAuthority& ca, crypto::TimePoint now);
// A TLS server certificate for `names` (DNS names or IP addresses) issued by `ca`.
Result<Identity> load_or_create_tls(const std::filesystem::path& dir,
                                    const crypto::CertificateAuthority& ca,
                                    const std::vector<std::string>& names, crypto::TimePoint now);

}  // namespace mdmlab::server::pki
