#include "protocol/windows/wstep.hpp"

#include <algorithm>
#include <cctype>

#include "protocol/windows/soap.hpp"
#include "protocol/windows/xml_names.hpp"

namespace mdmlab::windows::wstep {
namespace {

Error bad(std::string why) {
  return make_error("bad_wstep", std::move(why));
}

constexpr const char* kEnrollmentNs = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment";

std::string text(const pugi::xml_node& n) {
  return xml::trimmed(n.text().get());
}

Result<Bytes> lenient_base64(std::string s) {
  s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); }),
          s.end());
  auto der = base64_decode(s);
  if (!der) return bad("the BinarySecurityToken is not base64");
  return *der;
}

}  // namespace

std::string RequestSecurityToken::context_value(const std::string& name) const {
  for (const auto& [n, v] : context)
    if (n == name) return v;
  return "";
}

Result<RequestSecurityToken> parse_rst(const std::string& body_xml) {
  auto doc = xml::load(body_xml);
  if (!doc) return bad(doc.error().message);
  auto root = (*doc)->document_element();
  if (!xml::is(root, kTrustNs, "RequestSecurityToken"))
    return bad("the Body is not a RequestSecurityToken");
  RequestSecurityToken r;
  r.token_type = text(xml::child(root, kTrustNs, "TokenType"));
  r.request_type = text(xml::child(root, kTrustNs, "RequestType"));
  auto bst = xml::child(root, soap::kSecurityNs, "BinarySecurityToken");
  if (!bst) return bad("no BinarySecurityToken");
  r.value_type = xml::trimmed(bst.attribute("ValueType").value());
  auto der = lenient_base64(bst.text().get());
  if (!der) return der.error();
  if (der->empty()) return bad("an empty BinarySecurityToken");
  r.csr_der = std::move(*der);
  for (auto item : xml::elements(xml::child(root, kContextNs, "AdditionalContext"))) {
    if (!xml::is(item, kContextNs, "ContextItem")) continue;
    if (r.context.size() >= 256) return bad("more than 256 ContextItems");
    r.context.emplace_back(xml::trimmed(item.attribute("Name").value()),
                           text(xml::child(item, kContextNs, "Value")));
  }
  if (r.request_type != kIssue && r.request_type != kRenew)
    return bad("RequestType is neither Issue nor Renew");
  return r;
}

std::string encode_rst(const RequestSecurityToken& r) {
  std::string out = std::string("<wst:RequestSecurityToken xmlns:wst=\"") + kTrustNs +
                    "\" xmlns:wsse=\"" + soap::kSecurityNs + "\" xmlns:ac=\"" + kContextNs +
                    "\"><wst:TokenType>" + xml::escape(r.token_type) +
                    "</wst:TokenType><wst:RequestType>" + xml::escape(r.request_type) +
                    "</wst:RequestType><wsse:BinarySecurityToken ValueType=\"" +
                    xml::escape(r.value_type) + "\" EncodingType=\"" + kBase64Binary + "\">" +
                    base64_encode(r.csr_der) + "</wsse:BinarySecurityToken><ac:AdditionalContext>";
  for (const auto& [name, value] : r.context)
    out += "<ac:ContextItem Name=\"" + xml::escape(name) + "\"><ac:Value>" + xml::escape(value) +
           "</ac:Value></ac:ContextItem>";
  return out + "</ac:AdditionalContext></wst:RequestSecurityToken>";
}

std::string encode_rstrc(const std::string& provisioning_xml, const std::string& request_id) {
  return std::string("<RequestSecurityTokenResponseCollection xmlns=\"") + kTrustNs +
         "\"><RequestSecurityTokenResponse><TokenType>" + kDeviceEnrollmentToken +
         "</TokenType><DispositionMessage xmlns=\"" + kEnrollmentNs +
         "\"/><RequestedSecurityToken><BinarySecurityToken ValueType=\"" + kProvisionDoc +
         "\" EncodingType=\"" + kBase64Binary + "\" xmlns=\"" + soap::kSecurityNs + "\">" +
         base64_encode(to_bytes(provisioning_xml)) +
         "</BinarySecurityToken></RequestedSecurityToken><RequestID xmlns=\"" + kEnrollmentNs +
         "\">" + xml::escape(request_id) +
         "</RequestID></RequestSecurityTokenResponse></RequestSecurityTokenResponseCollection>";
}

Result<std::string> parse_rstrc(const std::string& body_xml) {
  auto doc = xml::load(body_xml);
  if (!doc) return bad(doc.error().message);
  auto root = (*doc)->document_element();
  if (!xml::is(root, kTrustNs, "RequestSecurityTokenResponseCollection"))
    return bad("not a RequestSecurityTokenResponseCollection");
  auto rstr = xml::child(root, kTrustNs, "RequestSecurityTokenResponse");
  auto token = xml::child(xml::child(rstr, kTrustNs, "RequestedSecurityToken"), soap::kSecurityNs,
                          "BinarySecurityToken");
  if (!token) return bad("no RequestedSecurityToken");
  auto doc_bytes = lenient_base64(token.text().get());
  if (!doc_bytes) return doc_bytes.error();
  return to_string(*doc_bytes);
}

}  // namespace mdmlab::windows::wstep
