// Entra simulator cases, the rest of it: the OpenID configuration and the JWKS over TLS (a tenant
// that does not exist is AADSTS90002 on a 400 page, a path that names nothing 404, methods the
// platform does not take 405), and the control API over plain HTTP (entra_control_routes.cpp:
// strict JSON objects, 400 for anything else): POST /control/v1/faults, which would queue a fault
// for the token endpoint, POST /control/v1/tenants and .../tenants/<t>/users, which would add one.
// Numbers: a status is an HTTP error status (400-599), a count or Retry-After a number of the
// size they are, never a value that wraps into one.
#include "tests/hostile/generator_entra.hpp"

#include <cctype>

namespace mdmlab::testing::hostile {
namespace {
Expected page(int status, const std::string& aadsts, const std::string& why) {
  return Expected::carrying(status, Carries::page_error, aadsts, "Entra's error page: " + why);
}

void add_metadata(Rng& rng, const EntraMaterials& e, const std::string& endpoint,
                  const std::string& rest, std::vector<Case>& out) {
  const auto valid = "/" + e.tenant + rest;
  auto get = [&](const char* cls, std::string name, const std::string& target, Expected want,
                 const std::string& method = "GET") {
    out.push_back(entra_case(endpoint, cls, std::move(name), raw_request(method, target, {}, ""),
                             std::move(want)));
  };
  for (int i = 0; i < kPerClass; ++i) {
    switch (i % 5) {
      case 0:
        get(mutation::path, "an unknown tenant id",
            "/" + std::string(8, static_cast<char>('a' + rng.below(6))) +
                "-0000-0000-0000-000000000000" + rest,
            page(400, "AADSTS90002", "no such tenant"));
        break;
      case 1:
        get(mutation::path, i < 10 ? "tenant 'common'" : "tenant 'organizations'",
            (i < 10 ? "/common" : "/organizations") + rest,
            page(400, "AADSTS90002", "no such tenant in the simulator"));
        break;
      case 2:
        get(mutation::path, "an empty tenant segment", "/" + rest,
            page(400, "AADSTS90002", "no tenant"));
        break;
      case 3:
        get(mutation::path, "a trailing '/'", valid + "/",
            expect::not_found("no such endpoint under the tenant"));
        break;
      default: {
        auto upper = rest;
        std::vector<std::size_t> letters;
        for (std::size_t k = 0; k < upper.size(); ++k)
          if (std::isalpha(static_cast<unsigned char>(upper[k]))) letters.push_back(k);
        upper[rng.pick(letters)] ^= 0x20;
        get(mutation::path, "a letter's case changed: " + upper, "/" + e.tenant + upper,
            expect::not_found("paths are case-sensitive"));
        break;
      }
    }
  }
  for (int i = 0; i < kPerClass; ++i) {
    const auto bad = with_invalid_utf8(rng, e.domain);
    if (i % 2)
      get(mutation::invalid_utf8, "raw invalid UTF-8 in the tenant", "/" + bad + rest,
          expect::bad_request("raw bytes outside URI characters (RFC 9112 3.2), or a tenant "
                              "that does not exist (AADSTS90002)"));
    else
      get(mutation::invalid_utf8, "percent-encoded invalid UTF-8 in the tenant",
          "/" + percent_all(bad) + rest, page(400, "AADSTS90002", "no such tenant"));
  }
  static const std::vector<std::string> kMethods = {"POST",  "PUT",     "DELETE",
                                                    "PATCH", "OPTIONS", "get"};
  for (int i = 0; i < kPerClass; ++i) {
    const auto& m = kMethods[static_cast<std::size_t>(i) % kMethods.size()];
    get(mutation::method, m + " " + rest, valid,
        m == "POST" ? expect::not_found("the platform has no POST endpoint here")
                    : expect::method_not_allowed("the identity platform takes GET and POST"),
        m);
  }
  const HttpBase base{endpoint, "GET", valid, {}, ""};
  const auto from = out.size();
  add_http_truncation(rng, base, kPerClass, out);
  add_http_numbers(rng, base, kPerClass, out);
  for (auto i = from; i < out.size(); ++i) out[i].channel = Channel::entra_tls;
}

// A control API endpoint: a JSON body that must be refused, in every way JSON can be wrong.
struct ControlGen {
  Rng& rng;
  std::string endpoint, target;
  std::string valid;  // valid JSON (compact) that would change the simulator if it were taken
  std::size_t body_limit;
  std::vector<Case>& out;

