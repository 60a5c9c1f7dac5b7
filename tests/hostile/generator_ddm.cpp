// Declarative Device Management cases: the DeclarativeManagement check-in of enrolled Mac A
// (unknown or malformed Endpoints, status reports that are not Apple's shape, bad base64 in
// Data, another device's UDID, no client certificate) and the admin API's declaration PUT
// (declarations that are not declarations, duplicate keys, invalid UTF-8, huge numbers,
// forged bearer tokens). None may change state; a status report that does not parse stores
// nothing.
#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {
namespace {
const std::string kDdmCheckin = "PUT /mdm/checkin DeclarativeManagement";
const std::string kDdmAdmin = "PUT /admin/v1/apple/ddm/declarations";
constexpr const char* kCheckinType = "application/x-apple-aspen-mdm-checkin";

std::string xml_text(const std::string& s) {
  std::string out;
  for (char c : s)
    out += c == '<' ? "&lt;" : c == '&' ? "&amp;" : c == '>' ? "&gt;" : std::string(1, c);
  return out;
}

// The check-in as a plist written by hand, so that any bytes can go where the mutation says.
std::string checkin(const std::string& udid, const std::string& endpoint,
                    const std::string& data_base64) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
      "<key>MessageType</key><string>DeclarativeManagement</string>"
      "<key>UDID</key><string>" +
      xml_text(udid) +
      "</string><key>Topic</key><string>com.apple.mgmt.External.mdmlab</string>"
      "<key>Endpoint</key><string>" +
      xml_text(endpoint) + "</string>";
  if (!data_base64.empty()) xml += "<key>Data</key><data>" + data_base64 + "</data>";
  return xml + "</dict></plist>\n";
}

std::string status_checkin(const std::string& udid, const std::string& json) {
  return checkin(udid, "status", base64_encode(to_bytes(json)));
}

net::HttpRequest put_checkin(const std::string& body) {
  net::HttpRequest r;
  r.method = "PUT";
  r.target = "/mdm/checkin";
  r.headers.emplace_back("Content-Type", kCheckinType);
  r.body = body;
  return r;
}

const std::string kGoodStatus =
    R"({"StatusItems":{"management":{"declarations":{"configurations":[{"identifier":"pc-1",)"
    R"("active":true,"valid":"valid","server-token":"t1"}]}}},"FullReport":true})";

