// ADE and OTA cases: POST /api/mdm/apple/enroll, where Setup Assistant posts its CMS-signed
// machine info, and POST /api/latest/fleet/ota_enrollment, where an OTA device posts the same
// attributes with its CHALLENGE (checked only after the message parsed and verified). Valid
// material: machine info signed by a spare key's self-signed certificate (what the server accepts,
// as it cannot chain to Apple's device CA). Mutations: HTTP framing and size, other Content-Types,
// SignedData that does not verify (a changed byte, another signer's certificate), wrong shapes (a
// plist that is no dict, no UDID or SERIAL, wrong types, no content), invalid UTF-8 in the plist,
// random and truncated DER. None may change state.
#include "crypto/ca.hpp"
#include "crypto/cms.hpp"
#include "protocol/apple/machine_info.hpp"
#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {
namespace {
constexpr const char* kType = "application/pkcs7-signature";

struct Signer {
  crypto::Certificate cert;
  crypto::PrivateKey key;
};

Signer signer(const crypto::PrivateKey& key, const std::string& cn,
              std::chrono::system_clock::time_point now) {
  auto cert = crypto::make_self_signed(key, {{"CN", cn}}, now, std::chrono::hours(24)).value();
  return {cert, key};
}

std::string sign(const Signer& s, const std::string& content) {
  return to_string(
      crypto::cms_sign(to_bytes(content), s.cert, s.key, {}, crypto::SignOptions{}).value());
}

std::string plist(const std::string& dict_body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">" + dict_body +
         "</plist>\n";
}

struct Endpoint {
  std::string name, target;
  std::string post(const std::string& body, const std::string& type = kType) const {
    net::Headers headers;
    if (!type.empty()) headers.emplace_back("Content-Type", type);
    return raw_request("POST", target, headers, body);
  }
  Case bad_info(const char* mutation, std::string what, const std::string& body) const {
    return raw_case(name, mutation, std::move(what), post(body),
                    expect::bad_request("machine info that does not parse or verify"));
  }
};

void add_cases(const Endpoint& ep, Rng& rng, const Materials& m, std::vector<Case>& out) {
  const auto& kAde = ep.name;
  const auto& kTarget = ep.target;
  auto post = [&](const std::string& body, const std::string& type = kType) {
    return ep.post(body, type);
  };
  auto bad_info = [&](const char* mutation, std::string what, const std::string& body) {
    return ep.bad_info(mutation, std::move(what), body);
  };
  const auto device = signer(m.keys.at(0), "hostile device", m.now);
  const auto other = signer(m.keys.at(1), "another device", m.now);
  const std::string good_plist = plist(
      "<dict><key>UDID</key><string>0000FE00-HOSTILE</string><key>SERIAL</key>"
      "<string>C02HOSTILE1</string><key>PRODUCT</key><string>Mac15,3</string></dict>");
  const auto good = sign(device, good_plist);

  HttpBase base{kAde, "POST", kTarget, {{"Content-Type", kType}}, good};
  add_http_truncation(rng, base, kPerClass, out);
  add_http_huge(rng, base, m.body_limit, kPerClass, out);
  add_http_numbers(rng, base, kPerClass, out);

  // Other Content-Types (or none) for the same valid body.
  const std::vector<std::string> types = {"",
                                          "application/x-apple-aspen-config",
                                          "application/xml",
                                          "text/plain",
                                          "application/pkcs7-mime",
                                          "application/octet-stream",
                                          "application/pkcs7-signaturex",
                                          "multipart/form-data; boundary=x",
                                          "application/json",
                                          "application/pkcs7"};
  for (int i = 0; i < kPerClass; ++i) {
    const auto& t = types[static_cast<std::size_t>(i) % types.size()];
    out.push_back(raw_case(kAde, mutation::content_type, "Content-Type '" + t + "'", post(good, t),
                           expect::unsupported_media_type("ADE machine info is pkcs7-signature")));
  }

  // Signatures that do not verify: a byte of the signed content or of the signature changed,
  // the signer's certificate swapped for another device's.
  for (int i = 0; i < kPerClass; ++i) {
    auto forged = good;
    std::string name;
    if (i % 3 == 0) {
      const auto at = forged.find("C02HOSTILE1");
      forged[at + rng.below(11)] ^= 0x01;
      name = "serial changed after signing";
    } else if (i % 3 == 1) {
      forged[forged.size() - 1 - rng.below(64)] ^= static_cast<char>(1 + rng.below(255));
      name = "signature bytes changed";
    } else {
      const auto mine = to_string(device.cert.to_der()), theirs = to_string(other.cert.to_der());
      const auto at = forged.find(mine);
      forged.replace(at, mine.size(), theirs);
      name = "another device's certificate as signer";
    }
    out.push_back(bad_info(mutation::forged, name, forged));
  }

  // Wrong shapes, properly signed.
  const std::vector<std::pair<std::string, std::string>> shapes = {
      {"plist array", plist("<array><string>UDID</string></array>")},
      {"plist string", plist("<string>0000FE00</string>")},
      {"no UDID", plist("<dict><key>SERIAL</key><string>C02X</string></dict>")},
      {"no SERIAL", plist("<dict><key>UDID</key><string>0000FE00</string></dict>")},
      {"UDID an integer",
       plist(
           "<dict><key>UDID</key><integer>7</integer><key>SERIAL</key><string>C</string></dict>")},
      {"SERIAL a dict",
       plist("<dict><key>UDID</key><string>U</string><key>SERIAL</key><dict/></dict>")},
      {"empty UDID",
       plist("<dict><key>UDID</key><string></string><key>SERIAL</key><string>C</string></dict>")},
      {"not a plist", "UDID=0000FE00&SERIAL=C02X"},
      {"JSON", R"({"UDID":"0000FE00","SERIAL":"C02X"})"},
      {"duplicate UDID",
       plist("<dict><key>UDID</key><string>A</string><key>UDID</key><string>B</string>"
             "<key>SERIAL</key><string>C</string></dict>")},
  };
  for (int i = 0; i < kPerClass; ++i) {
    const auto& [name, content] = shapes[static_cast<std::size_t>(i) % shapes.size()];
    if (i < static_cast<int>(shapes.size())) {
      out.push_back(bad_info(mutation::nesting, "signed " + name, sign(device, content)));
    } else {
      // The same shapes inside a certs-only SignedData (no signer, no content), or unsigned.
      out.push_back(bad_info(mutation::nesting,
                             i % 2 ? "certs-only SignedData" : "unsigned " + name,
                             i % 2 ? to_string(crypto::degenerate_pkcs7({device.cert})) : content));
    }
  }

  // Invalid UTF-8 inside the signed plist's strings and keys.
  for (int i = 0; i < kPerClass; ++i) {
    auto udid = with_invalid_utf8(rng, "0000FE00-HOSTILE");
    auto content =
        i % 2 ? plist("<dict><key>UDID</key><string>" + udid +
                      "</string><key>SERIAL</key><string>C02X</string></dict>")
              : plist("<dict><key>" + with_invalid_utf8(rng, "UDID") +
                      "</key><string>U</string><key>SERIAL</key><string>C02X</string></dict>");
    out.push_back(
        bad_info(mutation::invalid_utf8, "invalid UTF-8 in the plist", sign(device, content)));
  }

  // Truncated and random DER with a consistent length (truncation at the message level).
  for (int i = 0; i < kPerClass; ++i) {
    std::string body =
        i % 2 ? good.substr(0, rng.between(1, good.size() - 1)) : rng.bytes(rng.between(1, 512));
    out.push_back(
        bad_info(mutation::truncation, i % 2 ? "SignedData cut short" : "random bytes", body));
  }
}
}  // namespace

void add_ade_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  add_cases({"POST /api/mdm/apple/enroll", "/api/mdm/apple/enroll"}, rng, m, out);
  add_cases({"POST /api/latest/fleet/ota_enrollment", "/api/latest/fleet/ota_enrollment"}, rng, m,
            out);
}

}  // namespace mdmlab::testing::hostile
