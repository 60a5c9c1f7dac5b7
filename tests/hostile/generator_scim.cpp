// The server's SCIM 2.0 Users endpoint (server/scim/scim_routes.hpp): the admin API's bearer
// classes (forged tokens, huge bodies, broken framing), User bodies that are none (RFC 7643
// 4.1: schemas, userName; RFC 7644 3.12 scimType), media types it does not take, filters it does
// not support, and ids it never gave out. Each is refused and nothing is stored.
#include <nlohmann/json.hpp>

#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {
namespace {
using nlohmann::json;

const std::string kUsers = "POST /api/latest/fleet/scim/Users";
const std::string kList = "GET /api/latest/fleet/scim/Users";
const std::string kOne = "PATCH /api/latest/fleet/scim/Users/{id}";
constexpr const char* kUsersPath = "/api/latest/fleet/scim/Users";
constexpr const char* kScimType = "application/scim+json";
constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";

json valid_user() {
  return {{"schemas", {kUserSchema}},
          {"userName", "hostile@contoso.example"},
          {"name", {{"givenName", "Host"}, {"familyName", "Ile"}}},
          {"active", true}};
}

void add_create(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const auto valid = valid_user().dump();
  add_admin_auth_cases(rng, m, kUsers, "POST", kUsersPath, kScimType, valid, out);
  const net::Headers h{{"Authorization", "Bearer " + m.admin_token}, {"Content-Type", kScimType}};
  // The admin classes bring half a class of broken lengths for a body; the other half here.
  add_http_numbers(rng, HttpBase{kUsers, "POST", kUsersPath, h, valid}, kPerClass / 2, out);
  auto post = [&](const char* cls, std::string name, const std::string& body, Expected want) {
    out.push_back(
        raw_case(kUsers, cls, std::move(name), raw_request("POST", kUsersPath, h, body), want));
  };
  for (int i = 0; i < kPerClass; ++i) {
    auto u = valid_user();
    std::string name;
    switch (i % 10) {
      case 0:
        u["userName"] = 42;
        name = "userName a number";
        break;
      case 1:
        u["userName"] = "";
        name = "userName empty";
        break;
      case 2:
        u.erase("userName");
        name = "no userName";
        break;
      case 3:
        u["active"] = "perhaps";
        name = "active a word";
        break;
      case 4:
        u["name"] = "Host Ile";
        name = "name a string";
        break;
      case 5:
        u["emails"] = "a@b.example";
        name = "emails a string";
        break;
      case 6:
        u["emails"] = json::array({42});
        name = "an email a number";
        break;
      case 7:
        u["userName"] = std::string(rng.between(257, 2000), 'u');
        name = "userName too long";
        break;
      case 8:
        u["externalId"] = json::object();
        name = "externalId an object";
        break;
      default:
        u["userName"] = json::array({"a@b.example"});
        name = "userName an array";
        break;
    }
    post(mutation::wrong_types, name, u.dump(),
         expect::bad_request("RFC 7644 3.12 invalidValue: " + name));
  }
  for (int i = 0; i < kPerClass; ++i) {
    std::string name, body;
    switch (i % 5) {
      case 0:
        name = "not JSON";
        body = "userName=hostile";
        break;
      case 1:
        name = "JSON cut short";
        body = valid.substr(0, rng.between(1, valid.size() - 1));
        break;
      case 2:
        name = "an array";
        body = "[" + valid + "]";
        break;
      case 3:
        name = "no schemas";
        {
          auto u = valid_user();
          u.erase("schemas");
          body = u.dump();
        }
        break;
      default:
        name = "another schema";
        {
          auto u = valid_user();
          u["schemas"] = {"urn:ietf:params:scim:schemas:core:2.0:Group"};
          body = u.dump();
        }
        break;
    }
    post(mutation::invalid_json, name, body,
         expect::bad_request("RFC 7644 3.12 invalidSyntax: not a User resource"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    const auto body = i % 2 == 0
                          ? R"({"schemas":[")" + std::string(kUserSchema) +
                                R"("],"userName":"a@b.example","userName":"root@b.example"})"
                          : R"({"schemas":[")" + std::string(kUserSchema) +
                                R"("],"userName":"a@b.example","active":true,"active":false})";
    post(mutation::duplicate_keys, i % 2 == 0 ? "userName twice" : "active twice", body,
         expect::bad_request("a key twice reads two ways: refused"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto body = valid;
    const auto at = body.find("hostile");
    body.insert(at + rng.below(7), invalid_utf8(rng));
    post(mutation::invalid_utf8, "invalid UTF-8 in userName", body,
         expect::bad_request("JSON is UTF-8 (RFC 8259 8.1)"));
  }
  static const std::vector<std::string> kTypes = {"text/plain",
                                                  "application/x-www-form-urlencoded",
                                                  "application/xml",
                                                  "",
                                                  "application/scim+jsonx",
                                                  "multipart/form-data; boundary=x",
                                                  "text/json",
                                                  "application/scim",
                                                  "application/jsonp",
                                                  "image/png"};
  for (int i = 0; i < kPerClass; ++i) {
    const auto& t = kTypes[static_cast<std::size_t>(i) % kTypes.size()];
    net::Headers typed{{"Authorization", "Bearer " + m.admin_token}};
    if (!t.empty()) typed.emplace_back("Content-Type", t);
    out.push_back(raw_case(kUsers, mutation::content_type, "a User as '" + t + "'",
                           raw_request("POST", kUsersPath, typed, valid),
                           expect::unsupported_media_type("application/scim+json (or JSON)")));
  }
}