void add_checkin_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const auto& udid = m.mac_a.udid;
  auto tls = [&](const char* cls, std::string name, const std::string& body, Expected want,
                 ClientCert cert = ClientCert::mac_a) {
    out.push_back(
        tls_case(kDdmCheckin, cls, std::move(name), put_checkin(body), cert, std::move(want)));
  };
  const auto bad_endpoint = [] {
    return expect::bad_request(
        "DeclarativeManagement Endpoint is tokens, declaration-items, "
        "status or declaration/<kind>/<id>");
  };
  static const std::vector<std::string> kEndpoints = {"",
                                                      "token",
                                                      "tokens/",
                                                      "TOKENS",
                                                      "declaration",
                                                      "declaration/",
                                                      "declaration/configuration",
                                                      "declaration/configuration/",
                                                      "declaration/profile/x",
                                                      "declaration/configuration/a/b",
                                                      "../tokens",
                                                      "declaration-items/",
                                                      "status/x",
                                                      "declarations"};
  for (int i = 0; i < kPerClass; ++i) {
    std::string e = i < static_cast<int>(kEndpoints.size())
                        ? kEndpoints[i]
                        : "tokens" + std::to_string(rng.below(99));
    tls(mutation::nesting, "Endpoint '" + e + "'", checkin(udid, e, ""), bad_endpoint());
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto e = with_invalid_utf8(rng, i % 2 ? "tokens" : "declaration/configuration/x");
    tls(mutation::invalid_utf8, "invalid UTF-8 in Endpoint", checkin(udid, e, ""),
        expect::bad_request("a plist string that is not UTF-8"));
  }
  // Status reports: cut short, wrong shapes, duplicate keys, invalid UTF-8, huge numbers.
  for (int i = 0; i < kPerClass; ++i) {
    auto cut = rng.between(0, kGoodStatus.size() - 1);
    tls(mutation::truncation, "status JSON cut at " + std::to_string(cut),
        status_checkin(udid, kGoodStatus.substr(0, cut)),
        expect::bad_request("a status report cut short"));
  }
  static const std::vector<std::string> kShapes = {
      "[]",
      "\"status\"",
      "null",
      R"({"StatusItems":[]})",
      R"({"StatusItems":{"management":[]}})",
      R"({"StatusItems":{"management":{"declarations":[]}}})",
      R"({"StatusItems":{"management":{"declarations":{"configurations":{}}}}})",
      R"({"StatusItems":{"management":{"declarations":{"configurations":[1]}}}})",
      R"({"StatusItems":{"management":{"declarations":{"configurations":[{"valid":"valid"}]}}}})",
      R"({"StatusItems":{"management":{"declarations":{"configurations":[{"identifier":7}]}}}})",
      R"({"StatusItems":{"management":{"declarations":{"activations":[{"identifier":"a","valid":"maybe"}]}}}})",
      R"({"StatusItems":{"management":{"declarations":{"activations":[{"identifier":"a","active":"yes"}]}}}})",
      R"({"StatusItems":{"management":{"declarations":{"assets":[{"identifier":"a","reasons":{}}]}}}})",
      R"({"StatusItems":{"management":{"declarations":{"assets":[{"identifier":"a","reasons":[{"code":1}]}]}}}})",
      R"({"Errors":{}})",
      R"({"FullReport":"true"})"};
  for (int i = 0; i < kPerClass; ++i) {
    const auto& shape = kShapes[i % kShapes.size()];
    tls(mutation::nesting, "status " + shape.substr(0, 60), status_checkin(udid, shape),
        expect::bad_request("a status report in the wrong shape"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    std::string dup = i % 2 ? R"({"StatusItems":{},"StatusItems":{}})"
                            : R"({"StatusItems":{"management":{"declarations":{"configurations":)"
                              R"([{"identifier":"a","identifier":"b"}]}}}})";
    tls(mutation::duplicate_keys, "status with a key twice", status_checkin(udid, dup),
        expect::bad_request("a JSON object with a key twice"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto bad = kGoodStatus;
    auto at = bad.find("pc-1");
    bad.replace(at, 4, with_invalid_utf8(rng, "pc-1"));
    tls(mutation::invalid_utf8, "invalid UTF-8 in a status identifier", status_checkin(udid, bad),
        expect::bad_request("JSON that is not UTF-8"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    std::string n =
        (i % 2 ? "-" : "") + std::string("18446744073709551616") + std::string(rng.below(20), '9');
    tls(mutation::numbers, "an integer beyond 64 bits in Errors",
        status_checkin(udid, R"({"Errors":[)" + n + "]}"),
        expect::bad_request("an integer JSON cannot hold exactly"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto body = status_checkin(udid, kGoodStatus);
    auto at = body.find("<data>") + 6 + rng.below(20);
    body.insert(at, std::string(1, "*!$%()[]{}?;:~^|"[rng.below(16)]));
    tls(mutation::bad_base64, "status Data that is not base64", body,
        expect::bad_request("<data> that is not base64"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    const auto endpoint = i % 2 ? std::string("tokens") : std::string("status");
    const auto data = i % 2 ? std::string() : base64_encode(to_bytes(kGoodStatus));
    if (i % 4 < 2)
      tls(mutation::identity, endpoint + " for mac B with mac A's certificate",
          checkin(m.mac_b.udid, endpoint, data),
          expect::forbidden("a certificate bound to another device"));
    else
      tls(mutation::identity, endpoint + " without a client certificate",
          checkin(udid, endpoint, data), expect::unauthorized("no device identity"),
          ClientCert::none);
  }
}

void add_admin_ddm_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const std::string target = "/admin/v1/apple/ddm/declarations";
  const net::Headers good{{"Authorization", "Bearer " + m.admin_token},
                          {"Content-Type", "application/json"}};
  const std::string valid =
      R"({"Type":"com.apple.configuration.passcode.settings","Identifier":"hostile-1",)"
      R"("Payload":{"MinimumLength":8}})";
  auto admin = [&](const char* cls, std::string name, const std::string& body, Expected want,
                   net::Headers headers = {}) {
    out.push_back(raw_case(kDdmAdmin, cls, std::move(name),
                           raw_request("PUT", target, headers.empty() ? good : headers, body),
                           std::move(want)));
  };
  for (int i = 0; i < kPerClass; ++i) {
    net::Headers forged{{"Authorization", "Bearer " + m.admin_token.substr(0, i % 8) + "x"},
                        {"Content-Type", "application/json"}};
    if (i % 5 == 0) forged = {{"Content-Type", "application/json"}};
    admin(mutation::forged, "declaration with a wrong bearer token", valid,
          expect::unauthorized("missing or wrong bearer token (RFC 6750 §3.1)"), forged);
  }
  add_http_huge(rng, {kDdmAdmin, "PUT", target, good, valid}, m.body_limit, kPerClass, out);
  static const std::vector<std::string> kShapes = {
      "[]",
      R"({"Type":7,"Identifier":"x"})",
      R"({"Type":"com.example.x","Identifier":"x"})",
      R"({"Type":"com.apple.configuration","Identifier":"x"})",
      R"({"Type":"com.apple.profile.x","Identifier":"x"})",
      R"({"Type":"com.apple.configuration.x","Identifier":""})",
      R"({"Type":"com.apple.configuration.x","Identifier":["x"]})",
      R"({"Type":"com.apple.configuration.x","Identifier":"a/b"})",
      R"({"Type":"com.apple.configuration.x","Identifier":"a b"})",
      R"({"Type":"com.apple.configuration.x","Identifier":"x","Payload":[]})",
      R"({"Type":"com.apple.configuration.x","Identifier":"x","ServerToken":1})"};
  for (int i = 0; i < kPerClass; ++i) {
    const auto& shape = kShapes[i % kShapes.size()];
    admin(mutation::nesting, "declaration " + shape, shape,
          expect::bad_request("not a declaration (Type com.apple.<kind>.*, Identifier, Payload)"));
  }
  for (int i = 0; i < kPerClass; ++i)
    admin(mutation::duplicate_keys, "declaration with Identifier twice",
          R"({"Type":"com.apple.configuration.x","Identifier":"x","Identifier":"y"})",
          expect::bad_request("a JSON object with a key twice"));
  for (int i = 0; i < kPerClass; ++i) {
    auto bad = valid;
    bad.replace(bad.find("hostile-1"), 9, with_invalid_utf8(rng, "hostile-1"));
    admin(mutation::invalid_utf8, "invalid UTF-8 in Identifier", bad,
          expect::bad_request("JSON that is not UTF-8"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto bad = valid;
    bad.replace(bad.find(":8}"), 3,
                ":" + std::string("99999999999999999999") + std::string(rng.below(10), '9') + "}");
    admin(mutation::numbers, "a MinimumLength beyond 64 bits", bad,
          expect::bad_request("an integer JSON cannot hold exactly"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    net::Headers h{{"Authorization", "Bearer " + m.admin_token},
                   {"Content-Type", i % 2 ? "text/plain" : "application/x-www-form-urlencoded"}};
    admin(mutation::content_type, "declaration as " + h[1].second, valid,
          expect::unsupported_media_type("the admin API takes application/json"), h);
  }
}
}  // namespace

void add_ddm_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  add_checkin_cases(rng, m, out);
  add_admin_ddm_cases(rng, m, out);
}

}  // namespace mdmlab::testing::hostile
