#include "scenarios/engine/profile_edits.hpp"

#include <algorithm>
#include <cctype>

#include "crypto/ca.hpp"
#include "crypto/digest.hpp"
#include "crypto/pkcs12.hpp"
#include "crypto/random.hpp"
#include "protocol/apple/profile.hpp"
#include "protocol/plist/binary.hpp"
#include "protocol/plist/xml.hpp"
#include "simulators/scep/scep_client.hpp"

namespace mdmlab::scenarios {
namespace asio = boost::asio;
using nlohmann::json;

namespace {
plist::Value* child(plist::Value& v, std::string_view key) {
  auto* dict = v.dict();
  if (!dict) return nullptr;
  for (auto& [k, value] : *dict)
    if (k == key) return &value;
  return nullptr;
}

// The payload dicts of a profile, in order.
std::vector<plist::Value*> payloads(plist::Value& top) {
  std::vector<plist::Value*> out;
  auto* content = child(top, "PayloadContent");
  if (content && content->array())
    for (auto& p : *content->array())
      if (p.is_dict()) out.push_back(&p);
  return out;
}

plist::Value* payload_of_type(plist::Value& top, std::string_view type) {
  for (auto* p : payloads(top))
    if (p->string_or("PayloadType") == type) return p;
  return nullptr;
}

// {"dNSName": "a" | ["a", "b"], ...} in Apple's key names.
Result<crypto::SubjectAltNames> alt_names_from(const json& names) {
  crypto::SubjectAltNames out;
  const std::pair<const char*, std::vector<std::string>*> kKeys[] = {
      {"dNSName", &out.dns},
      {"rfc822Name", &out.rfc822},
      {"uniformResourceIdentifier", &out.uri},
      {"ntPrincipalName", &out.nt_principal}};
  for (const auto& item : names.items()) {
    // (Not a structured binding: clang 14 cannot capture one in the lambda below.)
    const std::string key = item.key();
    const auto& value = item.value();
    const auto* list = std::find_if(std::begin(kKeys), std::end(kKeys),
                                    [&key](const auto& k) { return key == k.first; });
    if (list == std::end(kKeys))
      return make_error("bad_step", "scep_alt_names: '" + key +
                                        "' is not dNSName, rfc822Name, "
                                        "uniformResourceIdentifier or ntPrincipalName");
    const bool strings =
        value.is_array() &&
        std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
    if (value.is_string())
      list->second->push_back(value.get<std::string>());
    else if (strings)
      for (const auto& v : value) list->second->push_back(v.get<std::string>());
    else
      return make_error("bad_step", "scep_alt_names." + key + ": a string or an array of strings");
  }
  return out;
}

Result<void> edit_scep(plist::Value& scep_inner, const json& with) {
  if (with.contains("scep_subject")) {
    auto dn = crypto::parse_distinguished_name(with["scep_subject"].get<std::string>());
    if (!dn) return dn.error();
    scep_inner.set("Subject", apple::scep_subject_plist(*dn));
  }
  if (with.contains("scep_alt_names")) {
    auto names = alt_names_from(with["scep_alt_names"]);
    if (!names) return names.error();
    scep_inner.set("SubjectAltName", apple::scep_alt_names_plist(*names));
  }
  static const std::pair<const char*, const char*> kIntegers[] = {
      {"scep_key_size", "Keysize"},
      {"scep_key_usage", "Key Usage"},
      {"scep_retries", "Retries"},
      {"scep_retry_delay", "RetryDelay"}};
  for (const auto& [with_key, payload_key] : kIntegers)
    if (with.contains(with_key)) scep_inner.set(payload_key, with[with_key].get<std::int64_t>());
  if (with.contains("scep_url")) scep_inner.set("URL", with["scep_url"].get<std::string>());
  return success();
}

// What the server's GetCACert says the CA is, as the device will see it.
asio::awaitable<Result<crypto::Certificate>> scep_ca(const ProfileEditContext& ctx,
                                                     const std::string& url) {
  simulators::scep::ScepClientOptions o;
  o.http.transcript = ctx.transcript;
  o.http.party = "runner";
  simulators::scep::ScepClient client(ctx.executor, url, o);
  auto ca = co_await client.get_ca_cert();
  if (!ca) co_return ca.error();
  co_return ca->ca;
}

// An identity enrolled over the profile's SCEP payload, sealed in a PKCS#12 payload that
// takes the SCEP payload's place (and PayloadUUID, so IdentityCertificateUUID still names it).
asio::awaitable<Result<void>> replace_with_pkcs12(const ProfileEditContext& ctx,
                                                  plist::Value& scep_payload, const json& with) {
  const auto& inner = *child(scep_payload, "PayloadContent");
  const auto url = inner.string_or("URL");
  simulators::scep::ScepClientOptions o;
  o.http.transcript = ctx.transcript;
  o.http.party = "runner";
  simulators::scep::ScepClient client(ctx.executor, url, o);
  auto key = crypto::PrivateKey::generate_rsa(2048);
  if (!key) co_return key.error();
  simulators::scep::EnrollRequest req;
  req.key = *key;
  req.subject = {{"CN", ctx.device_udid}};
  req.challenge = inner.string_or("Challenge");
  auto issued = co_await client.enroll(req);
  if (!issued) co_return issued.error();
  if (issued->status != mdmlab::scep::PkiStatus::success)
    co_return make_error("pkcs12_identity", "the SCEP server did not issue the PKCS#12 identity");
  const auto password = with.value("pkcs12_password", "p12-" + hex_encode(crypto::random_bytes(6)));
  if (ctx.transcript) ctx.transcript->add_secret(password);
  std::vector<crypto::Certificate> chain;
  if (client.ca_certificates()) chain.push_back(client.ca_certificates()->ca);
  auto pfx = crypto::make_pkcs12({issued->certificate, *key, chain}, password, "mdmlab identity");
  if (!pfx) co_return pfx.error();
  const auto written = with.value("pkcs12_payload_password", password);
  if (ctx.transcript) ctx.transcript->add_secret(written);
  plist::Value p12;
  p12.set("PayloadType", "com.apple.security.pkcs12")
      .set("PayloadVersion", 1)
      .set("PayloadIdentifier", scep_payload.string_or("PayloadIdentifier") + ".pkcs12")
      .set("PayloadUUID", scep_payload.string_or("PayloadUUID"))
      .set("PayloadDisplayName", "Device identity (PKCS#12)")
      .set("PayloadCertificateFileName", "identity.p12")
      .set("PayloadContent", plist::Value(std::move(*pfx)))
      .set("Password", written);
  scep_payload = std::move(p12);
  co_return success();
}

Result<void> pin(plist::Value& top, const json& with) {
  auto* mdm = payload_of_type(top, "com.apple.mdm");
  if (!mdm) return make_error("bad_profile", "the profile has no MDM payload to pin for");
  plist::Array uuids;
  const auto how = with.value("pin", "roots");
  if (how == "roots") {
    for (auto* p : payloads(top)) {
      auto type = p->string_or("PayloadType");
      if (type == "com.apple.security.root" || type == "com.apple.security.pkcs1")
        uuids.emplace_back(p->string_or("PayloadUUID"));
    }
    if (uuids.empty())
      return make_error("bad_profile", "the profile has no certificate payload to pin");
  } else {  // "foreign": a certificate the server's chain does not have
    auto key = crypto::PrivateKey::generate_ec_p256();
    if (!key) return key.error();
    auto cert = crypto::make_self_signed(*key, {{"CN", "mdmlab foreign pin"}},
                                         std::chrono::system_clock::now(), std::chrono::hours(24));
    if (!cert) return cert.error();
    auto uuid = crypto::random_uuid();
    plist::Value p;
    p.set("PayloadType", "com.apple.security.pkcs1")
        .set("PayloadVersion", 1)
        .set("PayloadIdentifier", "com.mdmlab.foreign-pin")
        .set("PayloadUUID", uuid)
        .set("PayloadContent", plist::Value(cert->to_der()));
    child(top, "PayloadContent")->array()->push_back(std::move(p));
    mdm = payload_of_type(top, "com.apple.mdm");  // the array may have moved
    uuids.emplace_back(uuid);
  }
  mdm->set("ServerURLPinningCertificateUUIDs", plist::Value(uuids));
  if (!mdm->string_or("CheckInURL").empty())
    mdm->set("CheckInURLPinningCertificateUUIDs", plist::Value(uuids));
  if (with.contains("pin_revocation_required"))
    mdm->set("PinningRevocationCheckRequired", with["pin_revocation_required"].get<bool>());
  return success();
}
}  // namespace

const std::vector<std::string>& profile_edit_keys() {
  static const std::vector<std::string> keys = {"scep_subject",
                                                "scep_alt_names",
                                                "scep_key_size",
                                                "scep_key_usage",
                                                "scep_retries",
                                                "scep_retry_delay",
                                                "scep_url",
                                                "scep_ca_fingerprint",
                                                "identity",
                                                "pkcs12_password",
                                                "pkcs12_payload_password",
                                                "pin",
                                                "pin_revocation_required"};
  return keys;
}

bool has_profile_edits(const json& with) {
  if (!with.is_object()) return false;
  return std::any_of(profile_edit_keys().begin(), profile_edit_keys().end(),
                     [&](const std::string& k) { return with.contains(k); });
}

asio::awaitable<Result<std::string>> edit_profile(ProfileEditContext ctx, std::string xml,
                                                  json with) {
  auto top = plist::from_any(xml);
  if (!top) co_return top.error();
  auto* scep = payload_of_type(*top, "com.apple.security.scep");
  auto* scep_inner = scep ? child(*scep, "PayloadContent") : nullptr;
  const bool wants_scep =
      std::any_of(with.items().begin(), with.items().end(),
                  [](auto item) { return item.key().rfind("scep_", 0) == 0; }) ||
      with.value("identity", "scep") == "pkcs12";
  if (wants_scep && (!scep_inner || !scep_inner->is_dict()))
    co_return make_error("bad_profile", "the profile has no SCEP payload to edit");
  if (scep_inner) {
    if (auto r = edit_scep(*scep_inner, with); !r) co_return r.error();
    if (with.contains("scep_ca_fingerprint")) {
      auto ca = co_await scep_ca(ctx, scep_inner->string_or("URL"));
      if (!ca) co_return ca.error();
      const auto how = with["scep_ca_fingerprint"].get<std::string>();
      auto fingerprint = how == "sha1" ? crypto::sha1(ca->to_der()) : crypto::sha256(ca->to_der());
      if (how == "wrong") fingerprint.back() ^= 0x01;  // one bit off: the CA is not this one
      scep_inner->set("CAFingerprint", plist::Value(std::move(fingerprint)));
    }
  }
  if (with.value("identity", "scep") == "pkcs12") {
    auto replaced = co_await replace_with_pkcs12(ctx, *scep, with);
    if (!replaced) co_return replaced.error();
  }
  if (with.contains("pin") || with.contains("pin_revocation_required"))
    if (auto r = pin(*top, with); !r) co_return r.error();
  co_return plist::to_xml(*top);
}

Result<std::string> tamper_signed_profile(std::string der) {
  // The first string value after PayloadDisplayName: a change no parser would refuse.
  auto at = der.find("<key>PayloadDisplayName</key>");
  if (at != std::string::npos) at = der.find("<string>", at);
  if (at == std::string::npos)
    return make_error("bad_profile", "not a signed profile with a PayloadDisplayName to change");
  at += std::string_view("<string>").size();
  char& c = der[at];
  c = std::isalpha(static_cast<unsigned char>(c)) ? static_cast<char>(c ^ 0x20) : 'X';
  return der;
}

}  // namespace mdmlab::scenarios
