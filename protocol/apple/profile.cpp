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

// A key that holds "a single string or an array of strings" (SubjectAltName's keys).
std::vector<std::string> strings_of(const plist::Value* v) {
  std::vector<std::string> out;
  if (!v) return out;
  if (v->string()) out.push_back(*v->string());
  if (v->array())
    for (const auto& item : *v->array())
      if (item.string()) out.push_back(*item.string());
  return out;
}

std::vector<std::string> string_array(const plist::Value& v, std::string_view key) {
  const auto* f = v.find(key);
  return f && f->array() ? strings_of(f) : std::vector<std::string>{};
}

void set_strings(plist::Value& dict, const std::string& key, const std::vector<std::string>& v) {
  if (v.size() == 1) dict.set(key, v.front());
  if (v.size() > 1) {
    plist::Array items(v.begin(), v.end());
    dict.set(key, plist::Value(std::move(items)));
  }
}

// A certificate payload's content: DER, or PEM text as data (both are accepted by macOS).
Result<crypto::Certificate> certificate_from(const Bytes& data) {
  auto der = crypto::Certificate::from_der(data);
  if (der) return der;
  auto pem = crypto::Certificate::from_pem(to_string(data));
  if (pem) return pem;
  return make_error("bad_profile", "neither a DER nor a PEM certificate");
}

// An error that says which payload and key, and fills `fault` for the caller.
Error fault_error(ProfileFault* fault, std::string type, std::string identifier, std::string key,
                  std::string reason) {
  std::string message = type.empty() ? std::string("profile") : type + " payload";
  if (!identifier.empty()) message += " " + identifier;
  if (!key.empty()) message += ", key " + key;
  message += ": " + reason;
  if (fault) *fault = {std::move(type), std::move(identifier), std::move(key), std::move(reason)};
  return make_error("bad_profile", message);
}
}  // namespace

plist::Value scep_subject_plist(const crypto::DistinguishedName& dn) {
  plist::Array rdns;
  for (const auto& [attr, value] : dn)
    rdns.push_back(plist::Value(plist::Array{plist::Value(plist::Array{attr, value})}));
  return plist::Value(std::move(rdns));
}

plist::Value scep_alt_names_plist(const crypto::SubjectAltNames& n) {
  plist::Value v;
  set_strings(v, "dNSName", n.dns);
  set_strings(v, "rfc822Name", n.rfc822);
  set_strings(v, "uniformResourceIdentifier", n.uri);
  set_strings(v, "ntPrincipalName", n.nt_principal);
  return v;
}

