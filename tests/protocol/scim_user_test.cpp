// SCIM Users (protocol/scim/scim_user.hpp): the body Entra's provisioning service posts reads
// into a user; what we answer is a User resource with meta; Entra's PATCH (Replace in any case,
// booleans as "False") applies; filters other than `userName eq "..."` / `externalId eq` and
// bodies that are not User resources are refused with RFC 7644's scimType.
#include <boost/test/unit_test.hpp>

#include "protocol/scim/scim_user.hpp"

using namespace mdmlab;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(scim_user)

const char* kEntraCreate = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"externalId":"ada",
  "userName":"ada@contoso.example","active":true,"displayName":"Ada Lovelace",
  "emails":[{"primary":true,"type":"work","value":"ada@mail.example"}],
  "meta":{"resourceType":"User"},
  "name":{"formatted":"Ada Lovelace","familyName":"Lovelace","givenName":"Ada"}})";

BOOST_AUTO_TEST_CASE(entras_create_body_reads_and_answers_as_a_user_resource) {
  auto u = scim::parse_user(kEntraCreate).value();
  BOOST_TEST(u.user_name == "ada@contoso.example");
  BOOST_TEST(u.external_id == "ada");
  BOOST_TEST(u.given_name == "Ada");
  BOOST_TEST(u.family_name == "Lovelace");
  BOOST_TEST(u.email == "ada@mail.example");
  BOOST_TEST(u.active);
  u.id = "1f6c";
  auto j = scim::user_json(u, "https://mdm.example/scim/Users/1f6c", "2026-12-08T00:00:00Z",
                           "2026-12-08T00:00:00Z");
  BOOST_TEST(j["schemas"][0] == scim::kUserSchema);
  BOOST_TEST(j["id"] == "1f6c");
  BOOST_TEST(j["meta"]["resourceType"] == "User");
  BOOST_TEST(j["meta"]["location"] == "https://mdm.example/scim/Users/1f6c");
  BOOST_TEST(j["emails"][0]["primary"] == true);
  BOOST_TEST(j["name"]["familyName"] == "Lovelace");
}

BOOST_AUTO_TEST_CASE(bodies_that_are_no_user_are_refused_with_their_scim_type) {
  BOOST_TEST(scim::parse_user("[]").error().code == "invalidSyntax");
  BOOST_TEST(scim::parse_user(R"({"userName":"a"})").error().code == "invalidSyntax");
  const std::string schema = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],)";
  BOOST_TEST(scim::parse_user(schema + R"("userName":""})").error().code == "invalidValue");
  BOOST_TEST(scim::parse_user(schema + R"("userName":7})").error().code == "invalidValue");
  BOOST_TEST(scim::parse_user(schema + R"("userName":"a","active":"maybe"})").error().code ==
             "invalidValue");
  BOOST_TEST(scim::parse_user(schema + R"("userName":"a","name":"Ada"})").error().code ==
             "invalidValue");
  BOOST_TEST(
      scim::parse_user(schema + R"("userName":")" + std::string(300, 'a') + "\"}").error().code ==
      "invalidValue");
  // A key twice means two things to two readers: refused.
  BOOST_TEST(!scim::parse_user(schema + R"("userName":"a","userName":"b"})").ok());
  auto error = json::parse(scim::error_json(409, "uniqueness", "taken"));
  BOOST_TEST(error["schemas"][0] == scim::kErrorSchema);
  BOOST_TEST(error["status"] == "409");
  BOOST_TEST(error["scimType"] == "uniqueness");
  // A detail quoting bytes that are no UTF-8 still makes a message (fuzz-smoke found the throw).
  auto quoted = json::parse(scim::error_json(400, "invalidValue", "bad \xFE value"));
  BOOST_TEST(quoted["detail"] == "bad \xEF\xBF\xBD value");
}

BOOST_AUTO_TEST_CASE(filters_are_attribute_eq_string) {
  auto f = scim::parse_filter(R"(userName eq "ada@contoso.example")").value();
  BOOST_TEST(f.attribute == "userName");
  BOOST_TEST(f.value == "ada@contoso.example");
  BOOST_TEST(scim::parse_filter(R"(EXTERNALID Eq "a\"b")").value().value == "a\"b");
  for (const char* bad : {"userName co \"a\"", "userName eq a", "displayName eq \"a\"",
                          "userName eq \"a\" or userName eq \"b\"", "", "userName"})
    BOOST_TEST(scim::parse_filter(bad).error().code == "invalidFilter", bad);
}

BOOST_AUTO_TEST_CASE(entras_patch_applies_and_other_operations_are_refused) {
  scim::ScimUser u;
  u.user_name = "ada@contoso.example";
  auto patched =
      scim::apply_patch(u, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"Replace","path":"active","value":"False"},
    {"op":"Replace","path":"emails[type eq \"work\"].value","value":"a@b.example"},
    {"op":"add","value":{"name.givenName":"Ada","externalId":"ada"}}]})")
          .value();
  BOOST_TEST(!patched.active);
  BOOST_TEST(patched.email == "a@b.example");
  BOOST_TEST(patched.given_name == "Ada");
  BOOST_TEST(patched.external_id == "ada");
  const std::string head = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)";
  BOOST_TEST(scim::apply_patch(u, head + R"("Operations":[{"op":"remove","path":"userName"}]})")
                 .error()
                 .code == "mutability");
  BOOST_TEST(
      scim::apply_patch(u, head + R"("Operations":[{"op":"replace","path":"title","value":"x"}]})")
          .error()
          .code == "invalidPath");
  BOOST_TEST(scim::apply_patch(
                 u, head + R"("Operations":[{"op":"replace","path":"userName","value":""}]})")
                 .error()
                 .code == "invalidValue");
  BOOST_TEST(scim::apply_patch(u, head + R"("Operations":[]})").error().code == "invalidSyntax");
  BOOST_TEST(scim::apply_patch(u, R"({"Operations":[]})").error().code == "invalidSyntax");
}

BOOST_AUTO_TEST_SUITE_END()