  void add(const char* cls, std::string name, const std::string& body, Expected want) {
    out.push_back(entra_control_case(
        endpoint, cls, std::move(name),
        raw_request("POST", target, {{"Content-Type", "application/json"}}, body),
        std::move(want)));
  }
  Expected refused(const std::string& why) const {
    return expect::bad_request("the control API takes one strict JSON object: " + why);
  }

  void json_errors() {
    for (int i = 0; i < kPerClass; ++i) {
      std::string name, b;
      switch (i % 10) {
        case 0:
          name = "not JSON";
          b = "status=503";
          break;
        case 1:
          name = "an array";
          b = "[" + valid + "]";
          break;
        case 2:
          name = "a string";
          b = "\"" + valid.substr(1, 10) + "\"";
          break;
        case 3:
          name = "a trailing comma";
          b = valid.substr(0, valid.size() - 1) + ",}";
          break;
        case 4:
          name = "single quotes";
          b = valid;
          for (auto& c : b)
            if (c == '"') c = '\'';
          break;
        case 5:
          name = "two objects";
          b = valid + valid;
          break;
        case 6:
          name = "an empty body";
          break;
        case 7:
          name = "a comment";
          b = "/* x */" + valid;
          break;
        case 8:
          name = "NaN";
          b = valid.substr(0, valid.size() - 1) + ",\"x\":NaN}";
          break;
        default:
          name = "null";
          b = "null";
          break;
      }
      add(mutation::invalid_json, name, b, refused(name));
    }
  }
  void duplicates() {
    for (int i = 0; i < kPerClass; ++i) {
      // The first key again, with its value, before or after the original.
      const auto colon = valid.find(':');
      const auto comma = valid.find(',');
      const auto first =
          valid.substr(1, (comma == std::string::npos ? valid.size() - 1 : comma) - 1);
      const auto b = i % 2 ? "{" + first + "," + valid.substr(1)
                           : valid.substr(0, valid.size() - 1) + "," + first + "}";
      add(mutation::duplicate_keys, "key " + valid.substr(1, colon - 1) + " twice", b,
          refused("an object with a key twice (strict JSON)"));
    }
  }
  void utf8() {
    for (int i = 0; i < kPerClass; ++i) {
      auto b = valid;
      const auto quote = b.rfind('"');  // inside the last string value
      b.insert(quote, invalid_utf8(rng));
      add(mutation::invalid_utf8, "invalid UTF-8 inside a string", b,
          refused("JSON is UTF-8 (RFC 8259 8.1)"));
    }
  }
  void nesting(const std::string& key) {
    for (int i = 0; i < kPerClass; ++i) {
      std::string inner = "503";
      const auto depth = i % 2 ? rng.between(70, 5000) : rng.between(1, 5);
      for (std::size_t k = 0; k < depth; ++k)
        inner = i % 4 < 2 ? "[" + inner + "]" : "{\"v\":" + inner + "}";
      add(mutation::nesting, key + " nested " + std::to_string(depth) + " deep",
          "{\"" + key + "\":" + inner + "}", refused(key + " in the wrong shape"));
    }
  }
  void cuts() {
    for (int i = 0; i < kPerClass / 2; ++i) {
      const auto cut = rng.between(1, valid.size() - 1);
      add(mutation::truncation, "JSON cut at " + std::to_string(cut), valid.substr(0, cut),
          refused("JSON cut short"));
    }
    const HttpBase base{endpoint, "POST", target, {{"Content-Type", "application/json"}}, valid};
    const auto from = out.size();
    add_http_truncation(rng, base, kPerClass / 2, out);
    add_http_huge(rng, base, body_limit, kPerClass, out);
    for (auto i = from; i < out.size(); ++i) out[i].channel = Channel::entra_http;
  }
};
}  // namespace

void add_entra_service_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const auto& e = m.entra;
  add_metadata(rng, e, "GET /{tenant}/v2.0/.well-known/openid-configuration (Entra)",
               "/v2.0/.well-known/openid-configuration", out);
  add_metadata(rng, e, "GET /{tenant}/discovery/v2.0/keys (Entra)", "/discovery/v2.0/keys", out);

