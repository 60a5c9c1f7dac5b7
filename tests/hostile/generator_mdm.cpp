// Apple MDM cases: check-in (PUT /mdm/checkin) and the command loop (PUT /mdm/apple/mdm), over
// HTTPS with mac A's client certificate unless the case is about identity; plain HTTP with an
// Mdm-Signature header for forged signatures and for the HTTP-level classes.
#include <openssl/x509.h>

#include "crypto/ca.hpp"
#include "crypto/cms.hpp"
#include "protocol/apple/checkin.hpp"
#include "protocol/apple/command.hpp"
#include "tests/hostile/generator.hpp"
#include "tests/hostile/plist_edit.hpp"

namespace mdmlab::testing::hostile {
namespace {
using namespace mdmlab::apple;

const std::string kCheckin = "PUT /mdm/checkin";
const std::string kCommand = "PUT /mdm/apple/mdm";

struct Message {
  std::string name;
  std::string xml;
};

std::vector<Message> checkins(const std::string& udid) {
  std::vector<Message> out;
  Checkin a;
  a.type = CheckinType::authenticate;
  a.udid = udid;
  a.topic = "com.apple.mgmt.External.mdmlab";
  a.serial_number = "SN-" + udid;
  a.model = "Mac14,2";
  a.os_version = "14.5";
  a.device_name = "Hostile Mac";
  out.push_back({"Authenticate", encode_checkin(a).value()});
  Checkin t;
  t.type = CheckinType::token_update;
  t.udid = udid;
  t.topic = a.topic;
  t.token = Bytes(32, 0x42);
  t.push_magic = "MAGIC-" + udid;
  t.unlock_token = Bytes(24, 0x17);
  out.push_back({"TokenUpdate", encode_checkin(t).value()});
  Checkin o;
  o.type = CheckinType::check_out;
  o.udid = udid;
  o.topic = a.topic;
  out.push_back({"CheckOut", encode_checkin(o).value()});
  Checkin b;
  b.type = CheckinType::set_bootstrap_token;
  b.udid = udid;
  b.topic = a.topic;
  b.bootstrap_token = Bytes(48, 0x33);
  out.push_back({"SetBootstrapToken", encode_checkin(b).value()});
  return out;
}

std::vector<Message> reports(const std::string& udid, const std::string& command) {
  std::vector<Message> out;
  out.push_back(
      {"Idle", encode_command_report({CommandStatus::idle, udid, "", "", {}, {}}).value()});
  plist::Value fields, answers;
  answers.set("OSVersion", "14.5");
  answers.set("DeviceName", "Hostile Mac");
  answers.set("EthernetMAC", Bytes{0, 1, 2, 3, 4, 5});
  fields.set("QueryResponses", answers);
  out.push_back(
      {"Acknowledged",
       encode_command_report({CommandStatus::acknowledged, udid, "", command, {}, {}}, fields)
           .value()});
  CommandReport e{CommandStatus::error, udid, "", command, {}, {}};
  e.error_chain.push_back({12021, "MCMDMErrorDomain", "Unknown command", "Unknown command"});
  out.push_back({"Error", encode_command_report(e).value()});
  out.push_back(
      {"NotNow",
       encode_command_report({CommandStatus::not_now, udid, "", command, {}, {}}).value()});
  return out;
}

net::HttpRequest put(const std::string& target, const std::string& content_type,
                     const std::string& body) {
  net::HttpRequest r;
  r.method = "PUT";
  r.target = target;
  if (!content_type.empty()) r.headers.emplace_back("Content-Type", content_type);
  r.body = body;
  return r;
}

std::string digits(Rng& rng, std::size_t n) {
  std::string s(1, static_cast<char>('1' + rng.below(9)));
  while (s.size() < n) s += static_cast<char>('0' + rng.below(10));
  return s;
}

// One malformed structure (see generator.hpp); `name` says which.
Message nest(Rng& rng, const Message& base) {
  auto xml = base.xml;
  auto keys = plist_keys(xml);
  const auto& key = rng.pick(keys);
  auto dict = xml.find("<dict>");
  auto plist_open = xml.find("<plist");
  auto plist_gt = xml.find('>', plist_open) + 1;
  auto plist_close = xml.rfind("</plist>");
  switch (rng.below(14)) {
    case 0:
      return {"root dict inside an <array>", xml.substr(0, plist_gt) + "<array>" +
                                                 xml.substr(plist_gt, plist_close - plist_gt) +
                                                 "</array>" + xml.substr(plist_close)};
    case 1:
      return {"<key>" + key + "</key> without its value", replace(xml, *value_span(xml, key), "")};
    case 2:
      return {"a <dict> inside <key>" + key + "</key>",
              replace(xml, *key_span(xml, key), "<key><dict/></key>")};
    case 3:
      return {"an element inside the value of " + key,
              replace(xml, *value_span(xml, key), "<string>x<dict/></string>")};
    case 4: {
      auto last = xml.rfind("</dict>");
      return {"last </dict> closed as </array>", replace(xml, {last, last + 7}, "</array>")};
    }
    case 5:
      return {"two values in <plist>",
              xml.substr(0, plist_close) + "<string>second</string>\n" + xml.substr(plist_close)};
    case 6:
      return {"no <plist> root", xml.substr(plist_gt, plist_close - plist_gt)};
    case 7:
      return {"<plist> inside <plist>", xml.substr(0, plist_gt) + "<plist>" +
                                            xml.substr(plist_gt, plist_close - plist_gt) +
                                            "</plist>" + xml.substr(plist_close)};
    case 8:
      return {"unknown element as the value of " + key,
              replace(xml, *value_span(xml, key), "<foo>bar</foo>")};
    case 9: {
      std::string deep;
      for (int i = 0; i < 130; ++i) deep += "<array>";
      deep += "<string>deep</string>";
      for (int i = 0; i < 130; ++i) deep += "</array>";
      return {"130 nested arrays as the value of " + key,
              replace(xml, *value_span(xml, key), deep)};
    }
    case 10: {
      const std::string id =
          xml.find("<key>UDID</key>") != std::string::npos ? "UDID" : "MessageType";
      return {"a <dict> as " + id, replace(xml, *value_span(xml, id),
                                           "<dict><key>" + id + "</key><string>X</string></dict>")};
    }
    case 11:
      return {"stray text inside <dict>", xml.substr(0, dict + 6) + "junk" + xml.substr(dict + 6)};
    case 12: {
      auto last = xml.rfind("</dict>");
      return {"unclosed <dict>", replace(xml, {last, last + 7}, "")};
    }
    default:
      return {"root <dict> turned into an <array> of keys",
              replace(replace(xml, {xml.rfind("</dict>"), xml.rfind("</dict>") + 7}, "</array>"),
                      {dict, dict + 6}, "<array>")};
  }
}

Message duplicate(Rng& rng, const Message& base, const std::string& other_udid) {
  const auto& xml = base.xml;
  auto key = rng.pick(plist_keys(xml));
  auto k = *key_span(xml, key);
  auto v = *value_span(xml, key);
  std::string value = xml.substr(v.begin, v.end - v.begin);
  std::string how = "same value";
  if (rng.below(2)) {
    value = key == "UDID" ? "<string>" + other_udid + "</string>" : "<string>other</string>";
    how = "another value";
  }
  std::string dup = "<key>" + key + "</key>" + value;
  bool before = rng.below(2);
  return {"duplicate <key>" + key + "</key>, " + how + (before ? ", first" : ", second"),
          before ? xml.substr(0, k.begin) + dup + xml.substr(k.begin)
                 : xml.substr(0, v.end) + dup + xml.substr(v.end)};
}

Message bad_utf8(Rng& rng, const Message& base) {
  const auto& xml = base.xml;
  if (rng.below(4) == 0) {  // in a key name
    auto key = rng.pick(plist_keys(xml));
    return {"invalid UTF-8 in <key>" + key + "</key>",
            replace(xml, *key_span(xml, key), "<key>" + with_invalid_utf8(rng, key) + "</key>")};
  }
  auto key = rng.pick(plist_keys_of_type(xml, "string"));
  auto in = *inner_span(xml, *value_span(xml, key));
  auto text = with_invalid_utf8(rng, xml.substr(in.begin, in.end - in.begin));
  return {"invalid UTF-8 in the value of " + key + ": " + percent_all(text),
          replace(xml, in, text)};
}

Message numbers(Rng& rng, const Message& base, int i, const std::vector<std::string>& typed_keys,
                const std::vector<std::string>& lax_keys) {
  const auto& xml = base.xml;
  std::string key, value, what;
  if (i % 10 < 7 || typed_keys.empty()) {
    key = rng.pick(plist_keys(xml));
    switch (rng.below(3)) {
      case 0:
        value = digits(rng, rng.between(20, 30));
        break;
      case 1:
        value = "-" + digits(rng, rng.between(20, 30));
        break;
      default:
        value = "0x1" + std::string(rng.between(16, 20), 'F');
        break;
    }
    what = "overflowing";
  } else {
    const auto& keys = i % 10 < 9 || lax_keys.empty() ? typed_keys : lax_keys;
    key = rng.pick(keys);
    if (!value_span(xml, key)) key = typed_keys.front();
    value = "-" + std::to_string(rng.between(1, 1000000));
    what = "negative";
  }
  return {what + " <integer>" + value + "</integer> as " + key,
          replace(xml, *value_span(xml, key), "<integer>" + value + "</integer>")};
}

Message bad_data(Rng& rng, const Message& base) {
  const auto& xml = base.xml;
  auto key = rng.pick(plist_keys_of_type(xml, "data"));
  auto in = *inner_span(xml, *value_span(xml, key));
  static const std::string kBad = "*!$%&()[]{}<>?;:~^|";
  std::string text = xml.substr(in.begin, in.end - in.begin);
  int n = 1 + static_cast<int>(rng.below(3));
  for (int k = 0; k < n; ++k) {
    auto c = kBad[rng.below(kBad.size())];
    std::string repl = c == '<'   ? "&lt;"
                       : c == '&' ? "&amp;"
                       : c == '>' ? "&gt;"
                                  : std::string(1, c);
    text.insert(rng.below(text.size() + 1), repl);
  }
  return {"bad base64 in <data> of " + key, replace(xml, in, text)};
}

// A plist body the decoder must refuse: 400.
Expected malformed(const std::string& what) {
  return expect::bad_request(what + " is not a valid message for this endpoint");
}

// A Content-Type the endpoint does not take on a body that is not its message either: 415 for
// the label (RFC 9110 §15.5.16) or 400 for the body, whichever check the server makes first.
Expected wrong_type_and_body() {
  return Expected::statuses({415, 400},
                            "a Content-Type the endpoint does not take (415) on a body that is "
                            "not its message (400)");
}

struct Signer {
  const Materials& m;
  std::string sign(const std::string& body, const crypto::Certificate& cert,
                   const crypto::PrivateKey& key) const {
    crypto::SignOptions o;
    o.detached = true;
    return base64_encode(crypto::cms_sign(to_bytes(body), cert, key, {}, o).value());
  }
};

void add_endpoint(Rng& rng, const Materials& m, const std::string& endpoint,
                  const std::string& target, const std::string& content_type,
                  const std::vector<Message>& mine, const std::vector<Message>& others,
                  const std::vector<Message>& for_b, const std::vector<std::string>& typed_keys,
                  const std::vector<std::string>& lax_keys, std::vector<Case>& out) {
  auto tls = [&](const char* cls, const std::string& name, const std::string& ct,
                 const std::string& body, Expected want, ClientCert cert = ClientCert::mac_a) {
    out.push_back(tls_case(endpoint, cls, name, put(target, ct, body), cert, std::move(want)));
  };
  for (int i = 0; i < kPerClass; ++i) {
    const auto& b = rng.pick(mine);
    auto cut = rng.between(1, b.xml.rfind("</plist>") + 7);
    tls(mutation::truncation, b.name + " cut at " + std::to_string(cut), content_type,
        b.xml.substr(0, cut), malformed("a plist cut short"));
  }
  static const std::vector<std::string> kTypes = {"text/plain",
                                                  "application/xml",
                                                  "",
                                                  "application/json",
                                                  "application/x-www-form-urlencoded",
                                                  "application/octet-stream",
                                                  "multipart/form-data; boundary=x"};
  for (int i = 0; i < kPerClass; ++i) {
    if (endpoint == kCheckin) {  // a command-loop message at the check-in URL
      const auto& b = rng.pick(others);
      auto ct = i % 2 ? std::string(kCheckinContentType) : rng.pick(kTypes);
      tls(mutation::content_type, b.name + " report as '" + ct + "'", ct, b.xml,
          i % 2 ? malformed("a command report") : wrong_type_and_body());
    } else if (i % 10 == 9) {  // prefix of the check-in type, not the type
      const auto& b = rng.pick(others);
      tls(mutation::content_type,
          b.name + " check-in as '" + std::string(kCheckinContentType) + "-x'",
          std::string(kCheckinContentType) + "-x", b.xml, wrong_type_and_body());
    } else if (i % 2) {  // a check-in labelled as something else falls to the command loop
      const auto& b = rng.pick(others);
      auto ct = rng.pick(kTypes);
      tls(mutation::content_type, b.name + " check-in as '" + ct + "'", ct, b.xml,
          wrong_type_and_body());
    } else {  // a report labelled as a check-in
      const auto& b = rng.pick(mine);
      tls(mutation::content_type, b.name + " report as a check-in", kCheckinContentType, b.xml,
          malformed("a command report labelled as a check-in"));
    }
  }
  add_http_huge(rng, {endpoint, "PUT", target, {{"Content-Type", content_type}}, ""}, m.body_limit,
                kPerClass, out);
  add_http_numbers(rng,
                   {endpoint, "PUT", target, {{"Content-Type", content_type}}, mine.front().xml},
                   kPerClass / 2, out);
  for (int i = 0; i < kPerClass; ++i) {
    auto msg = nest(rng, rng.pick(mine));
    tls(mutation::nesting, msg.name, content_type, msg.xml,
        malformed("a plist in the wrong shape"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto msg = duplicate(rng, rng.pick(mine), m.mac_b.udid);
    tls(mutation::duplicate_keys, msg.name, content_type, msg.xml,
        malformed("a <dict> with a key twice"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto msg = bad_utf8(rng, rng.pick(mine));
    tls(mutation::invalid_utf8, msg.name, content_type, msg.xml,
        malformed("a plist with invalid UTF-8"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto msg = numbers(rng, rng.pick(mine), i, typed_keys, lax_keys);
    tls(mutation::numbers, msg.name, content_type, msg.xml,
        malformed("an out-of-range or wrongly typed <integer>"));
  }
  std::vector<Message> with_data;
  for (const auto& b : mine)
    if (!plist_keys_of_type(b.xml, "data").empty()) with_data.push_back(b);
  for (int i = 0; i < kPerClass; ++i) {
    auto msg = bad_data(rng, rng.pick(with_data));
    tls(mutation::bad_base64, msg.name, content_type, msg.xml,
        malformed("<data> that is not base64"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    switch (i % 3) {
      case 0: {
        const auto& b = rng.pick(for_b);
        tls(mutation::identity, b.name + " for mac B with mac A's certificate", content_type, b.xml,
            expect::forbidden("a certificate bound to another device"));
        break;
      }
      case 1: {
        const auto& b = rng.pick(mine);
        tls(mutation::identity, b.name + " without a client certificate", content_type, b.xml,
            expect::unauthorized("no device identity"), ClientCert::none);
        break;
      }
      default: {
        const auto& b = rng.pick(mine);
        tls(mutation::identity, b.name + " for mac A with mac B's certificate", content_type, b.xml,
            expect::forbidden("a certificate bound to another device"), ClientCert::mac_b);
        break;
      }
    }
  }
  // Forged and expired Mdm-Signature headers, on the plain listener.
  Signer s{m};
  crypto::CertificateAuthority our_ca(m.ca, m.ca_key);
  auto foreign_ca = crypto::CertificateAuthority::create_root(
                        m.keys.at(1), {{"CN", "Not the mdmlab CA"}}, m.now, std::chrono::hours(24))
                        .value();
  auto self_signed =
      crypto::make_self_signed(m.mac_a.key, {{"CN", m.mac_a.udid}}, m.now, std::chrono::hours(1))
          .value();
  for (int i = 0; i < kPerClass; ++i) {
    const auto& b = rng.pick(mine);
    std::string sig, name;
    // No verifiable identity from a trusted CA: 401; a valid one bound to another device: 403.
    Expected want = expect::unauthorized("no valid Mdm-Signature from a trusted identity");
    switch (i % 10) {
      case 0:
        sig = s.sign(b.xml + " ", m.mac_a.cert, m.mac_a.key);
        name = "signature over other bytes";
        break;
      case 1:
        sig = "this is not base64!";
        name = "signature not base64";
        break;
      case 2:
        sig = base64_encode(to_bytes(rng.bytes(rng.between(16, 600))));
        name = "random bytes as signature";
        break;
      case 3: {
        auto good = s.sign(b.xml, m.mac_a.cert, m.mac_a.key);
        sig = good.substr(0, rng.between(4, good.size() - 4) / 4 * 4);
        name = "truncated signature";
        break;
      }
      case 4:
        sig = s.sign(b.xml, self_signed, m.mac_a.key);
        name = "signed by a self-signed copy of mac A";
        break;
      case 5: {
        crypto::IssueOptions o;
        o.validity = std::chrono::hours(1);
        auto old =
            our_ca
                .issue(m.mac_a.key.get(), X509_get_subject_name(m.mac_a.cert.get()), o,
                       m.now - std::chrono::hours(24 * static_cast<int>(rng.between(2, 400))))
                .value();
        sig = s.sign(b.xml, old, m.mac_a.key);
        name = "signed by an expired certificate of our CA";
        break;
      }
      case 6:
        sig = s.sign(b.xml, m.mac_b.cert, m.mac_b.key);
        name = "mac A's message signed by mac B";
        want = expect::forbidden("a certificate bound to another device");
        break;
      case 7: {
        auto der = base64_decode(s.sign(b.xml, m.mac_a.cert, m.mac_a.key)).value();
        auto k = rng.between(1, 200);
        der[der.size() - k] ^= static_cast<std::uint8_t>(1 + rng.below(255));
        sig = base64_encode(der);
        name = "signature byte -" + std::to_string(k) + " flipped";
        break;
      }
      case 8:
        sig = "";
        name = "empty Mdm-Signature";
        break;
      default: {
        auto cert =
            foreign_ca
                .issue(m.mac_a.key.get(), X509_get_subject_name(m.mac_a.cert.get()), {}, m.now)
                .value();
        sig = s.sign(b.xml, cert, m.mac_a.key);
        name = "signed by a foreign CA's copy of mac A";
        break;
      }
    }
    out.push_back(raw_case(
        endpoint, mutation::forged, b.name + ": " + name,
        raw_request("PUT", target, {{"Content-Type", content_type}, {"Mdm-Signature", sig}}, b.xml),
        std::move(want)));
  }
}
}  // namespace

void add_mdm_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  auto a_checkins = checkins(m.mac_a.udid);
  auto a_reports = reports(m.mac_a.udid, m.queued_command);
  add_endpoint(rng, m, kCheckin, "/mdm/checkin", kCheckinContentType, a_checkins, a_reports,
               checkins(m.mac_b.udid), {"UDID", "MessageType"},
               {"Topic", "PushMagic", "SerialNumber", "DeviceName"}, out);
  add_endpoint(rng, m, kCommand, "/mdm/apple/mdm", kCommandContentType, a_reports, a_checkins,
               reports(m.mac_b.udid, m.queued_command), {"UDID", "Status", "CommandUUID"}, {}, out);
}

}  // namespace mdmlab::testing::hostile
