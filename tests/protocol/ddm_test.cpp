// DDM wire documents: kinds from types, tokens that follow content and not order, endpoints,
// and status reports that round-trip and refuse what Apple's schema does not allow.
#include <boost/test/unit_test.hpp>

#include "protocol/apple/ddm/status_report.hpp"
#include "protocol/apple/ddm/sync_messages.hpp"

using namespace mdmlab::apple::ddm;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(ddm_wire)

BOOST_AUTO_TEST_CASE(kinds_come_from_types_and_tokens_from_content) {
  BOOST_TEST((kind_of_type("com.apple.configuration.passcode.settings") ==
              DeclarationKind::configuration));
  BOOST_TEST((kind_of_type("com.apple.activation.simple") == DeclarationKind::activation));
  BOOST_TEST(!kind_of_type("com.apple.configuration").has_value());
  BOOST_TEST(!kind_of_type("com.apple.profile.x").has_value());
  auto a =
      parse_declaration(R"({"Type":"com.apple.configuration.passcode.settings","Identifier":"p",)"
                        R"("Payload":{"MinimumLength":8,"RequirePasscode":true}})")
          .value();
  auto reordered =
      parse_declaration(R"({"Identifier":"p","Payload":{"RequirePasscode":true,"MinimumLength":8},)"
                        R"("Type":"com.apple.configuration.passcode.settings"})")
          .value();
  BOOST_TEST(content_token(a) == content_token(reordered));
  auto changed = a;
  changed.payload["MinimumLength"] = 9;
  BOOST_TEST(content_token(a) != content_token(changed));
  BOOST_TEST(!parse_declaration(encode_declaration(a), true).ok());  // no ServerToken yet
  a.server_token = content_token(a);
  BOOST_TEST(parse_declaration(encode_declaration(a), true).value().server_token == a.server_token);

  Declaration b = a;
  b.identifier = "q";
  BOOST_TEST(declarations_token({a, b}) == declarations_token({b, a}));
  BOOST_TEST(declarations_token({a, b}) != declarations_token({a}));
  auto items = parse_declaration_items(encode_declaration_items(items_of({a, b}))).value();
  BOOST_TEST(items.configurations.size() == 2);
  BOOST_TEST(items.activations.empty());
  BOOST_TEST(items.declarations_token == declarations_token({a, b}));
}

BOOST_AUTO_TEST_CASE(endpoints_are_the_four_apple_names) {
  BOOST_TEST((parse_endpoint("tokens").value().kind == Endpoint::Kind::tokens));
  BOOST_TEST((parse_endpoint("status").value().kind == Endpoint::Kind::status));
  auto d = parse_endpoint("declaration/activation/a-1").value();
  BOOST_TEST((d.kind == Endpoint::Kind::declaration));
  BOOST_TEST((d.declaration_kind == DeclarationKind::activation));
  BOOST_TEST(d.identifier == "a-1");
  for (const char* bad : {"", "token", "declaration/", "declaration/configuration/",
                          "declaration/profile/x", "declaration/configuration/a/b"})
    BOOST_TEST(!parse_endpoint(bad).ok(), bad);
}

BOOST_AUTO_TEST_CASE(status_reports_round_trip_and_refuse_bad_values) {
  StatusReport r;
  r.full_report = true;
  DeclarationStatus s;
  s.kind = DeclarationKind::activation;
  s.identifier = "a";
  s.active = true;
  s.valid = "valid";
  s.server_token = "t";
  r.declarations.push_back(s);
  r.other_items = {{"device", {{"identifier", {{"udid", "U"}}}}}};
  auto back = parse_status_report(encode_status_report(r)).value();
  BOOST_REQUIRE(back.declarations.size() == 1);
  BOOST_TEST((back.declarations[0].kind == DeclarationKind::activation));
  BOOST_TEST(back.declarations[0].active);
  BOOST_TEST(back.full_report);
  BOOST_TEST(back.other_items["device"]["identifier"]["udid"] == "U");
  for (
      const char* bad :
      {"{}x", R"({"Errors":{}})", R"({"FullReport":"yes"})",
       R"({"StatusItems":{"management":{"declarations":{"configurations":[{"valid":"valid"}]}}}})",
       R"({"StatusItems":{"management":{"declarations":{"configurations":[{"identifier":"a","active":"yes"}]}}}})",
       R"({"StatusItems":{"management":{"declarations":{"configurations":[{"identifier":"a","reasons":[{"description":"no code"}]}]}}}})"})
    BOOST_TEST(!parse_status_report(bad).ok(), bad);
  BOOST_TEST(parse_status_report(R"({"StatusItems":{"device":{}}})").value().declarations.empty());
}

BOOST_AUTO_TEST_SUITE_END()
