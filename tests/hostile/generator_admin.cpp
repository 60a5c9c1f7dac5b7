// Admin API cases (bearer token, JSON): SCEP transactions, Apple devices, enqueue and read
// commands, push. All on the plain listener, as raw requests.
#include <nlohmann/json.hpp>

#include "protocol/apple/command.hpp"
#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {
namespace {
using nlohmann::json;

const std::string kTransactions = "GET /admin/v1/scep/transactions";
const std::string kDecide = "POST /admin/v1/scep/transactions/<id>/<action>";
const std::string kDevices = "GET /admin/v1/apple/devices";
const std::string kEnqueue = "POST /admin/v1/apple/commands";
const std::string kCommand = "GET /admin/v1/apple/commands/<uuid>";
const std::string kPush = "POST /admin/v1/apple/push";

// Authorization values that must not pass (and extra headers, for the two-header case).
std::pair<std::string, net::Headers> forged_authorization(Rng& rng, int i,
                                                          const std::string& token) {
  auto flipped = token;
  flipped[rng.below(flipped.size())] ^= 0x01;
  switch (i % 10) {
    case 0:
      return {"no Authorization", {}};
    case 1:
      return {"wrong token", {{"Authorization", "Bearer " + flipped}}};
    case 2:
      return {"token cut short",
              {{"Authorization", "Bearer " + token.substr(0, rng.below(token.size()))}}};
    case 3:
      return {"token with a suffix",
              {{"Authorization",
                "Bearer " + token + rng.pick(std::vector<std::string>{"x", "0", "=", "  x"})}}};
    case 4:
      return {"Basic scheme",
              {{"Authorization", "Basic " + base64_encode(to_bytes("admin:" + token))}}};
    case 5:
      return {"no scheme", {{"Authorization", token}}};
    case 6:
      return {"Bearer without space", {{"Authorization", "Bearer" + token}}};
    case 7:
      return {"token in the query only", {}};
    case 8:
      return {"wrong token first, right token second",
              {{"Authorization", "Bearer " + flipped}, {"Authorization", "Bearer " + token}}};
    default:
      return {"empty bearer", {{"Authorization", "Bearer "}}};
  }
}

// A JSON body the admin API must refuse.
Expected bad_json(const std::string& what) {
  return expect::bad_request(what);
}

void add_common(Rng& rng, const Materials& m, const std::string& endpoint,
                const std::string& method, const std::string& target,
                const std::string& content_type, const std::string& body, std::vector<Case>& out) {
  net::Headers good{{"Authorization", "Bearer " + m.admin_token}};
  if (!content_type.empty()) good.emplace_back("Content-Type", content_type);
  for (int i = 0; i < kPerClass; ++i) {
    auto [name, headers] = forged_authorization(rng, i, m.admin_token);
    if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
    auto t = target;
    if (i % 10 == 7)  // RFC 6750 §2.3: a resource server MAY take it; this one does not
      t += std::string(t.find('?') == std::string::npos ? "?" : "&") +
           "access_token=" + m.admin_token;
    // Authorization is no list (RFC 9110 §5.3, §11.6.2): two of them are no credentials (401)
    // or a malformed request (400).
    auto want = i % 10 == 8 ? Expected::statuses({401, 400},
                                                 "two Authorization fields: no "
                                                 "valid credentials, or malformed")
                            : expect::unauthorized("missing or wrong bearer token (RFC 6750 §3.1)");
    out.push_back(raw_case(endpoint, mutation::forged, name, raw_request(method, t, headers, body),
                           std::move(want)));
  }
  HttpBase base{endpoint, method, target, good, body};
  if (body.empty()) add_http_truncation(rng, base, kPerClass, out);
  add_http_huge(rng, base, m.body_limit, kPerClass, out);
  add_http_numbers(rng, base, body.empty() ? kPerClass : kPerClass / 2, out);
  for (int i = 0; i < kPerClass / 2; ++i) {  // invalid UTF-8 inside the bearer token
    net::Headers h{{"Authorization", "Bearer " + with_invalid_utf8(rng, m.admin_token)}};
    if (!content_type.empty()) h.emplace_back("Content-Type", content_type);
    out.push_back(raw_case(endpoint, mutation::invalid_utf8, "invalid UTF-8 in the token",
                           raw_request(method, target, h, body),
                           expect::unauthorized("wrong bearer token (RFC 6750 §3.1)")));
  }
}

// A target cut short: the bare collection path exists, for another method only (GET
// /admin/v1/scep/transactions, POST /admin/v1/apple/commands); anything else names nothing.
Expected cut_target(const std::string& target) {
  if (target == "/admin/v1/scep/transactions")
    return expect::method_not_allowed("the transaction list takes GET only");
  if (target == "/admin/v1/apple/commands")
    return expect::method_not_allowed("the command collection takes POST only");
  return expect::not_found("no such transaction, command or action");
}
std::string cut_name(const std::string& method, const std::string& target) {
  bool collection = target == "/admin/v1/scep/transactions" || target == "/admin/v1/apple/commands";
  return method + " " + target + (collection ? " (the bare collection)" : "");
}

json valid_enqueue(const Materials& m) {
  return {{"udids", {m.mac_a.udid}},
          {"command",
           {{"RequestType", "DeviceInformation"}, {"Queries", {"OSVersion", "SerialNumber"}}}},
          {"priority", 1}};
}

void add_enqueue(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const auto body = valid_enqueue(m).dump();
  add_common(rng, m, kEnqueue, "POST", "/admin/v1/apple/commands", "application/json", body, out);
  auto send = [&](const char* cls, const std::string& name, const std::string& b, Expected want,
                  const std::string& ct = "application/json") {
    net::Headers h{{"Authorization", "Bearer " + m.admin_token}};
    if (!ct.empty()) h.emplace_back("Content-Type", ct);
    out.push_back(raw_case(kEnqueue, cls, name,
                           raw_request("POST", "/admin/v1/apple/commands", h, b), std::move(want)));
  };
  for (int i = 0; i < kPerClass; ++i) {
    auto cut = rng.between(1, body.size() - 1);
    send(mutation::truncation, "JSON cut at " + std::to_string(cut), body.substr(0, cut),
         bad_json("JSON cut short"));
  }
  static const std::vector<std::string> kTypes = {"text/plain",
                                                  "application/x-www-form-urlencoded",
                                                  "multipart/form-data; boundary=x",
                                                  "application/xml",
                                                  "application/octet-stream",
                                                  "text/html",
                                                  "",
                                                  "application/jsonx",
                                                  "application/x-apple-aspen-mdm",
                                                  "image/png"};
  for (int i = 0; i < kPerClass; ++i) {
    auto ct = kTypes[static_cast<std::size_t>(i) % kTypes.size()];
    send(mutation::content_type, "valid body as '" + ct + "'", body,
         expect::unsupported_media_type("the admin API takes application/json only"), ct);
  }
  static const std::string kBad = "*!$%&()[]{}<>?;:~^|\"";
  for (int i = 0; i < kPerClass; ++i) {
    auto j = valid_enqueue(m);
    auto b64 = base64_encode(to_bytes(rng.bytes(rng.between(4, 64))));
    int n = 1 + static_cast<int>(rng.below(3));
    for (int k = 0; k < n; ++k)
      b64.insert(rng.below(b64.size() + 1), 1, kBad[rng.below(kBad.size())]);
    json data = {{"$data", b64}};
    if (i % 2)
      j["command"]["Payload"] = data;
    else
      j["command"]["Nested"] = {{"Deeper", json::array({1, data})}};
    send(mutation::bad_base64,
         std::string(i % 2 ? "top-level" : "nested") + " $data with bad base64", j.dump(),
         bad_json("{\"$data\": ...} that is not base64"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto j = valid_enqueue(m);
    std::string name;
    switch (i % 10) {
      case 0:
        j["udids"] = {{"udid", m.mac_a.udid}};
        name = "udids as an object";
        break;
      case 1:
        j["udids"] = m.mac_a.udid;
        name = "udids as a string";
        break;
      case 2:
        j["udids"] = json::array({json::array({m.mac_a.udid})});
        name = "udids nested in an array";
        break;
      case 3:
        j["command"] = json::array({{{"RequestType", "DeviceInformation"}}});
        name = "command as an array";
        break;
      case 4:
        j["command"] = "DeviceInformation";
        name = "command as a string";
        break;
      case 5: {
        json deep = "x";
        for (int d = 0; d < 70 + static_cast<int>(rng.below(200)); ++d) deep = json::array({deep});
        j["command"]["Deep"] = deep;
        name = "command nested past 64 levels";
        break;
      }
      case 6:
        j = json::array({j});
        name = "body is an array";
        break;
      case 7: {
        plist::Value lock;
        lock.set("RequestType", "DeviceLock");
        std::string plist = mdmlab::apple::encode_command({"HOSTILE-PLIST", lock}).value();
        auto pos = plist.rfind("</dict>");
        j.erase("command");
        j["plist"] = plist.substr(0, pos) + "<key>X</key>" + plist.substr(pos);
        name = "plist with a key without a value";
        break;
      }
      case 8:
        j["udids"] = json::array({nullptr});
        name = "udids holding null";
        break;
      default:
        j["command"]["Null"] = nullptr;
        name = "null inside the command";
        break;
    }
    send(mutation::nesting, name, j.dump(), bad_json("a body in the wrong shape"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto j = valid_enqueue(m).dump();
    static const std::vector<std::pair<std::string, std::string>> kDups = {
        {"\"udids\":", "\"udids\":[\"" + std::string("HOSTILE-OTHER") + "\"],"},
        {"\"priority\":", "\"priority\":99,"},
        {"\"command\":", "\"command\":{\"RequestType\":\"EraseDevice\"},"},
        {"\"RequestType\":", "\"RequestType\":\"EraseDevice\","},
        {"\"priority\":", "\"priority\":1,"},
    };
    const auto& [key, dup] = kDups[static_cast<std::size_t>(i) % kDups.size()];
    auto pos = j.find(key);
    bool after = rng.below(2);
    if (after) {  // the duplicate second: append before the closing brace of the same object
      auto brace = key == "\"RequestType\":" ? j.find('}', pos) : j.size() - 1;
      j = j.substr(0, brace) + "," + dup.substr(0, dup.size() - 1) + j.substr(brace);
    } else {
      j = j.substr(0, pos) + dup + j.substr(pos);
    }
    send(mutation::duplicate_keys, "duplicate " + key + (after ? " after" : " before"), j,
         bad_json("an object with a key twice (strict JSON)"));
  }
  for (int i = 0; i < kPerClass / 2; ++i) {  // raw invalid bytes in a JSON string
    auto j = valid_enqueue(m).dump();
    auto pos = j.find("DeviceInformation");
    if (i % 2) pos = j.find(m.mac_a.udid);
    j.insert(pos + rng.below(8), invalid_utf8(rng));
    send(mutation::invalid_utf8, "invalid UTF-8 inside a JSON string", j,
         bad_json("JSON must be UTF-8 (RFC 8259 §8.1)"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    static const std::vector<std::string> kPriorities = {"9223372036854775808",
                                                         "18446744073709551615",
                                                         "18446744073709551616",
                                                         "99999999999999999999999",
                                                         "-9223372036854775809",
                                                         "1e400",
                                                         "-1e400",
                                                         "1.5",
                                                         "\"5\"",
                                                         "true"};
    auto j = valid_enqueue(m).dump();
    std::string name;
    if (i < 10) {
      auto pos = j.find("\"priority\":1");
      j = j.substr(0, pos) + "\"priority\":" + kPriorities[static_cast<std::size_t>(i)] +
          j.substr(pos + 12);
      name = "priority " + kPriorities[static_cast<std::size_t>(i)];
    } else {
      static const std::vector<std::string> kValues = {"18446744073709551615",
                                                       "9223372036854775808", "1e400", "-1e999",
                                                       "99999999999999999999999999"};
      auto v = kValues[static_cast<std::size_t>(i) % kValues.size()];
      auto pos = j.find("\"RequestType\"");
      j = j.substr(0, pos) + "\"Count\":" + v + "," + j.substr(pos);
      name = "command value " + v;
    }
    send(mutation::numbers, name, j, bad_json("a number out of range or of the wrong type"));
  }
}
// POST /admin/v1/apple/push {"udids": [...]}: every case must be refused before a push goes out
// (a push would change mac A's push_count / push_status).
void add_push(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const json valid = {{"udids", {m.mac_a.udid}}};
  const auto body = valid.dump();
  add_common(rng, m, kPush, "POST", "/admin/v1/apple/push", "application/json", body, out);
  auto send = [&](const char* cls, const std::string& name, const std::string& b, Expected want,
                  const std::string& ct = "application/json") {
    net::Headers h{{"Authorization", "Bearer " + m.admin_token}};
    if (!ct.empty()) h.emplace_back("Content-Type", ct);
    out.push_back(raw_case(kPush, cls, name, raw_request("POST", "/admin/v1/apple/push", h, b),
                           std::move(want)));
  };
  for (int i = 0; i < kPerClass; ++i) {
    auto cut = rng.between(1, body.size() - 1);
    send(mutation::truncation, "JSON cut at " + std::to_string(cut), body.substr(0, cut),
         bad_json("JSON cut short"));
  }
  static const std::vector<std::string> kTypes = {"text/plain",
                                                  "application/x-www-form-urlencoded",
                                                  "",
                                                  "application/jsonx",
                                                  "application/json-seq",
                                                  "application/xml",
                                                  "text/json",
                                                  "application/octet-stream",
                                                  "json",
                                                  "multipart/form-data; boundary=x"};
  for (int i = 0; i < kPerClass; ++i) {
    auto ct = kTypes[static_cast<std::size_t>(i) % kTypes.size()];
    send(mutation::content_type, "valid body as '" + ct + "'", body,
         expect::unsupported_media_type("the admin API takes application/json only"), ct);
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto j = valid;
    std::string name;
    switch (i % 10) {
      case 0:
        j["udids"] = {{"udid", m.mac_a.udid}};
        name = "udids as an object";
        break;
      case 1:
        j["udids"] = m.mac_a.udid;
        name = "udids as a string";
        break;
      case 2:
        j["udids"] = json::array({json::array({m.mac_a.udid})});
        name = "udids nested in an array";
        break;
      case 3:
        j["udids"] = json::array();
        name = "udids empty";
        break;
      case 4:
        j = json::array({j});
        name = "body is an array";
        break;
      case 5:
        j["udids"] = json::array({nullptr});
        name = "udids holding null";
        break;
      case 6:
        j["udids"] = json::array({m.mac_a.udid, json::object()});
        name = "udids holding an object";
        break;
      case 7: {
        json deep = m.mac_a.udid;
        for (int d = 0; d < 70 + static_cast<int>(rng.below(200)); ++d) deep = json::array({deep});
        j["udids"] = deep;
        name = "udids nested past 64 levels";
        break;
      }
      case 8:
        j = {{"udid", m.mac_a.udid}};
        name = "no udids";
        break;
      default:
        j["udids"] = json::array({""});
        name = "empty UDID";
        break;
    }
    send(mutation::nesting, name, j.dump(), bad_json("a body in the wrong shape"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    const auto a = "\"" + m.mac_a.udid + "\"";
    std::string b, name;
    switch (i % 4) {
      case 0:
        b = "{\"udids\":[\"HOSTILE-OTHER\"],\"udids\":[" + a + "]}";
        name = "udids twice, mac A second";
        break;
      case 1:
        b = "{\"udids\":[" + a + "],\"udids\":[\"HOSTILE-OTHER\"]}";
        name = "udids twice, mac A first";
        break;
      case 2:
        b = "{\"udids\":[" + a + "],\"udids\":[" + a + "]}";
        name = "udids twice, same value";
        break;
      default:
        b = "{\"udids\":[" + a + "],\"options\":{\"x\":1,\"x\":2}}";
        name = "a nested object with a key twice";
        break;
    }
    send(mutation::duplicate_keys, name, b, bad_json("an object with a key twice (strict JSON)"));
  }
  for (int i = 0; i < kPerClass / 2; ++i) {  // raw invalid bytes in the UDID string
    auto b = body;
    b.insert(b.find(m.mac_a.udid) + rng.below(m.mac_a.udid.size() + 1), invalid_utf8(rng));
    send(mutation::invalid_utf8, "invalid UTF-8 inside the UDID", b,
         bad_json("JSON must be UTF-8 (RFC 8259 §8.1)"));
  }
  for (int i = 0; i < kPerClass / 2; ++i) {
    // As a UDID any number is wrong; as an extra (ignored) value only one beyond 64 bits or a
    // non-finite one is.
    static const std::vector<std::string> kUdids = {"9223372036854775808", "18446744073709551615",
                                                    "-1", "0", "1e400"};
    static const std::vector<std::string> kExtra = {"18446744073709551616", "-9223372036854775809",
                                                    "99999999999999999999999", "1e400", "-1e400"};
    bool as_udid = i % 2 == 0;
    auto n = (as_udid ? kUdids : kExtra)[static_cast<std::size_t>(i / 2) % 5];
    auto b = as_udid ? "{\"udids\":[" + n + "]}"
                     : "{\"udids\":[\"" + m.mac_a.udid + "\"],\"count\":" + n + "}";
    send(mutation::numbers, (as_udid ? "UDID " : "extra value ") + n, b,
         bad_json(as_udid ? "a number as a UDID" : "a number beyond 64 bits or not finite"));
  }
}
}  // namespace

void add_admin_auth_cases(Rng& rng, const Materials& m, const std::string& endpoint,
                          const std::string& method, const std::string& target,
                          const std::string& content_type, const std::string& body,
                          std::vector<Case>& out) {
  add_common(rng, m, endpoint, method, target, content_type, body, out);
}

void add_admin_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const net::Headers auth{{"Authorization", "Bearer " + m.admin_token}};
  // GET /admin/v1/scep/transactions
  add_common(rng, m, kTransactions, "GET", "/admin/v1/scep/transactions", "", "", out);
  for (int i = 0; i < kPerClass / 2; ++i) {
    auto status =
        with_invalid_utf8(rng, rng.pick(std::vector<std::string>{"pending", "issued", "rejected"}));
    out.push_back(raw_case(
        kTransactions, mutation::invalid_utf8, "status " + percent_all(status),
        raw_request("GET", "/admin/v1/scep/transactions?status=" + percent_all(status), auth, ""),
        expect::bad_request("status must be pending, issued or rejected")));
  }
  for (int i = 0; i < kPerClass / 2; ++i) {
    auto n =
        (i % 2 ? "-" : "") + std::to_string(rng.below(1000000)) + std::string(rng.below(25), '9');
    out.push_back(raw_case(kTransactions, mutation::numbers, "status " + n,
                           raw_request("GET", "/admin/v1/scep/transactions?status=" + n, auth, ""),
                           expect::bad_request("status must be pending, issued or rejected")));
  }

  // POST /admin/v1/scep/transactions/<id>/approve|reject
  const auto tx = net::percent_encode(m.mac_a_transaction);
  add_common(rng, m, kDecide, "POST", "/admin/v1/scep/transactions/" + tx + "/approve", "", "",
             out);
  for (int i = 0; i < kPerClass; ++i) {
    std::string target;
    switch (i % 5) {
      case 0:
        target = "/admin/v1/scep/transactions";
        break;
      case 1:
        target = "/admin/v1/scep/transactions/";
        break;
      case 2:
        target = "/admin/v1/scep/transactions/" + tx;
        break;
      case 3:
        target = "/admin/v1/scep/transactions/" + tx + "/appr";
        break;
      default:
        target = ("/admin/v1/scep/transactions/" + tx + "/approve")
                     .substr(0, rng.between(20, 27 + tx.size()));
        break;
    }
    out.push_back(raw_case(kDecide, mutation::truncation, cut_name("POST", target),
                           raw_request("POST", target, auth, ""), cut_target(target)));
  }
  for (int i = 0; i < kPerClass / 2; ++i) {
    auto id = with_invalid_utf8(rng, m.mac_a_transaction);
    auto target = "/admin/v1/scep/transactions/" + (i % 2 ? percent_all(id) : id) +
                  (i % 4 < 2 ? "/approve" : "/reject");
    out.push_back(
        raw_case(kDecide, mutation::invalid_utf8,
                 std::string(i % 2 ? "encoded" : "raw") + " id with invalid UTF-8",
                 raw_request("POST", target, auth, ""),
                 i % 2 ? expect::not_found("no such transaction") : expect::raw_target(404)));
  }
  for (int i = 0; i < kPerClass / 2; ++i) {
    auto id =
        (i % 2 ? "-" : "") + std::to_string(rng.below(1000)) + std::string(rng.below(30), '9');
    out.push_back(
        raw_case(kDecide, mutation::numbers, "id " + id,
                 raw_request("POST", "/admin/v1/scep/transactions/" + id + "/approve", auth, ""),
                 expect::not_found("no such transaction")));
  }
  for (int i = 0; i < kPerClass / 2; ++i) {  // a broken percent escape in the id
    auto target = "/admin/v1/scep/transactions/" + tx.substr(0, rng.below(tx.size())) +
                  rng.pick(std::vector<std::string>{"%", "%G1", "%1"}) + "/approve";
    out.push_back(raw_case(kDecide, mutation::truncation, "broken escape: " + target,
                           raw_request("POST", target, auth, ""),
                           expect::bad_request("a broken percent-encoding (RFC 3986 §2.1)")));
  }

  // GET /admin/v1/apple/devices
  add_common(rng, m, kDevices, "GET", "/admin/v1/apple/devices", "", "", out);
  for (int i = 0; i < kPerClass / 2; ++i) {
    auto path = with_invalid_utf8(rng, "/admin/v1/apple/devices");
    out.push_back(
        raw_case(kDevices, mutation::invalid_utf8,
                 std::string(i % 2 ? "raw" : "encoded") + " path " + percent_all(path),
                 raw_request("GET", i % 2 ? path : "/" + percent_all(path.substr(1)), auth, ""),
                 i % 2 ? expect::raw_target(404) : expect::not_found("no such path")));
  }

  // POST /admin/v1/apple/commands
  add_enqueue(rng, m, out);

  // POST /admin/v1/apple/push
  add_push(rng, m, out);

  // GET /admin/v1/apple/commands/<uuid>
  add_common(rng, m, kCommand, "GET", "/admin/v1/apple/commands/" + m.answered_command, "", "",
             out);
  for (int i = 0; i < kPerClass; ++i) {
    std::string target =
        i % 4 == 0   ? "/admin/v1/apple/commands"
        : i % 4 == 1 ? "/admin/v1/apple/commands/"
                     : "/admin/v1/apple/commands/" +
                           m.answered_command.substr(0, rng.below(m.answered_command.size()));
    out.push_back(raw_case(kCommand, mutation::truncation, cut_name("GET", target),
                           raw_request("GET", target, auth, ""), cut_target(target)));
  }
  for (int i = 0; i < kPerClass / 2; ++i) {
    auto uuid = with_invalid_utf8(rng, m.answered_command);
    out.push_back(raw_case(
        kCommand, mutation::invalid_utf8,
        std::string(i % 2 ? "encoded" : "raw") + " uuid with invalid UTF-8",
        raw_request("GET", "/admin/v1/apple/commands/" + (i % 2 ? percent_all(uuid) : uuid), auth,
                    ""),
        i % 2 ? expect::not_found("no such command") : expect::raw_target(404)));
  }
  for (int i = 0; i < kPerClass / 2; ++i) {
    auto n = (i % 2 ? "-" : "") + std::to_string(rng.below(1000)) + std::string(rng.below(30), '9');
    out.push_back(raw_case(kCommand, mutation::numbers, "uuid " + n,
                           raw_request("GET", "/admin/v1/apple/commands/" + n, auth, ""),
                           expect::not_found("no such command")));
  }
}

}  // namespace mdmlab::testing::hostile
