#include "protocol/windows/discovery.hpp"

#include "protocol/windows/xml_names.hpp"

namespace mdmlab::windows::discovery {
namespace {

Error bad(std::string why) {
  return make_error("bad_discover", std::move(why));
}

std::string text(const pugi::xml_node& parent, const char* name) {
  return xml::trimmed(xml::child(parent, xml::namespace_of(parent), name).text().get());
}

std::string element(const char* name, const std::string& value) {
  return "<" + std::string(name) + ">" + xml::escape(value) + "</" + name + ">";
}

}  // namespace

Result<DiscoverRequest> parse_discover(const std::string& body_xml) {
  auto doc = xml::load(body_xml);
  if (!doc) return bad(doc.error().message);
  auto root = (*doc)->document_element();
  // MS-MDE2 4.1.1's requests name the namespace with a trailing slash; clients send either.
  const std::string slash = std::string(kNamespace) + "/";
  const std::string ns = xml::is(root, slash, "Discover") ? slash : std::string(kNamespace);
  if (!xml::is(root, ns, "Discover")) return bad("the Body is not a Discover request");
  auto req = xml::child(root, ns, "request");
  if (!req) return bad("Discover has no request");
  DiscoverRequest r;
  r.email_address = text(req, "EmailAddress");
  r.request_version = text(req, "RequestVersion");
  r.device_type = text(req, "DeviceType");
  r.application_version = text(req, "ApplicationVersion");
  r.os_edition = text(req, "OSEdition");
  for (auto p : xml::elements(xml::child(req, ns, "AuthPolicies")))
    if (xml::is(p, ns, "AuthPolicy")) r.auth_policies.push_back(xml::trimmed(p.text().get()));
  if (r.request_version.empty()) return bad("Discover has no RequestVersion");
  return r;
}

std::string encode_discover(const DiscoverRequest& r) {
  std::string out =
      std::string("<Discover xmlns=\"") + kNamespace +
      "\"><request xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">" +
      element("EmailAddress", r.email_address) + element("RequestVersion", r.request_version) +
      element("DeviceType", r.device_type) + element("ApplicationVersion", r.application_version) +
      element("OSEdition", r.os_edition) + "<AuthPolicies>";
  for (const auto& p : r.auth_policies) out += element("AuthPolicy", p);
  return out + "</AuthPolicies></request></Discover>";
}

Result<DiscoverResponse> parse_discover_response(const std::string& body_xml) {
  auto doc = xml::load(body_xml);
  if (!doc) return bad(doc.error().message);
  auto root = (*doc)->document_element();
  if (!xml::is(root, kNamespace, "DiscoverResponse")) return bad("not a DiscoverResponse");
  auto result = xml::child(root, kNamespace, "DiscoverResult");
  if (!result) return bad("DiscoverResponse has no DiscoverResult");
  DiscoverResponse r;
  r.auth_policy = text(result, "AuthPolicy");
  r.enrollment_version = text(result, "EnrollmentVersion");
  r.enrollment_policy_service_url = text(result, "EnrollmentPolicyServiceUrl");
  r.enrollment_service_url = text(result, "EnrollmentServiceUrl");
  r.authentication_service_url = text(result, "AuthenticationServiceUrl");
  if (r.enrollment_service_url.empty()) return bad("DiscoverResult has no EnrollmentServiceUrl");
  return r;
}

std::string encode_discover_response(const DiscoverResponse& r) {
  std::string out = std::string("<DiscoverResponse xmlns=\"") + kNamespace + "\"><DiscoverResult>" +
                    element("AuthPolicy", r.auth_policy) +
                    element("EnrollmentVersion", r.enrollment_version) +
                    element("EnrollmentPolicyServiceUrl", r.enrollment_policy_service_url) +
                    element("EnrollmentServiceUrl", r.enrollment_service_url);
  if (!r.authentication_service_url.empty())
    out += element("AuthenticationServiceUrl", r.authentication_service_url);
  return out + "</DiscoverResult></DiscoverResponse>";
}

}  // namespace mdmlab::windows::discovery
