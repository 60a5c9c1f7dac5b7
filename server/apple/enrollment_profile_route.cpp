#include "server/apple/enrollment_profile_route.hpp"

#include "crypto/random.hpp"
#include "protocol/apple/profile.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;
void add_enrollment_profile_route(net::Router& router, EnrollmentProfileSettings settings) {
  auto s = std::make_shared<EnrollmentProfileSettings>(std::move(settings));
  router.add(
      "GET", "/mdm/apple/enroll",
      [s](const net::HttpRequest& req) -> asio::awaitable<net::HttpResponse> {
        mdmlab::apple::Profile p;
        p.identifier = "com.mdmlab.enrollment";
        p.uuid = crypto::random_uuid();
        p.display_name = "mdmlab enrollment";
        p.organization = "mdmlab";
        p.roots.push_back({crypto::random_uuid(), "com.mdmlab.enrollment.root", s->root});
        mdmlab::apple::ScepPayload scep;
        scep.uuid = crypto::random_uuid();
        scep.identifier = "com.mdmlab.enrollment.scep";
        scep.url = s->scep_url;
        scep.name = "mdmlab";
        scep.challenge = s->scep_challenge;
        scep.subject = {{"O", "mdmlab"}, {"CN", "mdmlab device"}};
        scep.key_size = 2048;  // Apple's default when absent is 1024
        scep.key_usage = 5;    // signing and encryption
        p.scep = scep;
        mdmlab::apple::MdmPayload mdm;
        mdm.uuid = crypto::random_uuid();
        mdm.identifier = "com.mdmlab.enrollment.mdm";
        mdm.server_url = s->server_url;
        mdm.checkin_url = s->checkin_url;
        mdm.topic = s->topic;
        mdm.identity_certificate_uuid = scep.uuid;
        mdm.sign_message = s->sign_message;
        p.mdm = mdm;
        auto xml = mdmlab::apple::encode_profile(p);
        if (!xml) co_return net::HttpResponse::text(500, "cannot build profile\n");
        if (req.query_param("signed") == std::optional<std::string>("0") || !s->signer_certificate)
          co_return net::HttpResponse::binary(200, *xml, mdmlab::apple::kProfileContentType);
        auto der = mdmlab::apple::sign_profile(*xml, *s->signer_certificate, s->signer_key);
        if (!der) co_return net::HttpResponse::text(500, "cannot sign profile\n");
        co_return net::HttpResponse::binary(200, to_string(*der),
                                            mdmlab::apple::kProfileContentType);
      });
}

}  // namespace mdmlab::server::apple
