// ABM simulator cases, the session-authenticated DEP calls (abm_dep_routes.cpp): POST
// /server/devices and /devices/sync ({"cursor", "limit"}), POST /profile (an ADE profile),
// PUT/POST/DELETE /profile/devices, POST /devices and /devices/disown ({"profile_uuid",
// "devices"}). Every case but the forged-session ones carries the valid session, so it gets past
// authentication and reaches the JSON parsers (dep_messages.cpp: strict JSON, types checked,
// unknown keys refused). Forged, missing and expired sessions carry a body that would change the
// organisation if it were taken. Mutations: sessions, JSON cut short and HTTP framing, huge
// bodies, limits and numbers, wrong shapes, duplicate keys, invalid UTF-8, Content-Types,
// cursors. None may change a device or record a change; the limit above 1000 is answered 200
// (Apple lowers it), the only answer here that is no refusal.
#include <nlohmann/json.hpp>

#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {
namespace {
using nlohmann::json;
constexpr const char* kJson = "application/json;charset=UTF8";

enum class Kind { fetch, sync, profile, serials };

struct DepEndpoint {
  std::string name, target;
  std::vector<std::string> methods;  // rotated over the cases
  Kind kind;
  json valid;  // changes the organisation (or only reads it) when taken
  json noop;   // taken, it changes nothing visible (null: no such body)
  json rich;   // valid, with several keys and strings (duplicate keys, invalid UTF-8)
  std::vector<std::string> shapes;         // wrong shapes, whatever the method
  std::vector<std::string> assign_shapes;  // wrong where a profile_uuid is required (PUT, POST)
};

std::string upper_hex(Rng& rng, std::size_t n) {
  static const char* digits = "0123456789ABCDEF";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += digits[rng.below(16)];
  return s;
}

std::string fill(std::string s, const std::vector<std::pair<std::string, std::string>>& vars) {
  for (const auto& [name, value] : vars)
    for (auto at = s.find(name); at != std::string::npos; at = s.find(name, at + value.size()))
      s.replace(at, name.size(), value);
  return s;
}

// The string literals of a compact JSON dump (no escapes in ours): their insides, and whether
// each is a key.
struct Literal {
  std::size_t begin, end;
  bool key;
};
std::vector<Literal> literals(const std::string& j) {
  std::vector<Literal> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (j[i] != '"') continue;
    const auto close = j.find('"', i + 1);
    out.push_back({i + 1, close, close + 1 < j.size() && j[close + 1] == ':'});
    i = close;
  }
  return out;
}

// Apple's DEP API: no valid session is 401 UNAUTHORIZED (the client asks GET /session again); a
// body it cannot take is 400 BAD_REQUEST; a cursor it does not know or has used up is 400
// INVALID_CURSOR / EXHAUSTED_CURSOR.
Expected no_session(const std::string& what) {
  return expect::unauthorized(what + ": no valid X-ADM-Auth-Session (DEP API: 401 UNAUTHORIZED)");
}
Expected bad_body(const std::string& why) {
  return expect::bad_request(why + " (DEP API: 400 BAD_REQUEST)");
}
Expected bad_cursor(const std::string& why) {
  return expect::bad_request(why + " (DEP API: 400 INVALID_CURSOR / EXHAUSTED_CURSOR)");
}

struct DepGen {
  Rng& rng;
  const AbmMaterials& m;
  const DepEndpoint& ep;
  std::vector<Case>& out;

  std::string method(int i) const {
    return ep.methods[static_cast<std::size_t>(i) % ep.methods.size()];
  }
  static net::Headers headers(const std::string& session, const std::string& type = kJson) {
    net::Headers h;
    if (!session.empty()) h.emplace_back("X-ADM-Auth-Session", session);
    h.emplace_back("X-Server-Protocol-Version", "3");
    if (!type.empty()) h.emplace_back("Content-Type", type);
    return h;
  }
  void send(const char* cls, const std::string& meth, const std::string& name,
            const std::string& body, Expected want, const std::string& type = kJson) {
    out.push_back(abm_case(ep.name, cls, meth + " " + name,
                           raw_request(meth, ep.target, headers(m.session, type), body),
                           std::move(want)));
  }
  HttpBase base() const {
    return {ep.name, ep.methods.front(), ep.target, headers(m.session), ep.valid.dump()};
  }

