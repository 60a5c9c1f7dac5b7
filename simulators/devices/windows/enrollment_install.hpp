// What a Windows PC takes from the provisioning document at the end of enrollment (MS-MDE2
// 3.4.5.2.1.4): the trusted roots (CertificateStore/Root/System/<thumbprint>) and
// intermediates (CA/System), its own certificate (My/User or My/System/<thumbprint>), the
// management server's address (APPLICATION w7 ADDR), and the DMClient Provider with its poll
// settings. Refused, as the client refuses them: a store key that is not the certificate's
// upper-case SHA-1 thumbprint, a certificate that does not parse, a client certificate for
// another key than the one the CSR carried, no ADDR. What a real client might mind but this
// one lets pass (another CN than the DeviceID, My/System for a Full enrollment, a client
// certificate that does not chain to the provisioned roots) comes back as warnings.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/time.hpp"
#include "crypto/certificate.hpp"
#include "crypto/key.hpp"
#include "protocol/windows/provisioning_doc.hpp"

namespace mdmlab::simulators::windows_pc {

struct InstalledEnrollment {
  std::vector<crypto::Certificate> roots;          // Root/System
  std::vector<crypto::Certificate> intermediates;  // CA/System
  crypto::Certificate client;                      // My/<store>
  std::string client_store;                        // "User" or "System"
  std::string management_url;                      // APPLICATION ADDR
  std::string provider_id;  // DMClient/Provider/<id> (else APPLICATION PROVIDER-ID)
  std::string server_name;  // APPLICATION NAME
  // DMClient/Provider/<id> parms (EntDMID, ...) and its Poll parms, by name.
  std::map<std::string, std::string> provider_parms, poll;
  std::vector<std::string> warnings;
};

// `user_enrollment`: the RST said EnrollmentType Full (the certificate belongs in My/User).
// Codes: windows_bad_provisioning, windows_bad_thumbprint, windows_wrong_certificate.
Result<InstalledEnrollment> install_enrollment(const mdmlab::windows::provisioning::Document& doc,
                                               const crypto::PrivateKey& key,
                                               const std::string& device_id, bool user_enrollment,
                                               TimePoint now);

}  // namespace mdmlab::simulators::windows_pc
