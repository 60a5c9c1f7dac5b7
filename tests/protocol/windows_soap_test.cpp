// SOAP 1.2 envelopes and the Discover exchange (MS-MDE2 2.2.4): names resolved by namespace
// whatever the prefixes, the WS-Security tokens found, headers marked mustUnderstand that we do
// not know refused (SOAP 1.2 5.2.3); what we write is read by Python's xml.etree.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "protocol/windows/discovery.hpp"
#include "protocol/windows/soap.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
namespace soap = mdmlab::windows::soap;
namespace discovery = mdmlab::windows::discovery;

namespace {
// The shape of MS-MDE2 4.1's Discover request, with the upper-case MessageID and ":443" a real
// client sends.
const std::string kDiscover =
    R"(<s:Envelope xmlns:a="http://www.w3.org/2005/08/addressing" )"
    R"(xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>)"
    R"(<a:Action s:mustUnderstand="1">http://schemas.microsoft.com/windows/management/2012/01/)"
    R"(enrollment/IDiscoveryService/Discover</a:Action>)"
    R"(<a:MessageID>urn:uuid:748132EC-a575-4329-b01b-6171a9cf8478</a:MessageID>)"
    R"(<a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address>)"
    R"(</a:ReplyTo><a:To s:mustUnderstand="1">https://EnterpriseEnrollment.Contoso.com:443/)"
    R"(EnrollmentServer/Discovery.svc</a:To></s:Header><s:Body>)"
    R"(<Discover xmlns="http://schemas.microsoft.com/windows/management/2012/01/enrollment">)"
    R"(<request xmlns:i="http://www.w3.org/2001/XMLSchema-instance">)"
    R"(<EmailAddress>user@contoso.com</EmailAddress><RequestVersion>4.0</RequestVersion>)"
    R"(<DeviceType>CIMClient_Windows</DeviceType><ApplicationVersion>10.0.19043.1</ApplicationVersion>)"
    R"(<OSEdition>48</OSEdition><AuthPolicies><AuthPolicy>OnPremise</AuthPolicy>)"
    R"(<AuthPolicy>Federated</AuthPolicy></AuthPolicies></request></Discover></s:Body></s:Envelope>)";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto at = s.find(from);
  BOOST_REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(windows_soap)

BOOST_AUTO_TEST_CASE(a_discover_request_is_read_by_namespace_whatever_the_prefixes) {
  // The same message with other prefixes bound to the same namespaces reads the same.
  std::string other = kDiscover;
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"xmlns:s=", "xmlns:soap12="},
                                                        {"<s:", "<soap12:"},
                                                        {"</s:", "</soap12:"},
                                                        {" s:", " soap12:"},
                                                        {"xmlns:a=", "xmlns:wsa="},
                                                        {"<a:", "<wsa:"},
                                                        {"</a:", "</wsa:"}})
    other = replace_all(other, from, to);
  for (const auto& xml : {kDiscover, other}) {
    auto e = soap::parse_envelope(xml);
    BOOST_REQUIRE_MESSAGE(e.ok(), (e.ok() ? std::string() : e.error().message));
    BOOST_TEST(e->action == discovery::kDiscoverAction);
    BOOST_TEST(e->message_id == "urn:uuid:748132EC-a575-4329-b01b-6171a9cf8478");
    BOOST_TEST(e->to.find(":443/") != std::string::npos);
    BOOST_TEST(e->body_name == "Discover");
    auto d = discovery::parse_discover(e->body_xml);
    BOOST_REQUIRE_MESSAGE(d.ok(), (d.ok() ? std::string() : d.error().message));
    BOOST_TEST(d->email_address == "user@contoso.com");
    BOOST_TEST(d->request_version == "4.0");
    BOOST_TEST(d->auth_policies.size() == 2u);
  }
  BOOST_TEST(other.find("<soap12:Body>") != std::string::npos);
  // A prefix bound to no namespace: not a SOAP envelope.
  BOOST_TEST(!soap::parse_envelope(replace(kDiscover, "xmlns:s=", "xmlns:t=")).ok());
}