  void forged() {
    const auto body = ep.valid.dump();
    for (int i = 0; i < kPerClass; ++i) {
      net::Headers h = headers("");
      auto session = [&](const std::string& s) { h.insert(h.begin(), {"X-ADM-Auth-Session", s}); };
      auto s = m.session;
      const auto at = 8 + rng.below(s.size() - 8);
      std::string name;
      Expected want = no_session("a forged, missing or expired session");
      switch (i % 12) {
        case 0:
          name = "no X-ADM-Auth-Session";
          break;
        case 1:
          session("");
          name = "an empty X-ADM-Auth-Session";
          break;
        case 2:
          session("SESSION-" + upper_hex(rng, 48));
          name = "an unknown session";
          break;
        case 3:
          s[at] = s[at] == 'A' ? 'B' : 'A';
          session(s);
          name = "the session with one character changed";
          break;
        case 4:
          session(s.substr(0, s.size() - 1 - rng.below(8)));
          name = "the session cut short";
          break;
        case 5:
          session(s + upper_hex(rng, 1 + rng.below(4)));
          name = "the session with characters added";
          break;
        case 6:
          session(m.expired_session);
          name = "an expired session";
          break;
        case 7:
          for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          session(s);
          name = "the session in lower case";
          break;
        case 8:
          h.insert(h.begin(), {"Authorization", "Bearer " + m.session});
          name = "the session as a bearer token";
          break;
        case 9:
          session(m.session);
          session(m.expired_session);
          name = "two X-ADM-Auth-Session fields, the expired one first";
          want = Expected::statuses({401, 400},
                                    "X-ADM-Auth-Session is no list (RFC 9110 §5.3): the first, "
                                    "expired, is no session (401), or the request is malformed");
          break;
        case 10:
          session(with_invalid_utf8(rng, s));
          name = "the session with invalid UTF-8 inside";
          break;
        default:
          session(m.access_token);
          name = "the server token's access token as the session";
          break;
      }
      out.push_back(abm_case(ep.name, mutation::forged, method(i) + " " + name,
                             raw_request(method(i), ep.target, h, body), std::move(want)));
    }
  }

  void truncation() {
    const auto body = ep.valid.dump();
    for (int i = 0; i < kPerClass / 2; ++i) {
      const auto cut = rng.between(1, body.size() - 1);  // an empty fetch body is a valid one
      send(mutation::truncation, method(i), "JSON cut at " + std::to_string(cut),
           body.substr(0, cut), bad_body("JSON cut short"));
    }
    const auto from = out.size();
    add_http_truncation(rng, base(), kPerClass / 2, out);
    retarget_abm(out, from);
  }

  void huge() {
    const auto from = out.size();
    add_http_huge(rng, base(), m.body_limit, kPerClass, out);
    retarget_abm(out, from);
  }

