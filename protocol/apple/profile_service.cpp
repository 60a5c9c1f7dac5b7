#include "protocol/apple/profile_service.hpp"

#include "protocol/apple/profile.hpp"
#include "protocol/plist/value.hpp"
#include "protocol/plist/xml.hpp"

namespace mdmlab::apple {

Result<std::string> encode_profile_service(const ProfileService& p) {
  plist::Array attributes;
  for (const auto& a : p.device_attributes) attributes.emplace_back(a);
  plist::Value content;
  content.set("URL", p.url).set("DeviceAttributes", plist::Value(attributes));
  if (!p.challenge.empty()) content.set("Challenge", p.challenge);
  plist::Value v;
  v.set("PayloadContent", content)
      .set("PayloadDisplayName", p.display_name)
      .set("PayloadIdentifier", p.identifier)
      .set("PayloadOrganization", p.organization)
      .set("PayloadType", "Profile Service")
      .set("PayloadUUID", p.uuid)
      .set("PayloadVersion", 1);
  return plist::to_xml(v);
}

Result<ProfileService> decode_profile_service(std::string_view body) {
  auto bad = [](const std::string& why) { return make_error("bad_profile_service", why); };
  auto unwrapped = profile_content(body);
  if (!unwrapped) return bad(unwrapped.error().message);
  auto v = plist::from_xml(unwrapped->plist);
  if (!v) return bad("not a property list: " + v.error().message);
  if (!v->is_dict()) return bad("the profile is not a dictionary");
  if (v->string_or("PayloadType") != "Profile Service")
    return bad("PayloadType is not Profile Service");
  ProfileService p;
  p.identifier = v->string_or("PayloadIdentifier");
  p.uuid = v->string_or("PayloadUUID");
  p.display_name = v->string_or("PayloadDisplayName");
  p.organization = v->string_or("PayloadOrganization");
  const auto* content = v->find("PayloadContent");
  if (!content || !content->is_dict()) return bad("PayloadContent is not a dictionary");
  const auto* url = content->find("URL");
  if (!url || !url->string()) return bad("URL is missing or not a string");
  p.url = *url->string();
  if (p.url.rfind("https://", 0) != 0 && p.url.rfind("http://", 0) != 0)
    return bad("URL is not http(s)");
  if (const auto* c = content->find("Challenge")) {
    if (!c->string()) return bad("Challenge is not a string");
    p.challenge = *c->string();
  }
  if (const auto* a = content->find("DeviceAttributes")) {
    if (!a->array()) return bad("DeviceAttributes is not an array");
    p.device_attributes.clear();
    for (const auto& item : *a->array()) {
      if (!item.string()) return bad("DeviceAttributes holds a non-string");
      p.device_attributes.push_back(*item.string());
    }
  }
  return p;
}

}  // namespace mdmlab::apple
