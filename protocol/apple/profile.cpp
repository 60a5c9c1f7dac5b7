#include "protocol/apple/profile.hpp"

#include <algorithm>

#include "protocol/plist/binary.hpp"
#include "protocol/plist/xml.hpp"

namespace mdmlab::apple {
namespace {
plist::Value header(const std::string& type, const std::string& identifier,
                    const std::string& uuid) {
  plist::Value v;
  v.set("PayloadType", type)
      .set("PayloadVersion", 1)
      .set("PayloadIdentifier", identifier)
      .set("PayloadUUID", uuid);
  return v;
}

plist::Value subject_plist(const crypto::DistinguishedName& dn) {
  // Apple's form: an array of RDNs, each an array of [attribute, value] pairs.
  plist::Array rdns;
  for (const auto& [attr, value] : dn)
    rdns.push_back(plist::Value(plist::Array{plist::Value(plist::Array{attr, value})}));
  return plist::Value(std::move(rdns));
}

crypto::DistinguishedName subject_from(const plist::Value* v) {
  crypto::DistinguishedName dn;
  if (!v || !v->array()) return dn;
  for (const auto& rdn : *v->array()) {
    if (!rdn.array()) continue;
    for (const auto& pair : *rdn.array()) {
      if (!pair.array() || pair.array()->size() != 2) continue;
      const auto& a = (*pair.array())[0];
      const auto& b = (*pair.array())[1];
      if (a.string() && b.string()) dn.emplace_back(*a.string(), *b.string());
    }
  }
  return dn;
}

std::int64_t int_or(const plist::Value& v, std::string_view key, std::int64_t fallback) {
  const auto* f = v.find(key);
  return f && f->integer() ? *f->integer() : fallback;
}

bool bool_or(const plist::Value& v, std::string_view key, bool fallback) {
  const auto* f = v.find(key);
  return f && f->boolean() ? *f->boolean() : fallback;
}
}  // namespace

Result<std::string> encode_profile(const Profile& p) {
  plist::Array content;
  for (const auto& r : p.roots) {
    auto v = header("com.apple.security.root", r.identifier, r.uuid);
    v.set("PayloadDisplayName", "Root certificate")
        .set("PayloadContent", plist::Value(r.certificate.to_der()));
    content.push_back(std::move(v));
  }
  if (p.scep) {
    const auto& s = *p.scep;
    plist::Value inner;
    inner.set("URL", s.url);
    if (!s.name.empty()) inner.set("Name", s.name);
    inner.set("Subject", subject_plist(s.subject));
    if (!s.challenge.empty()) inner.set("Challenge", s.challenge);
    inner.set("Keysize", s.key_size).set("Key Type", "RSA").set("Key Usage", s.key_usage);
    inner.set("Retries", s.retries).set("RetryDelay", s.retry_delay);
    if (!s.ca_fingerprint.empty()) inner.set("CAFingerprint", plist::Data(s.ca_fingerprint));
    auto v = header("com.apple.security.scep", s.identifier, s.uuid);
    v.set("PayloadDisplayName", "Device identity (SCEP)").set("PayloadContent", inner);
    content.push_back(std::move(v));
  }
  if (p.mdm) {
    const auto& m = *p.mdm;
    auto v = header("com.apple.mdm", m.identifier, m.uuid);
    v.set("PayloadDisplayName", "Device management").set("ServerURL", m.server_url);
    if (!m.checkin_url.empty()) v.set("CheckInURL", m.checkin_url);
    v.set("Topic", m.topic)
        .set("IdentityCertificateUUID", m.identity_certificate_uuid)
        .set("SignMessage", m.sign_message)
        .set("AccessRights", m.access_rights)
        .set("CheckOutWhenRemoved", m.check_out_when_removed)
        .set("ServerCapabilities", plist::Array{"com.apple.mdm.per-user-connections"});
    content.push_back(std::move(v));
  }
  plist::Value top;
  top.set("PayloadContent", plist::Value(std::move(content)))
      .set("PayloadDisplayName", p.display_name)
      .set("PayloadIdentifier", p.identifier)
      .set("PayloadOrganization", p.organization)
      .set("PayloadType", "Configuration")
      .set("PayloadUUID", p.uuid)
      .set("PayloadVersion", 1);
  return plist::to_xml(top);
}

Result<Bytes> sign_profile(const std::string& xml, const crypto::Certificate& signer,
                           const crypto::PrivateKey& key) {
  return crypto::cms_sign(to_bytes(xml), signer, key, {}, {});
}

Result<Profile> decode_profile(std::string_view body) {
  Profile p;
  std::string xml(body);
  // Signed profiles are DER SignedData (they start with a SEQUENCE tag); plain ones are XML.
  if (!body.empty() && static_cast<unsigned char>(body[0]) == 0x30) {
    auto sm = crypto::SignedMessage::parse(to_bytes(body));
    if (!sm) return sm.error();
    if (!sm->content()) return make_error("bad_profile", "signed profile without content");
    if (sm->signer_certificate().empty() || !sm->verify(sm->signer_certificate()))
      return make_error("bad_profile", "profile signature does not verify");
    xml = to_string(*sm->content());
    p.signed_by_cms = true;
    p.signer = sm->signer_certificate();
  }
  auto v = plist::from_any(xml);
  if (!v) return v.error();
  if (v->string_or("PayloadType") != "Configuration")
    return make_error("bad_profile", "PayloadType is not Configuration");
  p.identifier = v->string_or("PayloadIdentifier");
  p.uuid = v->string_or("PayloadUUID");
  p.display_name = v->string_or("PayloadDisplayName");
  p.organization = v->string_or("PayloadOrganization");
  if (p.identifier.empty() || p.uuid.empty())
    return make_error("bad_profile", "profile without identifier or UUID");
  const auto* content = v->find("PayloadContent");
  if (content && !content->array())
    return make_error("bad_profile", "PayloadContent is not an array");
  std::vector<std::string> uuids;
  for (const auto& payload : content ? *content->array() : plist::Array{}) {
    if (!payload.is_dict()) return make_error("bad_profile", "payload is not a dictionary");
    p.payloads.push_back(payload);
    auto type = payload.string_or("PayloadType");
    auto uuid = payload.string_or("PayloadUUID");
    auto identifier = payload.string_or("PayloadIdentifier");
    uuids.push_back(uuid);
    if (type == "com.apple.security.scep") {
      const auto* inner = payload.find("PayloadContent");
      if (!inner || !inner->is_dict())
        return make_error("bad_profile", "SCEP payload without PayloadContent");
      ScepPayload s;
      s.uuid = uuid;
      s.identifier = identifier;
      s.url = inner->string_or("URL");
      s.name = inner->string_or("Name");
      s.challenge = inner->string_or("Challenge");
      s.subject = subject_from(inner->find("Subject"));
      s.key_size = int_or(*inner, "Keysize", 2048);
      s.key_usage = int_or(*inner, "Key Usage", 5);
      s.retries = std::clamp<std::int64_t>(int_or(*inner, "Retries", 3), 0, 100);
      s.retry_delay = std::clamp<std::int64_t>(int_or(*inner, "RetryDelay", 10), 0, 3600);
      if (const auto* fp = inner->find("CAFingerprint"); fp && fp->data())
        s.ca_fingerprint.assign(fp->data()->begin(), fp->data()->end());
      if (s.url.empty()) return make_error("bad_profile", "SCEP payload without URL");
      p.scep = std::move(s);
    } else if (type == "com.apple.mdm") {
      MdmPayload m;
      m.uuid = uuid;
      m.identifier = identifier;
      m.server_url = payload.string_or("ServerURL");
      m.checkin_url = payload.string_or("CheckInURL");
      m.topic = payload.string_or("Topic");
      m.identity_certificate_uuid = payload.string_or("IdentityCertificateUUID");
      m.sign_message = bool_or(payload, "SignMessage", false);
      m.access_rights = int_or(payload, "AccessRights", 8191);
      m.check_out_when_removed = bool_or(payload, "CheckOutWhenRemoved", false);
      if (m.server_url.empty() || m.topic.empty())
        return make_error("bad_profile", "MDM payload without ServerURL or Topic");
      p.mdm = std::move(m);
    } else if (type == "com.apple.security.root" || type == "com.apple.security.pkcs1") {
      const auto* der = payload.find("PayloadContent");
      if (!der || !der->data())
        return make_error("bad_profile", "certificate payload without data");
      auto cert = crypto::Certificate::from_der(*der->data());
      if (!cert) return make_error("bad_profile", "certificate payload is not a DER certificate");
      p.roots.push_back({uuid, identifier, *cert});
    }
  }
  if (p.mdm && !p.mdm->identity_certificate_uuid.empty() &&
      std::find(uuids.begin(), uuids.end(), p.mdm->identity_certificate_uuid) == uuids.end())
    return make_error("bad_profile", "IdentityCertificateUUID names no payload in the profile");
  return p;
}

}  // namespace mdmlab::apple
