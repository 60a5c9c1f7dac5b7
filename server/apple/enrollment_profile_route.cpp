#include "server/apple/enrollment_profile_route.hpp"

#include "core/log/log.hpp"
#include "core/net/media_type.hpp"
#include "crypto/random.hpp"
#include "protocol/apple/machine_info.hpp"
#include "protocol/apple/profile.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;
net::HttpResponse enrollment_profile_answer(const EnrollmentProfileSettings& s, bool want_signed) {
  mdmlab::apple::Profile p;
  p.identifier = "com.mdmlab.enrollment";
  p.uuid = crypto::random_uuid();
  p.display_name = "mdmlab enrollment";
  p.organization = "mdmlab";
  p.roots.push_back({crypto::random_uuid(), "com.mdmlab.enrollment.root", s.root});
  mdmlab::apple::ScepPayload scep;
  scep.uuid = crypto::random_uuid();
  scep.identifier = "com.mdmlab.enrollment.scep";
  scep.url = s.scep_url;
  scep.name = "mdmlab";
  scep.challenge = s.scep_challenge;
  scep.subject = {{"O", "mdmlab"}, {"CN", "mdmlab device"}};
  scep.key_size = 2048;  // Apple's default when absent is 1024
  scep.key_usage = 5;    // signing and encryption
  p.scep = scep;
  mdmlab::apple::MdmPayload mdm;
  mdm.uuid = crypto::random_uuid();
  mdm.identifier = "com.mdmlab.enrollment.mdm";
  mdm.server_url = s.server_url;
  mdm.checkin_url = s.checkin_url;
  mdm.topic = s.topic;
  mdm.identity_certificate_uuid = scep.uuid;
  mdm.sign_message = s.sign_message;
  p.mdm = mdm;
  auto xml = mdmlab::apple::encode_profile(p);
  if (!xml) return net::HttpResponse::text(500, "cannot build profile\n");
  return profile_answer(s, *xml, want_signed);
}

net::HttpResponse profile_answer(const EnrollmentProfileSettings& s, const std::string& xml,
                                 bool want_signed) {
  if (!want_signed || !s.signer_certificate)
    return net::HttpResponse::binary(200, xml, mdmlab::apple::kProfileContentType);
  auto der = mdmlab::apple::sign_profile(xml, *s.signer_certificate, s.signer_key);
  if (!der) return net::HttpResponse::text(500, "cannot sign profile\n");
  return net::HttpResponse::binary(200, to_string(*der), mdmlab::apple::kProfileContentType);
}

namespace {
bool wants_signed(const net::HttpRequest& req) {
  return req.query_param("signed") != std::optional<std::string>("0");
}
}  // namespace

void add_enrollment_profile_route(net::Router& router, EnrollmentProfileSettings settings) {
  auto s = std::make_shared<EnrollmentProfileSettings>(std::move(settings));
  auto manual = [s](const net::HttpRequest& req) -> asio::awaitable<net::HttpResponse> {
    co_return enrollment_profile_answer(*s, wants_signed(req));
  };
  router.add("GET", "/mdm/apple/enroll", manual);
  // ADE: the profile's url. Setup Assistant POSTs its signed machine info; an unreadable or
  // unverifiable one is refused. GET answers too (the seed's "GET /api/mdm/apple/enroll").
  auto ade = [s](const net::HttpRequest& req) -> asio::awaitable<net::HttpResponse> {
    if (req.method == "POST") {
      if (!net::media_type_is(req.header("Content-Type"), mdmlab::apple::kMachineInfoContentType))
        co_return net::HttpResponse::text(
            415, "machine info must be Content-Type application/pkcs7-signature\n");
      auto info = mdmlab::apple::parse_machine_info(to_bytes(req.body));
      if (!info)
        co_return net::HttpResponse::text(400, "bad machine info: " + info.error().message + "\n");
      log::info("enroll", "ADE enrollment profile for serial {} (UDID {})", info->info.serial,
                info->info.udid);
    }
    co_return enrollment_profile_answer(*s, wants_signed(req));
  };
  router.add("GET", "/api/mdm/apple/enroll", ade);
  router.add("POST", "/api/mdm/apple/enroll", ade);
}

}  // namespace mdmlab::server::apple
