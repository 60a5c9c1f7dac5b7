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

const std::string kGoodInfo = plist(
    "<dict><key>UDID</key><string>0000FE00-HOSTILE</string><key>SERIAL</key>"
    "<string>C02HOSTILE1</string><key>PRODUCT</key><string>Mac15,3</string></dict>");

// Machine info signed as Setup Assistant signs it (`good`, of kGoodInfo), then made not to
// verify, as i % 3 says: a byte of the signed serial or of the signature changed, or the signer's
// certificate swapped for another device's.
std::string forged_info(Rng& rng, int i, const std::string& good, const Signer& device,
                        const Signer& other, std::string& name) {
  auto forged = good;
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
  return forged;
}

// Plists that are not the machine info (a dict with UDID and SERIAL strings), and what they are.
const std::vector<std::pair<std::string, std::string>>& info_shapes() {
  static const std::vector<std::pair<std::string, std::string>> shapes = {
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
  return shapes;
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
  const auto good = sign(device, kGoodInfo);

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
    std::string name;
    auto forged = forged_info(rng, i, good, device, other, name);
    out.push_back(bad_info(mutation::forged, name, forged));
  }

  // Wrong shapes, properly signed.
  const auto& shapes = info_shapes();
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

// ---- Authenticated ADE (ade_sso_routes.hpp): refusals only, nothing reaches a sign-in ----
const std::string kSso = "GET /api/mdm/apple/ade/sso";
const std::string kCallback = "GET /api/mdm/apple/ade/sso/callback";
constexpr const char* kSsoPath = "/api/mdm/apple/ade/sso";
constexpr const char* kCallbackPath = "/api/mdm/apple/ade/sso/callback";
constexpr const char* kDeviceInfo = "x-apple-aspen-deviceinfo";

Expected no_device_info(const std::string& what) {
  return expect::bad_request(what +
                             ": a sign-in starts only from Setup Assistant's signed "
                             "x-apple-aspen-deviceinfo");
}
Expected unknown_state(const std::string& what) {
  return expect::bad_request(what +
                             ": a state the server did not hand out, or took already "
                             "(single-use; RFC 6749 §10.12)");
}
Expected unreadable_query(const std::string& what) {
  return expect::bad_request(what +
                             ": a query OAuth cannot read (RFC 6749 §3.1: each parameter "
                             "once; UTF-8; RFC 3986 §2.1 escapes)");
}

std::string random_state(Rng& rng) {
  return base64url_encode(to_bytes(rng.bytes(32)));
}

void add_sso_start(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const auto device = signer(m.keys.at(0), "hostile sso device", m.now);
  const auto other = signer(m.keys.at(1), "another device", m.now);
  const auto good_der = sign(device, kGoodInfo);
  const auto good = base64_encode(to_bytes(good_der));
  auto get = [&](const char* cls, std::string name, const net::Headers& h, Expected want,
                 const std::string& target = kSsoPath) {
    out.push_back(
        raw_case(kSso, cls, std::move(name), raw_request("GET", target, h, ""), std::move(want)));
  };
  auto info = [&](const char* cls, std::string name, const std::string& der, const char* what) {
    get(cls, std::move(name), {{kDeviceInfo, base64_encode(to_bytes(der))}}, no_device_info(what));
  };
  for (int i = 0; i < kPerClass; ++i) {
    net::Headers h;
    std::string name, target = kSsoPath;
    switch (i % 8) {
      case 0:
        name = "no x-apple-aspen-deviceinfo";
        break;
      case 1:
        h = {{kDeviceInfo, ""}};
        name = "an empty x-apple-aspen-deviceinfo";
        break;
      case 2:
        h = {{"x-apple-aspen-device-info", good}};
        name = "the device info under another name";
        break;
      case 3:
        target += "?x-apple-aspen-deviceinfo=" + net::percent_encode(good);
        name = "the device info in the query";
        break;
      case 4:
        h = {{"Cookie", std::string(kDeviceInfo) + "=" + good}};
        name = "the device info as a cookie";
        break;
      case 5:
        h = {{kDeviceInfo, "bm90IGRlcg=="}, {kDeviceInfo, good}};
        name = "two device infos, the first not signed machine info";
        break;
      case 6:
        h = {{std::string(kDeviceInfo) + "s", good}};
        name = "the device info under a longer name";
        break;
      default:
        h = {{"Authorization", "Bearer " + good}};
        name = "the device info as a bearer token";
        break;
    }
    get(mutation::headers, name, h, no_device_info("no x-apple-aspen-deviceinfo to start from"),
        target);
  }
  // Not '-' or '_': base64_decode takes the URL-safe alphabet too. Not whitespace: it is skipped.
  static const std::string kNotBase64 = "*!$%()[]{}?;:~^|.,@#\"'<>";
  for (int i = 0; i < kPerClass; ++i) {
    auto b64 = good;
    std::string name;
    if (i % 4 == 1) {
      b64.insert(b64.size() / 4 + rng.below(b64.size() / 2), "=");
      name = "padding inside the base64";
    } else if (i % 4 == 2 && net::percent_encode(b64) != b64) {
      b64 = net::percent_encode(b64);
      name = "percent-encoded base64";
    } else if (i % 4 == 3) {
      b64.erase(b64.find_last_not_of('=') + 1);
      b64.resize(b64.size() - (b64.size() % 4) - 3);  // 4n+1 characters: 6 bits left over
      name = "base64 cut to 4n+1 characters";
    } else {
      const auto n = 1 + rng.below(4);
      for (std::size_t k = 0; k < n; ++k)
        b64.insert(rng.below(b64.size() - 2), 1, kNotBase64[rng.below(kNotBase64.size())]);
      name = std::to_string(n) + " characters outside base64";
    }
    get(mutation::bad_base64, name, {{kDeviceInfo, b64}}, no_device_info("not base64"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    std::string name;
    auto forged = forged_info(rng, i, good_der, device, other, name);
    info(mutation::forged, name, forged, "signed machine info that does not verify");
  }
  const auto& shapes = info_shapes();
  for (int i = 0; i < kPerClass; ++i) {
    const auto& [name, content] = shapes[static_cast<std::size_t>(i) % shapes.size()];
    if (i < static_cast<int>(shapes.size()))
      info(mutation::nesting, "signed " + name, sign(device, content), "not the machine info");
    else if (i % 3 == 0)
      info(mutation::nesting, "certs-only SignedData",
           to_string(crypto::degenerate_pkcs7({device.cert})), "no signed content");
    else if (i % 3 == 1)
      info(mutation::nesting, "unsigned " + name, content, "not a SignedData");
    else
      info(mutation::nesting, "the device info base64-encoded twice", good, "not a SignedData");
  }
  for (int i = 0; i < kPerClass; ++i) {
    if (i % 2) {
      const auto udid = with_invalid_utf8(rng, "0000FE00-HOSTILE");
      info(mutation::invalid_utf8, "invalid UTF-8 in the signed plist",
           sign(device, plist("<dict><key>UDID</key><string>" + udid +
                              "</string><key>SERIAL</key><string>C02X</string></dict>")),
           "a plist string that is not UTF-8");
    } else {
      get(mutation::invalid_utf8, "raw invalid UTF-8 in the header",
          {{kDeviceInfo, with_invalid_utf8(rng, good)}}, no_device_info("not base64"));
    }
  }
  for (int i = 0; i < kPerClass / 2; ++i) {
    const auto cut = rng.between(1, good_der.size() - 1);
    info(mutation::truncation, "SignedData cut at " + std::to_string(cut), good_der.substr(0, cut),
         "a SignedData cut short");
  }
  const HttpBase base{kSso, "GET", kSsoPath, {{kDeviceInfo, good}}, ""};
  add_http_truncation(rng, base, kPerClass / 2, out);
  for (int i = 0; i < kPerClass / 2; ++i) {
    const auto big = base64_encode(to_bytes(rng.bytes(rng.between(13 * 1024, 48 * 1024))));
    get(mutation::huge, "device info of " + std::to_string(big.size()) + " characters",
        {{kDeviceInfo, big}},
        Expected::status(431, "RFC 6585 §5: header fields over the server's head limit"));
  }
  add_http_huge(rng, base, m.body_limit, kPerClass / 2, out);
  add_http_numbers(rng, base, kPerClass, out);
}

void add_sso_callback(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const auto& s = m.sso;
  std::size_t next = 0;
  // A pending state for a case that takes it (each once); `spare` is pending too, never taken,
  // for cases that must not take one.
  auto fresh = [&]() -> const std::string& { return s.fresh_states.at(next++); };
  const auto& spare = s.fresh_states.back();
  auto get = [&](const char* cls, std::string name, const std::string& query, Expected want) {
    const auto target = std::string(kCallbackPath) + (query.empty() ? "" : "?" + query);
    out.push_back(raw_case(kCallback, cls, std::move(name), raw_request("GET", target, {}, ""),
                           std::move(want)));
  };
  auto code = [&] { return "0.A" + base64url_encode(to_bytes(rng.bytes(48))); };
  const auto forged_code = expect::forbidden(
      "a code the IdP never issued: its token endpoint refuses it (invalid_grant), no profile");
  for (int i = 0; i < kPerClass; ++i) {
    auto altered = spare;
    altered[rng.below(altered.size())] ^= 0x01;
    const auto c = code();
    switch (i % 4) {
      case 0:
        get(mutation::forged, "a state never handed out",
            "code=" + c + "&state=" + random_state(rng), unknown_state("unknown state"));
        break;
      case 1:
        get(mutation::forged, "a used state", "code=" + c + "&state=" + s.used_state,
            unknown_state("used state"));
        break;
      case 2:
        get(mutation::forged, "a pending state with one bit changed",
            "code=" + c + "&state=" + net::percent_encode(altered), unknown_state("altered state"));
        break;
      default:
        get(mutation::forged, "a forged code with a pending state",
            "code=" + c + "&state=" + fresh(), forged_code);
        break;
    }
  }
  static const std::vector<std::string> kErrors = {
      "access_denied", "consent_required", "interaction_required",    "login_required",
      "server_error",  "invalid_request",  "temporarily_unavailable", "unauthorized_client"};
  for (int i = 0; i < kPerClass; ++i) {
    const auto& error = kErrors[static_cast<std::size_t>(i) % kErrors.size()];
    auto query = "error=" + error + "&error_description=" +
                 net::percent_encode("AADSTS65004: User declined to consent.");
    if (i % 3 == 2) query += "&code=" + code();
    if (i % 5 == 4)
      get(mutation::idp_error, error + " for an unknown state",
          query + "&state=" + random_state(rng), unknown_state("the state is checked first"));
    else
      get(mutation::idp_error, error + (i % 3 == 2 ? " with a code" : ""),
          query + "&state=" + fresh(),
          expect::forbidden("the IdP refused the sign-in (RFC 6749 §4.1.2.1): no profile"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    switch (i % 5) {
      case 0:
        get(mutation::nesting, "no code", "state=" + fresh(), expect::bad_request("no code"));
        break;
      case 1:
        get(mutation::nesting, "an empty code", "code=&state=" + fresh(),
            expect::bad_request("no code"));
        break;
      case 2:
        get(mutation::nesting, "State and Code capitalised", "Code=" + code() + "&State=" + spare,
            unknown_state("no state (names are case-sensitive)"));
        break;
      case 3:
        get(mutation::nesting, "no query", "", unknown_state("no state"));
        break;
      default:
        get(mutation::nesting, "code[] instead of code",
            "code%5B%5D=" + code() + "&state=" + fresh(), expect::bad_request("no code"));
        break;
    }
  }
  for (int i = 0; i < kPerClass; ++i) {
    const auto c = code();
    switch (i % 3) {
      case 0:
        get(mutation::duplicate_keys, "state twice",
            "code=" + c + "&state=" + spare + "&state=" + spare, unreadable_query("state twice"));
        break;
      case 1:
        get(mutation::duplicate_keys, "code twice",
            "code=" + c + "&state=" + s.used_state + "&code=" + c, unreadable_query("code twice"));
        break;
      default:
        get(mutation::duplicate_keys, "error twice",
            "error=access_denied&state=" + s.used_state + "&error=server_error",
            unreadable_query("error twice"));
        break;
    }
  }
  for (int i = 0; i < kPerClass; ++i) {
    const auto bad = with_invalid_utf8(rng, code());
    switch (i % 3) {
      case 0:
        get(mutation::invalid_utf8, "percent-encoded invalid UTF-8 in code",
            "code=" + percent_all(bad) + "&state=" + spare, unreadable_query("code not UTF-8"));
        break;
      case 1:
        get(mutation::invalid_utf8, "percent-encoded invalid UTF-8 in error_description",
            "error=access_denied&error_description=" + percent_all(bad) + "&state=" + spare,
            unreadable_query("error_description not UTF-8"));
        break;
      default:
        get(mutation::invalid_utf8, "raw invalid UTF-8 in the query",
            "code=" + bad + "&state=" + spare,
            expect::bad_request("raw bytes outside URI characters (RFC 9112 §3.2), or a value "
                                "that is not UTF-8"));
        break;
    }
  }
  // Cut inside "code=...&state=<pending>": the state is never whole, so no cut takes it.
  for (int i = 0; i < kPerClass / 2; ++i) {
    const auto query = "code=" + code() + "&state=" + spare;
    if (i % 5 == 4) {
      const auto escape = rng.pick(std::vector<std::string>{"%", "%G1", "%1", "%%"});
      get(mutation::truncation, "a broken escape '" + escape + "'", query + escape,
          unreadable_query("a broken percent escape"));
    } else {
      const auto cut = rng.between(1, query.size() - 1);
      get(mutation::truncation, "query cut at " + std::to_string(cut), query.substr(0, cut),
          unknown_state("the state cut short, or none"));
    }
  }
  const auto used_target = std::string(kCallbackPath) + "?code=x&state=" + s.used_state;
  const HttpBase base{kCallback, "GET", used_target, {}, ""};
  add_http_truncation(rng, base, kPerClass / 2, out);
  for (int i = 0; i < kPerClass / 2; ++i) {
    if (i % 2) {
      const auto n = rng.between(17 * 1024, 64 * 1024);
      get(mutation::huge, "a state of " + std::to_string(n) + " characters",
          "code=x&state=" + random_state(rng) + std::string(n, 'A'),
          Expected::status(414, "RFC 9112 §3: a request-target longer than the server parses"));
    } else {
      const auto n = rng.between(8 * 1024, 15 * 1024);
      get(mutation::huge, "a state of " + std::to_string(n) + " characters, within the head limit",
          "code=x&state=" + std::string(n, 'A'), unknown_state("unknown state"));
    }
  }
  add_http_huge(rng, base, m.body_limit, kPerClass / 2, out);
  add_http_numbers(rng, base, kPerClass, out);
}
}  // namespace

void add_ade_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  add_cases({"POST /api/mdm/apple/enroll", "/api/mdm/apple/enroll"}, rng, m, out);
  add_cases({"POST /api/latest/fleet/ota_enrollment", "/api/latest/fleet/ota_enrollment"}, rng, m,
            out);
}

void add_ade_sso_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  add_sso_start(rng, m, out);
  add_sso_callback(rng, m, out);
}

}  // namespace mdmlab::testing::hostile
