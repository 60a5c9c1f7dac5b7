// GET /mdm/apple/enroll: the manual enrollment profile (.mobileconfig) with the SCEP payload
// (our SCEP URL + challenge), the MDM payload (ServerURL, Topic, IdentityCertificateUUID,
// SignMessage when there is no HTTPS listener for mTLS) and our CA as a root payload;
// CMS-signed by the server's TLS identity unless `?signed=0`.
// GET and POST /api/mdm/apple/enroll: the same profile for ADE (the ADE profile's url); a POST
// carries the Mac's CMS-signed machine info (protocol/apple/machine_info.hpp), refused with 400
// when it does not parse or verify, 415 when it is not labelled application/pkcs7-signature.
#pragma once

#include <optional>
#include <string>

#include "core/net/router.hpp"
#include "crypto/certificate.hpp"
#include "crypto/key.hpp"

namespace mdmlab::server::apple {

struct EnrollmentProfileSettings {
  std::string scep_url;
  std::string scep_challenge;
  std::string server_url;   // the command-loop URL
  std::string checkin_url;  // empty: check-ins go to server_url
  std::string topic;
  bool sign_message = false;
  crypto::Certificate root;  // our CA
  std::optional<crypto::Certificate> signer_certificate;
  crypto::PrivateKey signer_key;
};

void add_enrollment_profile_route(net::Router& router, EnrollmentProfileSettings settings);
// The enrollment profile as those routes answer it (a fresh PayloadUUID each time).
net::HttpResponse enrollment_profile_answer(const EnrollmentProfileSettings& s, bool want_signed);
// Any profile (XML) as those routes answer it: CMS-signed by the settings' signer when there is
// one and `want_signed`, else plain.
net::HttpResponse profile_answer(const EnrollmentProfileSettings& s, const std::string& xml,
                                 bool want_signed);

}  // namespace mdmlab::server::apple
