#include "protocol/windows/xcep.hpp"

#include "protocol/windows/xml_names.hpp"

namespace mdmlab::windows::xcep {
namespace {

Error bad(std::string why) {
  return make_error("bad_xcep", std::move(why));
}

constexpr const char* kXsi = "http://www.w3.org/2001/XMLSchema-instance";

pugi::xml_node at(pugi::xml_node n, std::initializer_list<const char*> path) {
  for (const char* step : path) n = xml::child(n, kNamespace, step);
  return n;
}

std::string text(const pugi::xml_node& n) {
  return xml::trimmed(n.text().get());
}

Result<long long> number(const pugi::xml_node& n, const char* what) {
  const auto t = text(n);
  if (t.empty() || t.size() > 15 || t.find_first_not_of("0123456789") != std::string::npos)
    return bad(std::string(what) + " is not a number");
  return std::stoll(t);
}

std::string nil(const char* name) {
  return "<" + std::string(name) + " xsi:nil=\"true\"/>";
}

}  // namespace

Result<GetPoliciesRequest> parse_get_policies(const std::string& body_xml) {
  auto doc = xml::load(body_xml);
  if (!doc) return bad(doc.error().message);
  auto root = (*doc)->document_element();
  if (!xml::is(root, kNamespace, "GetPolicies")) return bad("the Body is not GetPolicies");
  auto client = xml::child(root, kNamespace, "client");
  if (!client) return bad("GetPolicies has no client");
  GetPoliciesRequest r;
  r.last_update = text(xml::child(client, kNamespace, "lastUpdate"));
  r.preferred_language = text(xml::child(client, kNamespace, "preferredLanguage"));
  return r;
}

std::string encode_get_policies(const GetPoliciesRequest& r) {
  std::string out =
      std::string("<GetPolicies xmlns=\"") + kNamespace + "\" xmlns:xsi=\"" + kXsi + "\"><client>";
  out += r.last_update.empty() ? nil("lastUpdate")
                               : "<lastUpdate>" + xml::escape(r.last_update) + "</lastUpdate>";
  out += r.preferred_language.empty()
             ? nil("preferredLanguage")
             : "<preferredLanguage>" + xml::escape(r.preferred_language) + "</preferredLanguage>";
  return out + "</client>" + nil("requestFilter") + "</GetPolicies>";
}

Result<Policy> parse_get_policies_response(const std::string& body_xml) {
  auto doc = xml::load(body_xml);
  if (!doc) return bad(doc.error().message);
  auto root = (*doc)->document_element();
  if (!xml::is(root, kNamespace, "GetPoliciesResponse")) return bad("not a GetPoliciesResponse");
  Policy p;
  if (text(at(root, {"response", "policiesNotChanged"})) == "true") {
    p.not_changed = true;
    return p;
  }
  auto attributes = at(root, {"response", "policies", "policy", "attributes"});
  if (!attributes) return bad("no policy attributes");
  p.common_name = text(xml::child(attributes, kNamespace, "commonName"));
  auto key =
      number(at(attributes, {"privateKeyAttributes", "minimalKeyLength"}), "minimalKeyLength");
  if (!key) return key.error();
  p.minimal_key_length = static_cast<int>(*key);
  auto validity =
      number(at(attributes, {"certificateValidity", "validityPeriodSeconds"}), "validity");
  if (!validity) return validity.error();
  p.validity_seconds = *validity;
  auto renewal = number(at(attributes, {"certificateValidity", "renewalPeriodSeconds"}), "renewal");
  if (!renewal) return renewal.error();
  p.renewal_seconds = *renewal;
  // The hash: the oID whose oIDReferenceID the policy's hashAlgorithmOIDReference names.
  const auto ref = text(xml::child(attributes, kNamespace, "hashAlgorithmOIDReference"));
  p.hash_oid.clear();
  p.hash_name.clear();
  for (auto oid : xml::elements(xml::child(root, kNamespace, "oIDs")))
    if (text(xml::child(oid, kNamespace, "oIDReferenceID")) == ref) {
      p.hash_oid = text(xml::child(oid, kNamespace, "value"));
      p.hash_name = text(xml::child(oid, kNamespace, "defaultName"));
    }
  return p;
}

std::string encode_get_policies_response(const Policy& p) {
  return std::string("<GetPoliciesResponse xmlns=\"") + kNamespace + "\" xmlns:xsi=\"" + kXsi +
         "\"><response><policyID/>" + nil("policyFriendlyName") + nil("nextUpdateHours") +
         nil("policiesNotChanged") +
         "<policies><policy><policyOIDReference>0</policyOIDReference>" + nil("cAs") +
         "<attributes><commonName>" + xml::escape(p.common_name) +
         "</commonName><policySchema>3</policySchema><certificateValidity>"
         "<validityPeriodSeconds>" +
         std::to_string(p.validity_seconds) + "</validityPeriodSeconds><renewalPeriodSeconds>" +
         std::to_string(p.renewal_seconds) +
         "</renewalPeriodSeconds></certificateValidity><permission><enroll>true</enroll>"
         "<autoEnroll>false</autoEnroll></permission><privateKeyAttributes><minimalKeyLength>" +
         std::to_string(p.minimal_key_length) + "</minimalKeyLength>" + nil("keySpec") +
         nil("keyUsageProperty") + nil("permissions") + nil("algorithmOIDReference") +
         nil("cryptoProviders") +
         "</privateKeyAttributes><revision><majorRevision>101</majorRevision><minorRevision>0"
         "</minorRevision></revision>" +
         nil("supersededPolicies") + nil("privateKeyFlags") + nil("subjectNameFlags") +
         nil("enrollmentFlags") + nil("generalFlags") +
         "<hashAlgorithmOIDReference>0</hashAlgorithmOIDReference>" + nil("rARequirements") +
         nil("keyArchivalAttributes") + nil("extensions") + "</attributes></policy></policies>" +
         "</response>" + nil("cAs") + "<oIDs><oID><value>" + xml::escape(p.hash_oid) +
         "</value><group>4</group><oIDReferenceID>0</oIDReferenceID><defaultName>" +
         xml::escape(p.hash_name) + "</defaultName></oID></oIDs></GetPoliciesResponse>";
}

}  // namespace mdmlab::windows::xcep
