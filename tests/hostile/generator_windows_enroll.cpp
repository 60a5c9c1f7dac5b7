// Windows enrollment cases per endpoint (windows_enrollment_routes.cpp): Discovery.svc's Discover
// in the wrong shape; the policy and enroll calls with wrong enrollment secrets (MS-MDE2 OnPremise:
// the UsernameToken's password; 401 s:Authentication); the RST (MS-WSTEP, MS-MDE2 2.2.6) with its
// PKCS#10 request missing, not base64, not PKCS#10 or not verifying (s:MessageFormat or
// s:CertificateRequest, 400), an AdditionalContext DeviceID no certificate may carry as its CN,
// and RequestTypes / TokenTypes other than Issue of a DeviceEnrollmentToken. Every RST is valid
// in all but the one thing it breaks (a new DeviceID, a fresh key's request, the right secret),
// so a case the server took would enroll a device: windows_enrollments shows it.
#include "crypto/jwt.hpp"
#include "protocol/windows/discovery.hpp"
#include "protocol/windows/wstep.hpp"
#include "protocol/windows/xcep.hpp"
#include "tests/hostile/windows_gen.hpp"

namespace mdmlab::testing::hostile {
namespace win = mdmlab::windows;
namespace {
const std::string kDiscovery = "POST /EnrollmentServer/Discovery.svc";
const std::string kPolicy = "POST /api/mdm/microsoft/policy";
const std::string kEnroll = "POST /api/mdm/microsoft/enroll";
const net::Headers kSoapHeaders = {{"Content-Type", win::soap::kContentType}};

Expected authentication(const std::string& why) {
  return soap_fault(401, "s:Authentication", why);
}
Expected certificate_request(const std::string& why) {
  return soap_fault(400, "s:CertificateRequest", why);
}

win::wstep::RequestSecurityToken valid_rst(const Materials& m) {
  win::wstep::RequestSecurityToken r;
  r.token_type = win::wstep::kDeviceEnrollmentToken;
  r.request_type = win::wstep::kIssue;
  r.value_type = win::wstep::kPkcs10;
  r.csr_der = to_bytes(m.windows.csr_der);
  r.context = {{"DeviceID", m.windows.other_id},
               {"HWDevID", "HOSTILE-HW-0002"},
               {"EnrollmentType", "Full"},
               {"DeviceName", "HOSTILE-NEW-PC"},
               {"OSVersion", "10.0.22631.1"}};
  return r;
}

// Wrong secrets: every case but the secret is valid.
void add_forged(Rng& rng, const SoapEndpoint& ep, std::vector<Case>& out) {
  const auto& secret = ep.secret;
  for (int i = 0; i < kPerClass; ++i) {
    auto s = ep.message;
    std::string name;
    auto flipped = secret;
    flipped[rng.below(flipped.size())] ^= 0x01;
    switch (i % 10) {
      case 0:
        s.security.clear();
        name = "no Security header";
        break;
      case 1:
        s.security = username_token("ada@contoso.example", flipped);
        name = "the secret with one bit changed";
        break;
      case 2:
        s.security =
            username_token("ada@contoso.example", secret.substr(0, rng.below(secret.size())));
        name = "the secret cut short";
        break;
      case 3:
        s.security = username_token("ada@contoso.example", secret + "0");
        name = "the secret with a character added";
        break;
      case 4: {
        auto upper = secret;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        s.security = username_token("ada@contoso.example", upper);
        name = "the secret upper-cased";
        break;
      }
      case 5:
        s.security = username_token(secret, "password");
        name = "the secret as the Username";
        break;
      case 6:
        s.security = replace_once(username_token("ada@contoso.example", secret), "<wsse:Password",
                                  "<wsse:Nonce");
        s.security = replace_once(s.security, "</wsse:Password>", "</wsse:Nonce>");
        name = "the secret as a Nonce, no Password";
        break;
      case 7:
        // WS-Security UsernameToken profile 3.1: a digest, which this service does not take.
        s.security = replace_once(
            username_token("ada@contoso.example", base64_encode(to_bytes(rng.bytes(20)))),
            "#PasswordText", "#PasswordDigest");
        name = "a PasswordDigest";
        break;
      case 8:
        s.security = replace_once(
            replace_once(username_token("ada@contoso.example", secret), win::soap::kSecurityNs,
                         "http://schemas.xmlsoap.org/ws/2002/07/secext"),
            " s:mustUnderstand=\"1\"", "");
        name = "the UsernameToken in the 2002 WS-Security namespace";
        break;
      default:
        s.security = username_token("ada@contoso.example", "");
        name = "an empty Password";
        break;
    }
    out.push_back(windows_case(ep.endpoint, mutation::forged, name, ep.target, kSoapHeaders,
                               s.text(), authentication("the enrollment secret is required"),
                               i % 2 == 1));
  }
}

// Forged federated tokens (the sign-in page's STS token in a BinarySecurityToken): none of
// them was issued by the server, so each is 401 s:Authentication, like a wrong secret.
std::string binary_token(const std::string& value_type, const std::string& value) {
  std::string out = "<wsse:Security xmlns:wsse=\"";
  out += win::soap::kSecurityNs;
  out += "\" s:mustUnderstand=\"1\"><wsse:BinarySecurityToken ValueType=\"";
  out += value_type;
  out += "\" EncodingType=\"";
  out += win::soap::kSecurityNs;
  out += "#base64binary\">";
  out += value;
  out += "</wsse:BinarySecurityToken></wsse:Security>";
  return out;
}

void add_forged_tokens(Rng& rng, const Materials& m, const SoapEndpoint& ep,
                       std::vector<Case>& out) {
  const std::string user_token =
      "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/"
      "DeviceEnrollmentUserToken";
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(m.now.time_since_epoch()).count();
  const nlohmann::json claims{{"upn", "ada@contoso.example"},
                              {"sub", "ada@contoso.example"},
                              {"iat", now},
                              {"nbf", now},
                              {"exp", now + 3600}};
  auto segment = [](const std::string& text) { return base64url_encode(to_bytes(text)); };
  auto other_key = crypto::sign_rs256(claims, m.keys.at(2), "wstep").value();
  for (int i = 0; i < kPerClass; ++i) {
    std::string name, jwt, type = user_token;
    bool raw = false;
    switch (i % 10) {
      case 0:
        name = "an RS256 token signed by another key";
        jwt = other_key;
        break;
      case 1:
        name = "alg none";
        jwt = segment(R"({"alg":"none"})") + "." + segment(claims.dump()) + ".";
        break;
      case 2:
        name = "HS256 with a made-up secret";
        jwt = segment(R"({"alg":"HS256","typ":"JWT"})") + "." + segment(claims.dump()) + "." +
              base64url_encode(to_bytes(rng.bytes(32)));
        break;
      case 3:
        name = "a token with its claims changed (another upn)";
        jwt = other_key.substr(0, other_key.find('.') + 1) +
              segment(nlohmann::json{{"upn", "root@contoso.example"}, {"exp", now + 3600}}.dump()) +
              other_key.substr(other_key.rfind('.'));
        break;
      case 4:
        name = "an Entra-style token type the server does not take";
        type = "urn:ietf:params:oauth:token-type:jwt";
        jwt = other_key;
        break;
      case 5:
        name = "a value that is not base64";
        jwt = "**not base64**";
        raw = true;
        break;
      case 6:
        name = "an empty token";
        raw = true;
        break;
      case 7:
        name = "a header whose alg is a number";
        jwt = segment(R"({"alg":0})") + "." + segment(claims.dump()) + ".AAAA";
        break;
      case 8:
        name = "random bytes";
        jwt = base64_encode(to_bytes(rng.bytes(rng.between(1, 200))));
        raw = true;
        break;
      default:
        name = "two parts only";
        jwt = other_key.substr(0, other_key.rfind('.'));
        break;
    }
    auto s = ep.message;
    s.security = binary_token(type, raw ? jwt : base64_encode(to_bytes(jwt)));
    out.push_back(windows_case(
        ep.endpoint, mutation::forged, "federated: " + name, ep.target, kSoapHeaders, s.text(),
        authentication("a token the server's sign-in page issued"), i % 2 == 1));
  }
}

void add_discovery(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const auto& w = m.windows;
  SoapEndpoint ep;
  ep.endpoint = kDiscovery;
  ep.target = "/EnrollmentServer/Discovery.svc";
  ep.message.action = win::discovery::kDiscoverAction;
  ep.message.to = w.base_url + ep.target;
  ep.message.body = win::discovery::encode_discover(
      {"ada@contoso.example", "4.0", "CIMClient_Windows", "10.0.22631.1", "48", {"OnPremise"}});
  add_soap_envelope_cases(rng, ep, out);
  const auto& d = ep.message.body;
  const std::string ns = win::discovery::kNamespace;
  for (int i = 0; i < kPerClass; ++i) {
    const auto depth = rng.between(1000, 60000);
    std::string open, close;
    for (std::size_t k = 0; k < depth; ++k) open += "<n>";
    for (std::size_t k = 0; k < depth; ++k) close += "</n>";
    std::string name, body;
    switch (i % 10) {
      case 0:
        name = "GetPolicies under the Discover Action";
        body = win::xcep::encode_get_policies({});
        break;
      case 1:
        name = "Discover without request";
        body = "<Discover xmlns=\"" + ns + "\"/>";
        break;
      case 2:
        name = "request without RequestVersion";
        body = replace_once(d, "<RequestVersion>4.0</RequestVersion>", "");
        break;
      case 3:
        name = "RequestVersion one level too deep";
        body = replace_once(d, "<RequestVersion>4.0</RequestVersion>",
                            "<x><RequestVersion>4.0</RequestVersion></x>");
        break;
      case 4:
        name = "Discover wrapped in another element";
        body = "<Wrapper xmlns=\"" + ns + "\">" + d + "</Wrapper>";
        break;
      case 5:
        name = "Discover in another namespace";
        body = replace_once(d, ns, "urn:example:discovery");
        break;
      case 6:
        name = "RequestVersion " + std::to_string(depth) + " levels deep";
        body = replace_once(d, "<RequestVersion>4.0</RequestVersion>",
                            open + "<RequestVersion>4.0</RequestVersion>" + close);
        break;
      case 7:
        name = std::to_string(depth) + " nested elements for a Body";
        body = open + close;
        break;
      case 8:
        name = "an empty RequestVersion";
        body = replace_once(d, ">4.0<", "><");
        break;
      default:
        name = "RequestVersion of whitespace";
        body = replace_once(d, ">4.0<", "> \t\r\n <");
        break;
    }
    auto s = ep.message;
    s.body = body;
    out.push_back(windows_case(kDiscovery, mutation::nesting, name, ep.target, kSoapHeaders,
                               s.text(), message_format("not a Discover request (MS-MDE2 2.2.4)"),
                               i % 2 == 1));
  }
}

void add_policy(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const auto& w = m.windows;
  SoapEndpoint ep;
  ep.endpoint = kPolicy;
  ep.target = "/api/mdm/microsoft/policy";
  ep.secret = w.secret;
  ep.message.action = win::xcep::kGetPoliciesAction;
  ep.message.to = w.base_url + ep.target;
  ep.message.security = username_token("ada@contoso.example", w.secret);
  ep.message.body = win::xcep::encode_get_policies({});
  add_soap_envelope_cases(rng, ep, out);
  add_forged(rng, ep, out);
  add_forged_tokens(rng, m, ep, out);
  const std::string ns = win::xcep::kNamespace;
  for (int i = 0; i < kPerClass; ++i) {
    std::string name, body;
    switch (i % 5) {
      case 0:
        name = "GetPolicies without client";
        body = "<GetPolicies xmlns=\"" + ns + "\"><requestFilter/></GetPolicies>";
        break;
      case 1:
        name = "client one level too deep";
        body = replace_once(ep.message.body, "<client>", "<x><client>");
        body = replace_once(body, "</client>", "</client></x>");
        break;
      case 2:
        name = "GetPolicies in another namespace";
        body = replace_once(ep.message.body, ns, "urn:example:xcep");
        break;
      case 3:
        name = "a Discover under the GetPolicies Action";
        body = win::discovery::encode_discover({"a@b", "4.0", "", "", "", {}});
        break;
      default: {
        const auto depth = rng.between(1000, 60000);
        name = std::to_string(depth) + " nested elements for a Body";
        body.reserve(depth * 7);
        for (std::size_t k = 0; k < depth; ++k) body += "<client>";
        for (std::size_t k = 0; k < depth; ++k) body += "</client>";
        break;
      }
    }
    auto s = ep.message;
    s.body = body;
    out.push_back(windows_case(kPolicy, mutation::nesting, name, ep.target, kSoapHeaders, s.text(),
                               message_format("not a GetPolicies request (MS-XCEP)"), i % 2 == 1));
  }
}

void add_enroll(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const auto& w = m.windows;
  SoapEndpoint ep;
  ep.endpoint = kEnroll;
  ep.target = "/api/mdm/microsoft/enroll";
  ep.secret = w.secret;
  ep.message.action = win::wstep::kRstAction;
  ep.message.to = w.base_url + ep.target;
  ep.message.security = username_token("ada@contoso.example", w.secret);
  ep.message.body = win::wstep::encode_rst(valid_rst(m));
  add_soap_envelope_cases(rng, ep, out);
  add_forged(rng, ep, out);
  add_forged_tokens(rng, m, ep, out);
  auto send = [&](const char* cls, int i, const std::string& name,
                  const win::wstep::RequestSecurityToken& r, Expected want) {
    auto s = ep.message;
    s.body = win::wstep::encode_rst(r);
    out.push_back(windows_case(kEnroll, cls, name, ep.target, kSoapHeaders, s.text(),
                               std::move(want), i % 2 == 1));
  };
  auto send_xml = [&](const char* cls, int i, const std::string& name, const std::string& body,
                      Expected want) {
    auto s = ep.message;
    s.body = body;
    out.push_back(windows_case(kEnroll, cls, name, ep.target, kSoapHeaders, s.text(),
                               std::move(want), i % 2 == 1));
  };
  const auto good_b64 = base64_encode(to_bytes(w.csr_der));
  const auto rst_xml = ep.message.body;
  // The PKCS#10 request: missing, empty, not PKCS#10, not verifying, with bytes after it.
  for (int i = 0; i < kPerClass; ++i) {
    auto r = valid_rst(m);
    auto csr = r.csr_der;
    std::string name;
    Expected want = certificate_request("not a PKCS#10 request that verifies (MS-WSTEP)");
    switch (i % 10) {
      case 0:
        send_xml(mutation::csr, i, "no BinarySecurityToken",
                 rst_xml.substr(0, rst_xml.find("<wsse:BinarySecurityToken")) +
                     rst_xml.substr(rst_xml.find("</wsse:BinarySecurityToken>") + 27),
                 message_format("an RST without the request"));
        continue;
      case 1:
        send_xml(mutation::csr, i, "an empty BinarySecurityToken",
                 replace_once(rst_xml, good_b64, ""), message_format("an empty request"));
        continue;
      case 2:
        r.csr_der = to_bytes(rng.bytes(rng.between(16, 600)));
        name = "random bytes";
        break;
      case 3:
        r.csr_der = w.pc.cert.to_der();
        name = "a certificate (the PC's)";
        break;
      case 4:
        r.csr_der.resize(rng.between(1, csr.size() - 1));
        name = "the request cut at byte " + std::to_string(r.csr_der.size());
        break;
      case 5:
        r.csr_der[csr.size() - 1 - rng.below(200)] ^= 0x01;
        name = "one bit of the signature changed";
        want = certificate_request("the request's signature does not verify");
        break;
      case 6: {
        const auto at = w.csr_der.find("HOSTILE-NEW-PC");
        r.csr_der[at + rng.below(14)] ^= 0x02;
        name = "one bit of the signed subject changed";
        want = certificate_request("the request's signature does not verify");
        break;
      }
      case 7:
        r.csr_der = to_bytes("-----BEGIN CERTIFICATE REQUEST-----\n" + good_b64 +
                             "\n-----END CERTIFICATE REQUEST-----\n");
        name = "the request as PEM text";
        break;
      case 8:
        r.csr_der = {0x30, 0x00};
        name = "an empty SEQUENCE";
        break;
      default:
        // X.690 10.1 / RFC 2986: one DER CertificationRequest, nothing after it.
        r.csr_der.push_back(0x00);
        for (std::size_t k = rng.below(32); k > 0; --k)
          r.csr_der.push_back(static_cast<std::uint8_t>(rng.below(256)));
        name = "a valid request followed by " + std::to_string(r.csr_der.size() - csr.size()) +
               " more bytes";
        break;
    }
    send(mutation::csr, i, name, r, std::move(want));
  }
  static const std::string kBad = "*!$#@%^()[]{}~;:,?|\"'";
  for (int i = 0; i < kPerClass; ++i) {
    auto b64 = good_b64;
    std::string name;
    switch (i % 4) {
      case 0: {
        const auto c = kBad[rng.below(kBad.size())];
        b64.insert(rng.below(b64.size()), 1, c);
        name = std::string("a '") + c + "' inside";
        break;
      }
      case 1:
        b64.insert(rng.between(4, b64.size() - 8), "=");
        name = "padding inside";
        break;
      case 2:
        b64 = b64.substr(0, b64.find('='));
        do b64 += 'A';
        while (b64.size() % 4 != 1);
        name = "a group of one character at the end";
        break;
      default:
        b64 = "%" + b64;
        name = "percent-encoded";
        break;
    }
    std::string quoted;
    for (char c : b64) quoted += c == '"' ? std::string("&quot;") : std::string(1, c);
    send_xml(mutation::bad_base64, i, name, replace_once(rst_xml, good_b64, quoted),
             message_format("the BinarySecurityToken is not base64"));
  }
  // DeviceIDs no certificate may name (CN = DeviceID): letters, digits, '-', '{', '}'; 1-64.
  for (int i = 0; i < kPerClass; ++i) {
    auto r = valid_rst(m);
    std::string id, name;
    switch (i % 10) {
      case 0:
        r.context.erase(r.context.begin());
        name = "no DeviceID";
        break;
      case 1:
        id = "";
        name = "an empty DeviceID";
        break;
      case 2:
        id = std::string(65 + rng.below(2000), 'A');
        name = "a DeviceID of " + std::to_string(id.size()) + " characters";
        break;
      case 3:
        id = "HOSTILE/../PC";
        name = "a DeviceID with '/'";
        break;
      case 4:
        id = "HOSTILE PC";
        name = "a DeviceID with a space";
        break;
      case 5:
        id = "CN=HOSTILE,O=mdmlab";
        name = "a DeviceID with '=' and ','";
        break;
      case 6:
        id = "HOSTILE<PC>&";
        name = "a DeviceID with XML specials";
        break;
      case 7:
        id = "HOSTIL\xC3\x89-PC";
        name = "a DeviceID with a non-ASCII letter";
        break;
      case 8:
        id = "HOSTILE\r\nPC";
        name = "a DeviceID with a line break inside";
        break;
      default:
        r.context.insert(r.context.begin(), {"DeviceID", "HOSTILE%PC"});
        name = "DeviceID twice, a bad one first";
        break;
    }
    if (i % 10 != 0 && i % 10 != 9) r.context[0].second = id;
    send(mutation::device_id, i, name, r,
         message_format("AdditionalContext has no usable DeviceID (it becomes the CN)"));
  }
  // RequestType Issue of a DeviceEnrollmentToken only (MS-MDE2 2.2.6.1); Renew is not served.
  for (int i = 0; i < kPerClass; ++i) {
    auto r = valid_rst(m);
    std::string name;
    switch (i % 5) {
      case 0:
        r.request_type = win::wstep::kRenew;
        name = "RequestType Renew";
        break;
      case 1:
        r.request_type = rng.below(2) ? "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Validate"
                                      : "http://schemas.xmlsoap.org/ws/2005/02/trust/Issue";
        name = "RequestType " + r.request_type;
        break;
      case 2:
        r.request_type = rng.below(2) ? "" : std::string(win::wstep::kIssue) + "/";
        name = "RequestType '" + r.request_type + "'";
        break;
      case 3:
        r.request_type = "http://docs.oasis-open.org/ws-sx/ws-trust/200512/issue";
        name = "RequestType issue (lower-case)";
        break;
      default:
        r.token_type = rng.below(2) ? "urn:example:token" : "";
        name = "TokenType '" + r.token_type + "'";
        break;
    }
    send(mutation::request_type, i, name, r,
         message_format("an Issue of a DeviceEnrollmentToken only"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    std::string name, body;
    switch (i % 5) {
      case 0:
        name = "the RST wrapped in another element";
        body = "<Wrapper xmlns=\"" + std::string(win::wstep::kTrustNs) + "\">" + rst_xml +
               "</Wrapper>";
        break;
      case 1:
        name = "the BinarySecurityToken inside AdditionalContext";
        body = replace_once(rst_xml, "<ac:AdditionalContext>", "");
        body = replace_once(body, "<wsse:BinarySecurityToken",
                            "<ac:AdditionalContext><wsse:BinarySecurityToken");
        break;
      case 2: {
        auto r = valid_rst(m);
        const auto n = 257 + rng.below(500);
        for (std::size_t k = r.context.size(); k < n; ++k)
          r.context.emplace_back("Extra" + std::to_string(k), "x");
        name = std::to_string(n) + " ContextItems";
        body = win::wstep::encode_rst(r);
        break;
      }
      case 3:
        name = "ContextItems outside AdditionalContext";
        body = replace_once(replace_once(rst_xml, "<ac:AdditionalContext>", ""),
                            "</ac:AdditionalContext>", "");
        break;
      default: {
        const auto depth = rng.between(1000, 30000);
        std::string open, close;
        for (std::size_t k = 0; k < depth; ++k) open += "<ac:AdditionalContext>";
        for (std::size_t k = 0; k < depth; ++k) close += "</ac:AdditionalContext>";
        name = "AdditionalContext " + std::to_string(depth) + " levels deep";
        body = replace_once(replace_once(rst_xml, "<ac:AdditionalContext>", open),
                            "</ac:AdditionalContext>", close);
        break;
      }
    }
    send_xml(mutation::nesting, i, name, body,
             message_format(i % 5 == 1 ? "an RST without the request"
                                       : "no RST, or no usable DeviceID in it"));
  }
}
}  // namespace

void add_windows_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  add_discovery(rng, m, out);
  add_policy(rng, m, out);
  add_enroll(rng, m, out);
}

}  // namespace mdmlab::testing::hostile
