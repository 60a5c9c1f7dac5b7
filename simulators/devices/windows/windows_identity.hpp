// Who a simulated Windows PC is, and the knobs a scenario turns to make it misbehave.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/net/transcript.hpp"
#include "crypto/certificate.hpp"
#include "simulators/devices/web/web_browser.hpp"

namespace mdmlab::simulators::windows_pc {

struct WindowsIdentity {
  // The MDM DeviceID: 32 upper-case hex digits (a GUID without braces and dashes). It is the
  // SyncML Source LocURI, ./DevInfo/DevId, the RST's DeviceID and the CSR's CN.
  std::string device_id;
  std::string hw_dev_id;  // 64 hex digits: the RST's HWDevID, ./Vendor/MSFT/DMClient/HWDevID
  std::string device_name = "DESKTOP-MDMLAB1";
  std::string model = "Virtual Machine";
  std::string manufacturer = "Microsoft Corporation";
  std::string os_version = "10.0.22631.3447";  // also the Discover's ApplicationVersion
  std::string os_edition = "48";               // Windows Pro (GetProductInfo's number)
  std::string mac_address = "00:15:5D:00:00:01";
  std::string locale = "en-US";
  // The signed-in user: set, the PC enrolls as EnrollmentType Full (a user's work account)
  // and the first SyncML message says LoginStatus "user"; unset, Device enrollment.
  std::optional<std::string> upn;
  std::string enrollment_secret;  // OnPremise: the UsernameToken's PasswordText
  std::string federated_token;    // Federated: what the auth page handed back
};

struct WindowsKnobs {
  std::string request_version = "4.0";  // Discover RequestVersion
  std::vector<std::string> auth_policies = {"OnPremise", "Federated"};
  // Trust anchors for HTTPS to the enrollment endpoints (empty: the system's store), and
  // beside the provisioned root for the management server.
  std::vector<crypto::Certificate> trusted_roots;
  int max_messages = 50;  // per management session
  // False (default): the PKCS#10 request is the real client's, not strictly valid
  // (crypto/windows_client_csr.hpp); true: a clean one (CN = DeviceID, SHA-256).
  bool clean_csr = false;
  // MaxMsgSize in the PC's SyncHdr (Windows sends one); 0: none.
  long long max_msg_size = 0;
  // CSP paths whose Add/Replace/Delete/Exec fail with that OMA DM status (e.g. 500), as a CSP
  // that refuses a setting does.
  std::map<std::string, int> fail_paths;
  std::chrono::seconds timeout{30};
  // Every HTTP exchange of this PC goes here, under `party` (default: the computer name).
  std::shared_ptr<net::Transcript> transcript;
  std::string party;
  // Federated enrollment: the account the Web Authentication Broker signs in with at the
  // identity provider the server's auth page sends it to (unset: no account to sign in).
  std::optional<web::WebSignIn> sign_in;
  // Azure AD join: the access token Entra gave the device for the MDM app; set, a Federated
  // enrollment sends it (token type urn:ietf:params:oauth:token-type:jwt) and skips the page.
  std::string entra_token;
};

}  // namespace mdmlab::simulators::windows_pc