Result<std::string> encode_profile(const Profile& p) {
  plist::Array content;
  for (const auto& r : p.roots) {
    auto v = header(r.type, r.identifier, r.uuid);
    v.set("PayloadDisplayName", "Certificate")
        .set("PayloadContent", plist::Value(r.certificate.to_der()));
    content.push_back(std::move(v));
  }
  for (const auto& k : p.pkcs12) {
    auto v = header("com.apple.security.pkcs12", k.identifier, k.uuid);
    v.set("PayloadDisplayName", "Identity (PKCS#12)").set("PayloadContent", plist::Data(k.pfx));
    if (!k.password.empty()) v.set("Password", k.password);
    content.push_back(std::move(v));
  }
  if (p.scep) {
    const auto& s = *p.scep;
    plist::Value inner;
    inner.set("URL", s.url);
    if (!s.name.empty()) inner.set("Name", s.name);
    inner.set("Subject", scep_subject_plist(s.subject));
    if (!s.alt_names.empty()) inner.set("SubjectAltName", scep_alt_names_plist(s.alt_names));
    if (!s.challenge.empty()) inner.set("Challenge", s.challenge);
    inner.set("Keysize", s.key_size).set("Key Type", s.key_type).set("Key Usage", s.key_usage);
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
        .set("ServerCapabilities",
             plist::Array{"com.apple.mdm.per-user-connections", "com.apple.mdm.bootstraptoken"});
    auto uuids = [](const std::vector<std::string>& u) {
      return plist::Value(plist::Array(u.begin(), u.end()));
    };
    if (!m.server_pinning_uuids.empty())
      v.set("ServerURLPinningCertificateUUIDs", uuids(m.server_pinning_uuids));
    if (!m.checkin_pinning_uuids.empty())
      v.set("CheckInURLPinningCertificateUUIDs", uuids(m.checkin_pinning_uuids));
    if (m.pinning_revocation_check_required) v.set("PinningRevocationCheckRequired", true);
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

Result<ProfileContent> profile_content(std::string_view body) {
  // Signed profiles are DER SignedData (they start with a SEQUENCE tag); plain ones are XML.
  if (body.empty() || static_cast<unsigned char>(body[0]) != 0x30)
    return ProfileContent{std::string(body), std::nullopt};
  auto sm = crypto::SignedMessage::parse(to_bytes(body));
  if (!sm) return make_error("bad_profile", "not a CMS SignedData: " + sm.error().message);
  if (!sm->content()) return make_error("bad_profile", "signed profile without content");
  if (sm->signer_certificate().empty() || !sm->verify(sm->signer_certificate()))
    return make_error("bad_profile", "the CMS signature does not verify");
  return ProfileContent{to_string(*sm->content()), sm->signer_certificate()};
}

Result<Profile> decode_profile(std::string_view body, ProfileFault* fault) {
  Profile p;
  auto unwrapped = profile_content(body);
  if (!unwrapped) return fault_error(fault, "", "", "", unwrapped.error().message);
  const auto& xml = unwrapped->plist;
  if (unwrapped->signer) {
    p.signed_by_cms = true;
    p.signer = *unwrapped->signer;
  }
  auto v = plist::from_any(xml);
  if (!v) return fault_error(fault, "", "", "", "not a property list: " + v.error().message);
  if (v->string_or("PayloadType") != "Configuration")
    return fault_error(fault, "", "", "PayloadType", "is not Configuration");
  p.identifier = v->string_or("PayloadIdentifier");
  p.uuid = v->string_or("PayloadUUID");
  p.display_name = v->string_or("PayloadDisplayName");
  p.organization = v->string_or("PayloadOrganization");
  if (p.identifier.empty() || p.uuid.empty())
    return fault_error(fault, "", "", "PayloadIdentifier", "profile without identifier or UUID");
  const auto* content = v->find("PayloadContent");
  if (content && !content->array())
    return fault_error(fault, "", "", "PayloadContent", "is not an array");
  std::vector<std::string> uuids;
  for (const auto& payload : content ? *content->array() : plist::Array{}) {
    if (!payload.is_dict())
      return fault_error(fault, "", "", "PayloadContent", "a payload is not a dictionary");
    p.payloads.push_back(payload);
    auto type = payload.string_or("PayloadType");
    auto uuid = payload.string_or("PayloadUUID");
    auto identifier = payload.string_or("PayloadIdentifier");
    auto bad = [&](std::string key, std::string reason) {
      return fault_error(fault, type, identifier, std::move(key), std::move(reason));
    };
    uuids.push_back(uuid);
    if (type == "com.apple.security.scep") {
      const auto* inner = payload.find("PayloadContent");
      if (!inner || !inner->is_dict()) return bad("PayloadContent", "missing or not a dictionary");
      ScepPayload s;
      s.uuid = uuid;
      s.identifier = identifier;
      s.url = inner->string_or("URL");
      s.name = inner->string_or("Name");
      s.challenge = inner->string_or("Challenge");
      s.subject = subject_from(inner->find("Subject"));
      if (const auto* alt = inner->find("SubjectAltName"); alt && alt->is_dict()) {
        s.alt_names.dns = strings_of(alt->find("dNSName"));
        s.alt_names.rfc822 = strings_of(alt->find("rfc822Name"));
        s.alt_names.uri = strings_of(alt->find("uniformResourceIdentifier"));
        s.alt_names.nt_principal = strings_of(alt->find("ntPrincipalName"));
      }
      s.key_size = int_or(*inner, "Keysize", 1024);
      s.key_type = inner->string_or("Key Type", "RSA");
      s.key_usage = int_or(*inner, "Key Usage", 0);
      s.retries = std::clamp<std::int64_t>(int_or(*inner, "Retries", 3), 0, 100);
      s.retry_delay = std::clamp<std::int64_t>(int_or(*inner, "RetryDelay", 10), 0, 3600);
      if (const auto* fp = inner->find("CAFingerprint"); fp && fp->data())
        s.ca_fingerprint.assign(fp->data()->begin(), fp->data()->end());
      if (s.url.empty()) return bad("URL", "missing");
      if (s.key_type != "RSA") return bad("Key Type", "'" + s.key_type + "' is not RSA");
      if (s.key_size != 1024 && s.key_size != 2048 && s.key_size != 4096)
        return bad("Keysize", std::to_string(s.key_size) + " is not 1024, 2048 or 4096");
      p.scep = std::move(s);
    } else if (type == "com.apple.security.pkcs12") {
      const auto* pfx = payload.find("PayloadContent");
      if (!pfx || !pfx->data()) return bad("PayloadContent", "missing or not data");
      p.pkcs12.push_back({uuid, identifier, *pfx->data(), payload.string_or("Password")});
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
      m.server_pinning_uuids = string_array(payload, "ServerURLPinningCertificateUUIDs");
      m.checkin_pinning_uuids = string_array(payload, "CheckInURLPinningCertificateUUIDs");
      m.pinning_revocation_check_required =
          bool_or(payload, "PinningRevocationCheckRequired", false);
      if (m.server_url.empty()) return bad("ServerURL", "missing");
      if (m.topic.empty()) return bad("Topic", "missing");
      p.mdm = std::move(m);
    } else if (type == "com.apple.security.root" || type == "com.apple.security.pkcs1") {
      const auto* data = payload.find("PayloadContent");
      if (!data || !data->data()) return bad("PayloadContent", "missing or not data");
      auto cert = certificate_from(*data->data());
      if (!cert) return bad("PayloadContent", cert.error().message);
      p.roots.push_back({uuid, identifier, *cert, type});
    }
  }
  if (p.mdm) {
    const auto& m = *p.mdm;
    auto bad = [&](std::string key, std::string reason) {
      return fault_error(fault, "com.apple.mdm", m.identifier, std::move(key), std::move(reason));
    };
    if (!m.identity_certificate_uuid.empty() &&
        std::find(uuids.begin(), uuids.end(), m.identity_certificate_uuid) == uuids.end())
      return bad("IdentityCertificateUUID", "names no payload in the profile");
    for (const auto* list : {&m.server_pinning_uuids, &m.checkin_pinning_uuids})
      if (auto pins = certificates_with_uuids(p, *list); !pins)
        return bad(list == &m.server_pinning_uuids ? "ServerURLPinningCertificateUUIDs"
                                                   : "CheckInURLPinningCertificateUUIDs",
                   pins.error().message);
  }
  return p;
}

Result<std::vector<crypto::Certificate>> certificates_with_uuids(
    const Profile& p, const std::vector<std::string>& uuids) {
  std::vector<crypto::Certificate> out;
  for (const auto& uuid : uuids) {
    auto it = std::find_if(p.roots.begin(), p.roots.end(),
                           [&](const RootCertificatePayload& r) { return r.uuid == uuid; });
    if (it == p.roots.end())
      return make_error("bad_profile", uuid + " is not a certificate payload of the profile");
    out.push_back(it->certificate);
  }
  return out;
}

}  // namespace mdmlab::apple
