#include "protocol/windows/soap.hpp"

#include <sstream>

#include "protocol/plist/utf8.hpp"
#include "protocol/windows/xml_names.hpp"

namespace mdmlab::windows::soap {
namespace {

Error bad(std::string why) {
  return make_error("bad_soap", std::move(why));
}

std::string text(const pugi::xml_node& n) {
  return xml::trimmed(n.text().get());
}

// The Body's element on its own: the namespace declarations in scope (on Envelope, Body) are
// copied onto it, so it reads the same outside the envelope.
std::string standalone(const pugi::xml_node& element) {
  pugi::xml_document doc;
  auto copy = doc.append_copy(element);
  for (auto up = element.parent(); up; up = up.parent())
    for (auto a : up.attributes()) {
      std::string_view name = a.name();
      if ((name == "xmlns" || name.starts_with("xmlns:")) && !copy.attribute(a.name()))
        copy.append_attribute(a.name()).set_value(a.value());
    }
  std::ostringstream os;
  copy.print(os, "", pugi::format_raw);
  return os.str();
}

}  // namespace

Result<Envelope> parse_envelope(std::string_view body) {
  // SOAP 1.2 part 1 section 5: a SOAP message has no document type declaration.
  if (body.find("<!DOCTYPE") != std::string_view::npos ||
      body.find("<!ENTITY") != std::string_view::npos)
    return bad("a SOAP message carries no DTD");
  auto doc = xml::load(body);
  if (!doc) return bad(doc.error().message);
  auto root = (*doc)->document_element();
  const bool soap11 = xml::is(root, kSoap11Ns, "Envelope");
  if (!soap11 && !xml::is(root, kSoapNs, "Envelope"))
    return bad("the root is not a SOAP 1.2 Envelope");
  const char* ns = soap11 ? kSoap11Ns : kSoapNs;
  pugi::xml_node header, soap_body;
  for (auto c : xml::elements(root)) {
    if (xml::is(c, ns, "Header") && !header && !soap_body) {
      header = c;
    } else if (xml::is(c, ns, "Body") && !soap_body) {
      soap_body = c;
    } else {
      return bad("the Envelope holds <" + std::string(c.name()) + "> out of place");
    }
  }
  if (!soap_body) return bad("no SOAP Body");
  Envelope e;
  e.soap11 = soap11;
  // WS-Addressing headers appear once each.
  for (const char* once : {"Action", "MessageID", "To", "RelatesTo", "ReplyTo"}) {
    int seen = 0;
    for (auto h : xml::elements(header)) seen += xml::is(h, kAddressingNs, once);
    if (seen > 1) return bad(std::string("WS-Addressing ") + once + " appears twice");
  }
  for (auto h : xml::elements(header)) {
    if (xml::is(h, kAddressingNs, "Action")) {
      e.action = text(h);
    } else if (xml::is(h, kAddressingNs, "MessageID")) {
      e.message_id = text(h);
    } else if (xml::is(h, kAddressingNs, "To")) {
      e.to = text(h);
    } else if (xml::is(h, kAddressingNs, "RelatesTo")) {
      e.relates_to = text(h);
    } else if (xml::is(h, kAddressingNs, "ReplyTo")) {
      e.reply_to = text(xml::child(h, kAddressingNs, "Address"));
    } else if (xml::is(h, kSecurityNs, "Security")) {
      for (auto t : xml::elements(h)) {
        if (xml::is(t, kSecurityNs, "UsernameToken")) {
          if (e.username_token) return bad("two UsernameTokens");
          e.username_token = UsernameToken{text(xml::child(t, kSecurityNs, "Username")),
                                           text(xml::child(t, kSecurityNs, "Password"))};
        } else if (xml::is(t, kSecurityNs, "BinarySecurityToken")) {
          if (e.security_token) return bad("two BinarySecurityTokens");
          e.security_token = BinarySecurityToken{t.attribute("ValueType").value(),
                                                 t.attribute("EncodingType").value(), text(t)};
        }
        // A wsu:Timestamp and other tokens are allowed and not needed.
      }
    } else if (const std::string_view must =
                   h.attribute(xml::prefixed(h, ns, "mustUnderstand").c_str()).value();
               xml::trimmed(must) == "1" || xml::trimmed(must) == "true") {
      // SOAP 1.2 5.2.3: a header we must understand and do not.
      return bad("a header this service does not understand is marked mustUnderstand");
    }
  }
  if (e.action.empty()) return bad("no WS-Addressing Action");
  if (e.message_id.size() > 512 || e.action.size() > 512) return bad("header value too long");
  pugi::xml_node payload;
  for (auto c : xml::elements(soap_body)) {
    if (payload) return bad("the Body holds more than one element");
    payload = c;
  }
  if (!payload) return bad("an empty Body");
  e.body_name = std::string(xml::local(payload));
  e.body_namespace = xml::namespace_of(payload);
  e.body_xml = standalone(payload);
  return e;
}

std::string security_timestamp(const std::string& created, const std::string& expires) {
  return std::string("<o:Security s:mustUnderstand=\"1\" xmlns:o=\"") + kSecurityNs +
         "\"><u:Timestamp u:Id=\"_0\"><u:Created>" + xml::escape(created) +
         "</u:Created><u:Expires>" + xml::escape(expires) +
         "</u:Expires></u:Timestamp></o:Security>";
}

Result<std::string> write_envelope(const std::string& action, const std::string& relates_to,
                                   const std::string& body_xml, const std::string& activity_id,
                                   const std::string& extra_headers) {
  pugi::xml_document body_doc;
  if (!body_doc.load_buffer(body_xml.data(), body_xml.size(), pugi::parse_default,
                            pugi::encoding_utf8) ||
      !body_doc.document_element())
    return bad("the body is not one XML element");
  std::string out = std::string("<s:Envelope xmlns:s=\"") + kSoapNs + "\" xmlns:a=\"" +
                    kAddressingNs + "\" xmlns:u=\"" + kUtilityNs +
                    "\"><s:Header><a:Action s:mustUnderstand=\"1\">" + xml::escape(action) +
                    "</a:Action>";
  if (!activity_id.empty())
    out += "<ActivityId CorrelationId=\"" + xml::escape(activity_id) +
           "\" xmlns=\"http://schemas.microsoft.com/2004/09/ServiceModel/Diagnostics\">" +
           xml::escape(activity_id) + "</ActivityId>";
  if (!relates_to.empty()) out += "<a:RelatesTo>" + xml::escape(relates_to) + "</a:RelatesTo>";
  out += extra_headers;
  std::ostringstream os;
  body_doc.document_element().print(os, "", pugi::format_raw);
  out += "</s:Header><s:Body>" + os.str() + "</s:Body></s:Envelope>";
  return out;
}

std::string write_fault(const Fault& f, const std::string& relates_to) {
  std::string out = std::string("<s:Envelope xmlns:s=\"") + kSoapNs + "\" xmlns:a=\"" +
                    kAddressingNs + "\"><s:Header><a:Action s:mustUnderstand=\"1\">" +
                    kFaultAction + "</a:Action>";
  if (!relates_to.empty()) out += "<a:RelatesTo>" + xml::escape(relates_to) + "</a:RelatesTo>";
  out += "</s:Header><s:Body><s:Fault><s:Code><s:Value>" + xml::escape(f.code) +
         "</s:Value><s:Subcode><s:Value>" + xml::escape(f.subcode) +
         "</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en-US\">" +
         xml::escape(f.reason) + "</s:Text></s:Reason>";
  if (!f.error_type.empty())
    out += std::string("<s:Detail><DeviceEnrollmentServiceError xmlns=\"") + kEnrollmentNs +
           "\"><ErrorType>" + xml::escape(f.error_type) + "</ErrorType><Message>" +
           xml::escape(f.reason) + "</Message><TraceId>" + xml::escape(f.trace_id) +
           "</TraceId></DeviceEnrollmentServiceError></s:Detail>";
  out += "</s:Fault></s:Body></s:Envelope>";
  return out;
}

std::optional<Fault> parse_fault(std::string_view body) {
  auto doc = xml::load(body);
  if (!doc) return std::nullopt;
  auto root = (*doc)->document_element();
  auto b = xml::child(root, kSoapNs, "Body");
  auto fault = xml::child(b, kSoapNs, "Fault");
  if (!fault) return std::nullopt;
  Fault f;
  auto code = xml::child(fault, kSoapNs, "Code");
  f.code = text(xml::child(code, kSoapNs, "Value"));
  f.subcode = text(xml::child(xml::child(code, kSoapNs, "Subcode"), kSoapNs, "Value"));
  f.reason = text(xml::child(xml::child(fault, kSoapNs, "Reason"), kSoapNs, "Text"));
  auto detail = xml::child(xml::child(fault, kSoapNs, "Detail"), kEnrollmentNs,
                           "DeviceEnrollmentServiceError");
  f.error_type = text(xml::child(detail, kEnrollmentNs, "ErrorType"));
  f.trace_id = text(xml::child(detail, kEnrollmentNs, "TraceId"));
  return f;
}

}  // namespace mdmlab::windows::soap