  ControlGen faults{rng,
                    "POST /control/v1/faults (Entra)",
                    "/control/v1/faults",
                    R"({"status":503,"error":"temporarily_unavailable","count":1})",
                    e.body_limit,
                    out};
  faults.json_errors();
  faults.duplicates();
  faults.utf8();
  faults.nesting("status");
  faults.cuts();
  for (int i = 0; i < kPerClass; ++i) {
    static const std::vector<std::string> kBodies = {
        R"({"status":399})",
        R"({"status":600})",
        R"({"status":-1})",
        R"({"status":0})",
        R"({"status":4294967725})",                  // 2^32 + 429: as an int, 429
        R"({"status":-4294966867})",                 // -2^32 + 429
        R"({"status":4294967799,"retry_after":5})",  // 2^32 + 503
        R"({"status":18446744073709551615})",
        R"({"status":1e3})",
        R"({"status":503.0})",
        R"({"status":503,"retry_after":4294967297})",  // 2^32 + 1
        R"({"status":503,"count":4294967297})",
        R"({"status":503,"retry_after":-9223372036854775808})",
        R"({"status":503,"count":18446744073709551616})",
        R"({"status":9223372036854775807})",
        R"({"status":"503"})",
        R"({"status":true})",
        R"({"status":null})",
        R"({"status":429,"count":-4294967295})",  // -2^32 + 1
        R"({"status":1e400})"};
    const auto& b = kBodies[static_cast<std::size_t>(i)];
    faults.add(mutation::numbers, b, b,
               faults.refused("status an HTTP error status; count and retry_after numbers of "
                              "their size, not values that wrap"));
  }

  ControlGen tenants{rng,
                     "POST /control/v1/tenants (Entra)",
                     "/control/v1/tenants",
                     R"({"domain":"hostile.example","name":"Hostile"})",
                     e.body_limit,
                     out};
  tenants.json_errors();
  tenants.duplicates();
  tenants.utf8();
  tenants.nesting("domain");

  const auto users_target = "/control/v1/tenants/" + e.tenant + "/users";
  ControlGen users{rng,          "POST /control/v1/tenants/<tenant>/users (Entra)",
                   users_target, R"({"upn":"new.user@contoso.example","password":"Passw0rd!"})",
                   e.body_limit, out};
  users.json_errors();
  users.duplicates();
  users.utf8();
  for (int i = 0; i < kPerClass; ++i) {
    const auto valid = std::string(R"({"upn":"new.user@contoso.example","password":"Passw0rd!"})");
    switch (i % 4) {
      case 0:
        out.push_back(entra_control_case(
            users.endpoint, mutation::identity, "an unknown tenant",
            raw_request("POST", "/control/v1/tenants/no-such-tenant.example/users",
                        {{"Content-Type", "application/json"}}, valid),
            Expected::status(409, "an unknown tenant (409)")));
        break;
      case 1:
        users.add(mutation::identity, "a UPN that is taken",
                  R"({"upn":")" + e.user + R"(","password":"Other-Passw0rd"})",
                  Expected::status(409, "the UPN is taken (409)"));
        break;
      case 2: {
        auto upper = e.user;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        users.add(mutation::identity, "a taken UPN in capitals",
                  R"({"upn":")" + upper + R"(","password":"Other-Passw0rd"})",
                  Expected::status(409, "UPNs compare case-insensitively: taken (409)"));
        break;
      }
      default:
        users.add(mutation::identity, i % 8 == 3 ? "no password" : "no upn",
                  i % 8 == 3 ? R"({"upn":"new.user@contoso.example"})" : R"({"password":"x"})",
                  users.refused("a user needs upn and password"));
        break;
    }
  }
}

}  // namespace mdmlab::testing::hostile
