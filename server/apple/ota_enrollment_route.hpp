// Over-the-air enrollment (the seed's "Manual Enrollment" branch; Apple's OTA profile delivery):
//   GET  /mdm/apple/ota                   the Profile Service profile a user downloads (signed):
//                                         URL = the enrollment endpoint below, a Challenge of
//                                         its own (ota_challenge_book.hpp: one phase 2 and one
//                                         phase 3 of one UDID)
//   POST /api/latest/fleet/ota_enrollment the device's CMS-signed attributes with CHALLENGE:
//        phase 2 (signed by the device's own certificate): a profile with only a SCEP payload,
//        the throw-away identity;
//        phase 3 (signed by that identity: issued by our CA, valid now, CN "mdmlab OTA <UDID>" of
//        the UDID in the attributes): the real enrollment profile. The SCEP challenge is the
//        server's one, so the binding is as strong as that challenge is secret.
// A wrong, expired or replayed CHALLENGE is 403; machine info that does not parse or verify is 400,
// another Content-Type 415.
#pragma once

#include <memory>
#include <string>

#include "core/clock/clock.hpp"
#include "core/net/router.hpp"
#include "server/apple/enrollment_profile_route.hpp"

namespace mdmlab::server::apple {

struct OtaSettings {
  std::string enrollment_url;         // where the Profile Service points (the POST route)
  std::string challenge;              // the secret the Profile Services' Challenges derive from
  EnrollmentProfileSettings profile;  // the final profile; its root is our CA
};

void add_ota_enrollment_routes(net::Router& router, OtaSettings settings,
                               std::shared_ptr<Clock> clock);

}  // namespace mdmlab::server::apple