BOOST_AUTO_TEST_CASE(tokens_are_found_and_what_is_not_an_envelope_is_refused) {
  auto with_security = replace(
      kDiscover, "</s:Header>",
      R"(<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-)"
      R"(wssecurity-secext-1.0.xsd" s:mustUnderstand="1"><wsse:UsernameToken u:Id="x" )"
      R"(xmlns:u="u"><wsse:Username>user@contoso.com</wsse:Username><wsse:Password )"
      R"(wsse:Type="PasswordText">pa&amp;ss</wsse:Password></wsse:UsernameToken>)"
      R"(<wsse:BinarySecurityToken ValueType="urn:ietf:params:oauth:token-type:jwt" )"
      R"(EncodingType="b64">ZXlK</wsse:BinarySecurityToken></wsse:Security></s:Header>)");
  auto e = soap::parse_envelope(with_security);
  BOOST_REQUIRE_MESSAGE(e.ok(), (e.ok() ? std::string() : e.error().message));
  BOOST_REQUIRE(e->username_token.has_value());
  BOOST_TEST(e->username_token->password == "pa&ss");
  BOOST_REQUIRE(e->security_token.has_value());
  BOOST_TEST(e->security_token->value_type == "urn:ietf:params:oauth:token-type:jwt");
  BOOST_TEST(e->security_token->value == "ZXlK");

  const std::vector<std::pair<std::string, std::string>> refused = {
      {replace(kDiscover, "http://www.w3.org/2003/05/soap-envelope", "urn:not-soap"), "SOAP 1.2"},
      {replace(kDiscover, "</s:Header>",
               R"(<x:Odd xmlns:x="urn:x" s:mustUnderstand="1"/></s:Header>)"),
       "mustUnderstand"},
      {replace(kDiscover, "</s:Body>", "<Extra/></s:Body>"), "more than one"},
      {replace(kDiscover, "Discover</a:Action>", "Discover</a:Actio>"), "XML"},
      {replace(replace(kDiscover, "<a:Action s:mustUnderstand=\"1\">", "<a:Note>"), "</a:Action>",
               "</a:Note>"),
       "Action"},
      {replace(kDiscover, "user@contoso.com", "user@\xFF"), "UTF-8"},
  };
  for (const auto& [xml, why] : refused) {
    auto r = soap::parse_envelope(xml);
    BOOST_TEST(!r.ok(), why);
    if (!r.ok()) BOOST_TEST(r.error().message.find(why) != std::string::npos, r.error().message);
  }
  // SOAP 1.1 (MS-MDE2 4.3.2's example answer uses it) is read, and said to be 1.1.
  auto soap11 = soap::parse_envelope(replace(kDiscover, "http://www.w3.org/2003/05/soap-envelope",
                                             "http://schemas.xmlsoap.org/soap/envelope/"));
  BOOST_REQUIRE(soap11.ok());
  BOOST_TEST(soap11->soap11);
  auto no_version =
      soap::parse_envelope(replace(kDiscover, "<RequestVersion>4.0</RequestVersion>", ""));
  BOOST_REQUIRE(no_version.ok());
  BOOST_TEST(!discovery::parse_discover(no_version->body_xml).ok());
}

BOOST_AUTO_TEST_CASE(answers_and_faults_we_write_are_read_by_python_xml_etree) {
  discovery::DiscoverResponse r{"OnPremise", "4.0", "https://mdm.example.com/policy",
                                "https://mdm.example.com/enroll", ""};
  auto xml = soap::write_envelope(discovery::kDiscoverResponseAction,
                                  "urn:uuid:748132EC-a575-4329-b01b-6171a9cf8478",
                                  discovery::encode_discover_response(r), "activity-1");
  BOOST_REQUIRE(xml.ok());
  auto back = soap::parse_envelope(*xml);
  BOOST_REQUIRE_MESSAGE(back.ok(), (back.ok() ? std::string() : back.error().message));
  BOOST_TEST(back->relates_to == "urn:uuid:748132EC-a575-4329-b01b-6171a9cf8478");
  auto parsed = discovery::parse_discover_response(back->body_xml);
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed->enrollment_service_url == "https://mdm.example.com/enroll");

  soap::Fault f{"s:Receiver", "s:Authentication", "bad <password>", "Authentication", "t-1"};
  auto fault = soap::write_fault(f, "urn:uuid:1");
  auto got = soap::parse_fault(fault);
  BOOST_REQUIRE(got.has_value());
  BOOST_TEST(got->subcode == "s:Authentication");
  BOOST_TEST(got->reason == "bad <password>");
  BOOST_TEST(got->error_type == "Authentication");
  BOOST_TEST(!soap::parse_fault(*xml).has_value());

  auto dir = testing::make_temp_dir("mdmlab-soap-");
  testing::write_file(dir + "/answer.xml", *xml);
  testing::write_file(dir + "/fault.xml", fault);
  auto py = testing::run_command(
      "/usr/bin/python3 -c \"import xml.etree.ElementTree as E; n = {'s': "
      "'http://www.w3.org/2003/05/soap-envelope', 'a': 'http://www.w3.org/2005/08/addressing', "
      "'d': 'http://schemas.microsoft.com/windows/management/2012/01/enrollment'}; r = E.parse('" +
      dir + "/answer.xml').getroot(); f = E.parse('" + dir +
      "/fault.xml').getroot(); print(r.find('s:Header/a:RelatesTo', n).text, "
      "r.find('s:Body/d:DiscoverResponse/d:DiscoverResult/d:EnrollmentServiceUrl', n).text, "
      "f.find('s:Body/s:Fault/s:Code/s:Subcode/s:Value', n).text)\"");
  BOOST_TEST(py.exit_code == 0, py.output);
  BOOST_TEST(py.output.find("urn:uuid:748132EC-a575-4329-b01b-6171a9cf8478 "
                            "https://mdm.example.com/enroll s:Authentication") != std::string::npos,
             py.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
