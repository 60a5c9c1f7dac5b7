// The wap-provisioningdoc (version 1.1) a Windows client installs at the end of enrollment
// (MS-MDE2 3.4.5.2.1.4, in the RSTRC's RequestedSecurityToken, base64): nested
// <characteristic type="..."> with <parm name value datatype>. What enrollment puts in it:
// CertificateStore Root/System/<CA thumbprint>/EncodedCertificate, My/<User|System>/<client
// thumbprint>/EncodedCertificate (+PrivateKeyContainer), My/WSTEP/Renew settings; APPLICATION
// (APPID w7) with the management ADDR, PROVIDER-ID, backoff and APPAUTH; DMClient Provider
// poll settings. Thumbprints are upper-case hex SHA-1 of the DER; certificates base64 DER.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace mdmlab::windows::provisioning {

struct Parm {
  std::string name, value, datatype;  // datatype: "", string, integer, boolean
};

struct Characteristic {
  std::string type;
  std::vector<Parm> parms;
  std::vector<Characteristic> children;

  const Characteristic* find(std::string_view child_type) const;
  const Parm* parm(std::string_view name) const;
  // A path of characteristic types, e.g. {"CertificateStore", "Root", "System"}.
  const Characteristic* at(const std::vector<std::string>& path) const;
};

struct Document {
  std::string version = "1.1";
  std::vector<Characteristic> children;

  const Characteristic* at(const std::vector<std::string>& path) const;
};

inline constexpr int kMaxDepth = 16;

Result<Document> parse(std::string_view xml);
std::string serialize(const Document& d);

// What enrollment provisions (MS-MDE2 3.4.5.2.1.4 and the DMClient CSP).
struct EnrollmentSettings {
  Bytes root_der;              // the CA the management server's TLS and our issued cert chain to
  Bytes client_der;            // the device's new identity
  bool user_store = false;     // My/User (EnrollmentType Full) or My/System (Device)
  std::string device_id;       // the client certificate's CN (SSLCLIENTCERTSEARCHCRITERIA)
  std::string management_url;  // APPLICATION ADDR
  std::string provider_id;     // DMClient Provider id (and APPLICATION PROVIDER-ID)
  std::string server_name;     // APPLICATION NAME
  int renew_period_days = 42;
  int renew_retry_minutes = 4320;
  int poll_interval_minutes = 15;  // first retry set
  int poll_count = 8;
};
Document enrollment_document(const EnrollmentSettings& s);
// Upper-case hex SHA-1 of the DER (the certificate store's key).
std::string thumbprint(const Bytes& der);

}  // namespace mdmlab::windows::provisioning