  void numbers() {
    struct Limit {
      const char* value;
      bool lowered;  // an integer above 1000 that fits 64 bits: Apple answers up to 1000
    };
    static const std::vector<Limit> kLimits = {{"0", false},
                                               {"-1", false},
                                               {"-9223372036854775808", false},
                                               {"1.5", false},
                                               {"1e3", false},
                                               {"18446744073709551616", false},
                                               {"-0", false},
                                               {"1001", true},
                                               {"-18446744073709551617", false},
                                               {"4294967297", true},
                                               {"99999999999999999999999", false},
                                               {"9223372036854775807", true}};
    static const std::vector<std::string> kProfile = {
        R"({"profile_name":-1,"url":"https://x","devices":["$S"]})",
        R"({"profile_name":"x","url":18446744073709551616,"devices":["$S"]})",
        R"({"profile_name":"x","url":"https://x","is_supervised":1,"devices":["$S"]})",
        R"({"profile_name":"x","url":"https://x","is_mdm_removable":0,"devices":["$S"]})",
        R"({"profile_name":"x","url":"https://x","devices":[12345678901234567890123]})",
        R"({"profile_name":"x","url":"https://x","language":1e400,"devices":["$S"]})",
        R"({"profile_name":"x","url":"https://x","devices":[-1]})",
        R"({"profile_name":-9223372036854775809,"url":"https://x","devices":["$S"]})"};
    static const std::vector<std::string> kSerials = {
        R"({"profile_uuid":"$P","devices":["$S",-1]})",
        R"({"profile_uuid":"$P","devices":["$S",18446744073709551616]})",
        R"({"profile_uuid":5,"devices":["$S"]})",
        R"({"profile_uuid":"$P","devices":["$S",1e400]})"};
    const auto serial = ep.valid.contains("devices")
                            ? ep.valid.at("devices").at(0).get<std::string>()
                            : m.serials.at(1);
    const std::vector<std::pair<std::string, std::string>> vars = {{"$S", serial},
                                                                   {"$P", m.profile_uuid}};
    for (int i = 0; i < kPerClass / 2 + 2; ++i) {
      if (ep.kind == Kind::fetch || ep.kind == Kind::sync) {
        const auto& l = kLimits[static_cast<std::size_t>(i) % kLimits.size()];
        const std::string cursor =
            ep.kind == Kind::sync ? "\"cursor\":\"" + m.sync_cursor + "\"," : "";
        send(mutation::numbers, method(i), "limit " + std::string(l.value),
             "{" + cursor + "\"limit\":" + l.value + "}",
             l.lowered ? Expected::status(200, "limit is at most 1000; Apple lowers a larger one")
                       : bad_body("limit is an integer of at least 1, within 64 bits"));
      } else if (ep.kind == Kind::profile) {
        const auto& b = kProfile[static_cast<std::size_t>(i) % kProfile.size()];
        send(mutation::numbers, method(i), b.substr(0, 60), fill(b, vars),
             bad_body("a number where the profile has a string or boolean"));
      } else if (i % 3 == 0) {
        json many = json::array({serial});
        const auto n = 1001 + rng.below(200);
        for (std::size_t k = 1; k < n; ++k) many.push_back("HOSTILE" + std::to_string(100000 + k));
        send(mutation::numbers, method(i), std::to_string(n) + " devices",
             json{{"profile_uuid", m.profile_uuid}, {"devices", many}}.dump(),
             bad_body("at most 1000 devices a call"));
      } else {
        const auto& b = kSerials[static_cast<std::size_t>(i) % kSerials.size()];
        send(mutation::numbers, method(i), b.substr(0, 60), fill(b, vars),
             bad_body("serials and profile_uuid are strings"));
      }
    }
    const auto from = out.size();
    add_http_numbers(rng, base(), kPerClass / 2, out);
    retarget_abm(out, from);
  }

  void nesting() {
    for (int i = 0; i < kPerClass; ++i) {
      const bool assign = !ep.assign_shapes.empty() && i % 5 == 4;
      const auto& shapes = assign ? ep.assign_shapes : ep.shapes;
      const auto& shape = shapes[rng.below(shapes.size())];
      // A shape wrong only without profile_uuid goes to the methods that assign.
      const auto meth = assign ? std::string(i % 2 ? "PUT" : "POST") : method(i);
      send(mutation::nesting, meth, shape.substr(0, 70), shape,
           bad_body("not the call's JSON object (types, keys, required members)"));
    }
  }

  void duplicate_keys() {
    std::vector<std::string> keys;
    for (const auto& [k, v] : ep.rich.items()) keys.push_back(k);
    for (int i = 0; i < kPerClass; ++i) {
      const auto& key = keys[rng.below(keys.size())];
      const auto& value = ep.rich.at(key);
      json other = value.is_string()   ? json("HOSTILEDUP")
                   : value.is_number() ? json(7)
                   : value.is_array()  ? json::array({m.serials.at(3)})
                                       : json(!value.get<bool>());
      const auto body = "{\"" + key + "\":" + (i % 2 ? value.dump() : other.dump()) + "," +
                        ep.rich.dump().substr(1);
      send(mutation::duplicate_keys, method(i), "\"" + key + "\" twice", body,
           bad_body("a JSON object with a key twice (strict JSON)"));
    }
  }

  void invalid_utf8() {
    const auto rich = ep.rich.dump();
    const auto all = literals(rich);
    std::vector<Literal> keys, values;
    for (const auto& l : all) (l.key ? keys : values).push_back(l);
    for (int i = 0; i < kPerClass; ++i) {
      const auto& l = i % 3 == 1 ? keys[rng.below(keys.size())] : values[rng.below(values.size())];
      const auto at = l.begin + rng.below(l.end - l.begin + 1);
      const auto bad = i % 3 == 2
                           ? rng.pick(std::vector<std::string>{"\\ud800", "\\udfff", "\\ud83d"})
                           : hostile::invalid_utf8(rng);
      send(mutation::invalid_utf8, method(i),
           std::string(i % 3 == 2 ? "a lone surrogate escape" : "invalid UTF-8") + " in a " +
               (l.key ? "key" : "string"),
           rich.substr(0, at) + bad + rich.substr(at),
           bad_body("JSON that is not UTF-8 (RFC 8259 §8.1)"));
    }
  }

  void content_type() {
    static const std::vector<std::string> kTypes = {"text/plain",
                                                    "application/x-www-form-urlencoded",
                                                    "application/xml",
                                                    "application/x-plist",
                                                    "multipart/form-data; boundary=x",
                                                    "application/octet-stream",
                                                    "text/html",
                                                    "application/pkcs7-mime"};
    const auto cut = ep.valid.dump().substr(0, ep.valid.dump().size() / 2);
    for (int i = 0; i < kPerClass; ++i) {
      const auto& type = kTypes[static_cast<std::size_t>(i) % kTypes.size()];
      if (i % 2 == 0 && !ep.noop.is_null())
        send(mutation::content_type, method(i), "as '" + type + "' with a valid body",
             ep.noop.dump(),
             expect::unsupported_media_type("the DEP API takes application/json;charset=UTF8"),
             type);
      else
        send(mutation::content_type, method(i), "as '" + type + "' with a body cut short", cut,
             Expected::statuses({415, 400},
                                "a body that is neither JSON nor labelled so: 415 or 400, "
                                "whichever check comes first"),
             type);
    }
  }

  void cursors() {
    const bool sync = ep.kind == Kind::sync;
    const auto& mine = sync ? m.sync_cursor : m.fetch_cursor;
    for (int i = 0; i < kPerClass; ++i) {
      std::string cursor, name, body;
      auto changed = mine;
      const auto at = 7 + rng.below(changed.size() - 7);
      changed[at] = changed[at] == 'A' ? 'B' : 'A';
      switch (i % 10) {
        case 0:
          cursor = "CURSOR-" + upper_hex(rng, 32);
          name = "an unknown cursor";
          break;
        case 1:
          cursor = changed;
          name = "the cursor with one character changed";
          break;
        case 2:
          cursor = sync ? "" : m.exhausted_cursor;
          name = sync ? "an empty cursor (sync needs one)" : "a cursor that returned every device";
          break;
        case 3:
          cursor = sync ? std::string() : m.sync_cursor;
          name = sync ? "no cursor (sync needs one)" : "a sync cursor";
          body = sync ? R"({"limit":5})" : "";
          break;
        case 4:
          cursor = m.session;
          name = "the session as the cursor";
          break;
        case 5:
          cursor = "CURSOR-";
          name = "the cursor prefix alone";
          break;
        case 6:
          cursor = mine;
          for (auto& c : cursor) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          name = "the cursor in lower case";
          break;
        case 7:
          cursor = "CURSOR-" + upper_hex(rng, 4096 + rng.below(4096));
          name = "a long cursor";
          break;
        case 8:
          cursor = mine + " ";
          name = "the cursor with a space after it";
          break;
        default:
          cursor = mine + mine;
          name = "the cursor twice";
          break;
      }
      if (body.empty()) body = json{{"cursor", cursor}, {"limit", 5}}.dump();
      send(mutation::wrong_token, method(i), name, body,
           bad_cursor(sync ? "sync needs a cursor the simulator handed out"
                           : "a fetch cursor not used up"));
    }
  }
};

const std::vector<std::string> kFetchShapes = {R"([])",
                                               R"("limit")",
                                               R"(null)",
                                               R"(5)",
                                               R"({"cursor":{"id":"$C"}})",
                                               R"({"cursor":["$C"]})",
                                               R"({"cursor":null})",
                                               R"({"cursor":5})",
                                               R"({"limit":"5"})",
                                               R"({"limit":[5]})",
                                               R"({"limit":{"value":5}})",
                                               R"({"limit":true})",
                                               R"({"Limit":5})",
                                               R"({"request":{"limit":5}})",
                                               R"([{"limit":5}])",
                                               R"({"limit":null})",
                                               R"({"limit":5,"devices":[]})",
                                               " "};

const std::vector<std::string> kProfileShapes = {
    R"([])",
    R"("hostile")",
    R"(null)",
    R"({"profile_name":"x","devices":["$S"]})",
    R"({"url":"https://x","devices":["$S"]})",
    R"({"profile_name":["x"],"url":"https://x","devices":["$S"]})",
    R"({"profile_name":"x","url":"https://x","devices":"$S"})",
    R"({"profile_name":"x","url":"https://x","devices":[["$S"]]})",
    R"({"profile_name":"x","url":"https://x","devices":{"$S":true}})",
    R"({"profile_name":"x","url":"https://x","is_supervised":"true","devices":["$S"]})",
    R"({"profile_name":"x","url":"https://x","skip_setup_items":"Location","devices":["$S"]})",
    R"({"profile":{"profile_name":"x","url":"https://x","devices":["$S"]}})",
    R"({"profile_name":"x","url":"https://x","devices":["$S"],"unknown_key":1})",
    R"({"profile_name":{"en":"x"},"url":"https://x","devices":["$S"]})",
    R"({"profile_name":"","url":"https://x","devices":["$S"]})",
    R"({"profile_name":"x","url":"","devices":["$S"]})",
    R"({"profile_name":"x","url":"https://x","anchor_certs":[1],"devices":["$S"]})",
    R"({"profile_name":"x","url":{"href":"https://x"},"devices":["$S"]})",
    R"([{"profile_name":"x","url":"https://x","devices":["$S"]}])"};

const std::vector<std::string> kSerialShapes = {R"([])",
                                                R"("$S")",
                                                R"(null)",
                                                R"({"devices":"$S"})",
                                                R"({"devices":[["$S"]]})",
                                                R"({"devices":{"$S":true}})",
                                                R"({"devices":[]})",
                                                R"({"devices":["$S",5]})",
                                                R"({"devices":["$S",null]})",
                                                R"({"profile_uuid":["$P"],"devices":["$S"]})",
                                                R"({"profile_uuid":{"id":"$P"},"devices":["$S"]})",
                                                R"({"devices":["$S"],"serials":["$S"]})",
                                                R"({"Devices":["$S"]})",
                                                R"({"request":{"devices":["$S"]}})",
                                                R"({"devices":[{"serial_number":"$S"}]})",
                                                R"({"profile_uuid":"$P","devices":["$S"],"x":1})",
                                                R"([{"devices":["$S"]}])"};

// Valid for DELETE /profile/devices, /devices and /devices/disown; wrong where assigning needs a
// profile.
const std::vector<std::string> kAssignShapes = {R"({"devices":["$S"]})",
                                                R"({"profile_uuid":"","devices":["$S"]})"};

std::vector<std::string> filled(const std::vector<std::string>& shapes,
                                const std::vector<std::pair<std::string, std::string>>& vars) {
  std::vector<std::string> out;
  for (const auto& s : shapes) out.push_back(fill(s, vars));
  return out;
}
}  // namespace

Case abm_case(const std::string& endpoint, const char* mutation, std::string name, std::string raw,
              Expected expect) {
  auto c = raw_case(endpoint, mutation, std::move(name), std::move(raw), std::move(expect));
  c.channel = Channel::abm_http;
  return c;
}

void retarget_abm(std::vector<Case>& out, std::size_t from) {
  for (auto i = from; i < out.size(); ++i) out[i].channel = Channel::abm_http;
}

void add_abm_cases(Rng& rng, const Materials& materials, std::vector<Case>& out) {
  const auto& m = materials.abm;
  const auto& s = m.serials;
  const auto& p = m.profile_uuid;
  const json unknown = json::array({"HOSTILEUNKNOWN1"});
  auto vars = [&](const std::string& serial, const std::string& cursor) {
    return std::vector<std::pair<std::string, std::string>>{
        {"$S", serial}, {"$P", p}, {"$C", cursor}};
  };
  const std::vector<DepEndpoint> endpoints = {
      {"POST /server/devices (ABM)",
       "/server/devices",
       {"POST"},
       Kind::fetch,
       json{{"limit", 100}},
       json{{"limit", 100}},
       json{{"cursor", m.fetch_cursor}, {"limit", 2}},
       filled(kFetchShapes, vars(s.at(1), m.fetch_cursor)),
       {}},
      {"POST /devices/sync (ABM)",
       "/devices/sync",
       {"POST"},
       Kind::sync,
       json{{"cursor", m.sync_cursor}, {"limit", 100}},
       json{{"cursor", m.sync_cursor}, {"limit", 100}},
       json{{"cursor", m.sync_cursor}, {"limit", 2}},
       filled(kFetchShapes, vars(s.at(1), m.sync_cursor)),
       {}},
      {"POST /profile (ABM)",
       "/profile",
       {"POST"},
       Kind::profile,
       json{{"profile_name", "hostile"},
            {"url", "https://mdm.example/api/mdm/apple/enroll"},
            {"is_supervised", true},
            {"devices", {s.at(1)}}},
       json(),
       json{{"profile_name", "hostile"},
            {"url", "https://mdm.example/api/mdm/apple/enroll"},
            {"department", "IT"},
            {"is_supervised", true},
            {"devices", {s.at(1)}}},
       filled(kProfileShapes, vars(s.at(1), "")),
       {}},
      // Assigning serial 1 and 0 (0 again: a change recorded), or taking both off their profile.
      {"PUT/POST/DELETE /profile/devices (ABM)",
       "/profile/devices",
       {"PUT", "POST", "DELETE"},
       Kind::serials,
       json{{"profile_uuid", p}, {"devices", {s.at(1), s.at(0)}}},
       json{{"profile_uuid", p}, {"devices", unknown}},
       json{{"profile_uuid", p}, {"devices", {s.at(1), s.at(0)}}},
       filled(kSerialShapes, vars(s.at(1), "")),
       filled(kAssignShapes, vars(s.at(1), ""))},
      {"POST /devices (ABM)",
       "/devices",
       {"POST"},
       Kind::serials,
       json{{"devices", {s.at(0), s.at(1)}}},
       json{{"devices", {s.at(0), s.at(1)}}},
       json{{"devices", {s.at(0), s.at(1)}}},
       filled(kSerialShapes, vars(s.at(2), "")),
       {}},
      {"POST /devices/disown (ABM)",
       "/devices/disown",
       {"POST"},
       Kind::serials,
       json{{"devices", {s.at(2)}}},
       json{{"devices", unknown}},
       json{{"devices", {s.at(2)}}},
       filled(kSerialShapes, vars(s.at(2), "")),
       {}},
  };
  for (const auto& ep : endpoints) {
    DepGen g{rng, m, ep, out};
    g.forged();
    g.truncation();
    g.huge();
    g.numbers();
    g.nesting();
    g.duplicate_keys();
    g.invalid_utf8();
    g.content_type();
    if (ep.kind == Kind::fetch || ep.kind == Kind::sync) g.cursors();
  }
}

}  // namespace mdmlab::testing::hostile
