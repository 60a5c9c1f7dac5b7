#include "server/apple/ota_enrollment_route.hpp"

#include "server/apple/ota_challenge_book.hpp"

#include "core/log/log.hpp"
#include "core/net/media_type.hpp"
#include "crypto/random.hpp"
#include "crypto/secret.hpp"
#include "protocol/apple/machine_info.hpp"
#include "protocol/apple/profile.hpp"
#include "protocol/apple/profile_service.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;

namespace {
const std::string kOtaIdentityPrefix = "mdmlab OTA ";

// Phase 2's answer: a configuration profile with only a SCEP payload (and our CA), from which
// the device gets the identity it signs phase 3 with.
HttpResponse throwaway_identity_profile(const EnrollmentProfileSettings& s,
                                        const std::string& udid) {
  mdmlab::apple::Profile p;
  p.identifier = "com.mdmlab.ota.identity";
  p.uuid = crypto::random_uuid();
  p.display_name = "mdmlab enrollment identity";
  p.organization = "mdmlab";
  p.roots.push_back({crypto::random_uuid(), "com.mdmlab.ota.root", s.root});
  mdmlab::apple::ScepPayload scep;
  scep.uuid = crypto::random_uuid();
  scep.identifier = "com.mdmlab.ota.scep";
  scep.url = s.scep_url;
  scep.name = "mdmlab";
  scep.challenge = s.scep_challenge;
  scep.subject = {{"O", "mdmlab"}, {"CN", kOtaIdentityPrefix + udid}};
  scep.key_size = 2048;
  scep.key_usage = 5;
  p.scep = scep;
  auto xml = mdmlab::apple::encode_profile(p);
  if (!xml) return HttpResponse::text(500, "cannot build profile\n");
  return profile_answer(s, *xml, true);
}
}  // namespace

void add_ota_enrollment_routes(net::Router& router, OtaSettings settings,
                               std::shared_ptr<Clock> clock) {
  auto s = std::make_shared<OtaSettings>(std::move(settings));
  auto book = std::make_shared<OtaChallengeBook>(s->challenge, clock);
  router.add("GET", "/mdm/apple/ota",
             [s, book](const HttpRequest&) -> asio::awaitable<HttpResponse> {
               mdmlab::apple::ProfileService ps;
               ps.identifier = "com.mdmlab.ota";
               ps.uuid = crypto::random_uuid();
               ps.display_name = "mdmlab over-the-air enrollment";
               ps.organization = "mdmlab";
               ps.url = s->enrollment_url;
               ps.challenge = book->issue();
               auto xml = mdmlab::apple::encode_profile_service(ps);
               if (!xml) co_return HttpResponse::text(500, "cannot build profile\n");
               co_return profile_answer(s->profile, *xml, true);
             });
  router.add(
      "POST", "/api/latest/fleet/ota_enrollment",
      [s, clock, book](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
        if (!net::media_type_is(req.header("Content-Type"), mdmlab::apple::kMachineInfoContentType))
          co_return HttpResponse::text(
              415, "device attributes must be Content-Type application/pkcs7-signature\n");
        auto info = mdmlab::apple::parse_machine_info(to_bytes(req.body));
        if (!info)
          co_return HttpResponse::text(400,
                                       "bad device attributes: " + info.error().message + "\n");
        // Phase 3 when the signer is the throw-away identity we issued for this very device
        // (our CA, valid now, CN "mdmlab OTA <UDID>"); any other signer — the device's own
        // certificate, or another identity of ours such as an MDM one — is phase 2.
        const auto now = clock->now();
        const bool ours = info->signer.signed_by(s->profile.root) && info->signer.valid_at(now) &&
                          info->signer.subject_field("CN") == kOtaIdentityPrefix + info->info.udid;
        const auto use = ours ? book->finish(info->info.challenge, info->info.udid)
                              : book->begin(info->info.challenge, info->info.udid);
        if (use != OtaChallengeBook::Use::ok) {
          log::info("ota", "refused {} for {}: {}", ours ? "phase 3" : "phase 2", info->info.udid,
                    to_string(use));
          co_return HttpResponse::text(403, std::string(to_string(use)) + "\n");
        }
        if (!ours) {
          log::info("ota", "phase 2 for {}: throw-away SCEP identity", info->info.udid);
          co_return throwaway_identity_profile(s->profile, info->info.udid);
        }
        log::info("ota", "phase 3 for {}: enrollment profile", info->info.udid);
        co_return enrollment_profile_answer(s->profile, true);
      });
}

}  // namespace mdmlab::server::apple