void add_list(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const net::Headers h{{"Authorization", "Bearer " + m.admin_token}};
  static const std::vector<std::string> kFilters = {"userName co \"a\"",
                                                    "userName eq a",
                                                    "displayName eq \"a\"",
                                                    "userName eq \"a\" or userName eq \"b\"",
                                                    "userName",
                                                    "emails[type eq \"work\"]",
                                                    "userName eq \"unterminated",
                                                    "(userName eq \"a\")",
                                                    "userName ne \"a\"",
                                                    "eq \"a\""};
  for (int i = 0; i < kPerClass; ++i) {
    const auto& f = kFilters[static_cast<std::size_t>(i) % kFilters.size()];
    out.push_back(raw_case(
        kList, mutation::params, "filter " + f,
        raw_request("GET", std::string(kUsersPath) + "?filter=" + net::percent_encode(f), h, ""),
        expect::bad_request("RFC 7644 3.4.2.2: invalidFilter")));
  }
  for (int i = 0; i < kPerClass; ++i) {
    const auto n = rng.pick(std::vector<std::string>{"1e3", "-", "99999999999999999999", "0x10",
                                                     "ten", "1.5", " 1", "+-1"});
    out.push_back(raw_case(
        kList, mutation::numbers, (i % 2 ? "count " : "startIndex ") + n,
        raw_request(
            "GET",
            std::string(kUsersPath) + (i % 2 ? "?count=" : "?startIndex=") + net::percent_encode(n),
            h, ""),
        expect::bad_request("startIndex and count are integers")));
  }
}

void add_patch(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const net::Headers h{{"Authorization", "Bearer " + m.admin_token}, {"Content-Type", kScimType}};
  const json patch{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                   {"Operations", {{{"op", "Replace"}, {"path", "active"}, {"value", "False"}}}}};
  for (int i = 0; i < kPerClass; ++i) {
    const auto id =
        i % 2 ? base64url_encode(to_bytes(rng.bytes(12)))
              : std::string("00000000-0000-4000-8000-00000000000") + std::to_string(i % 10);
    out.push_back(
        raw_case(kOne, mutation::identity, "an id never given out",
                 raw_request(i % 4 == 3 ? "PUT" : "PATCH", std::string(kUsersPath) + "/" + id, h,
                             i % 4 == 3 ? valid_user().dump() : patch.dump()),
                 expect::not_found("RFC 7644 3.12: no such resource")));
  }
}
}  // namespace

void add_scim_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  add_create(rng, m, out);
  add_list(rng, m, out);
  add_patch(rng, m, out);
}

}  // namespace mdmlab::testing::hostile
