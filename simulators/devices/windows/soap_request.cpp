#include "simulators/devices/windows/soap_request.hpp"

#include <algorithm>
#include <cctype>

#include "crypto/random.hpp"
#include "protocol/windows/wstep.hpp"
#include "protocol/windows/xml_names.hpp"

namespace mdmlab::simulators::windows_pc {
namespace soap = mdmlab::windows::soap;
namespace xml = mdmlab::windows::xml;

RequestSecurity on_premise_security(std::string username, std::string password) {
  RequestSecurity s;
  s.username_token = soap::UsernameToken{std::move(username), std::move(password)};
  return s;
}

RequestSecurity federated_security(std::string_view token, bool entra_jwt) {
  RequestSecurity s;
  s.binary_token = soap::BinarySecurityToken{entra_jwt ? kEntraJwt : kDeviceEnrollmentUserToken,
                                             mdmlab::windows::wstep::kBase64Binary,
                                             base64_encode(to_bytes(token))};
  return s;
}

std::string new_message_id() {
  auto uuid = crypto::random_uuid();
  std::transform(uuid.begin(), uuid.end(), uuid.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return "urn:uuid:" + uuid;
}

namespace {

std::string security_header(const RequestSecurity& s) {
  if (s.empty()) return "";
  std::string out = "<wsse:Security s:mustUnderstand=\"1\">";
  if (s.username_token) {
    // The u:Id Windows writes: a UUID and a counter.
    out += "<wsse:UsernameToken u:Id=\"uuid-" + new_message_id().substr(9) +
           "-1\"><wsse:Username>" + xml::escape(s.username_token->username) +
           "</wsse:Username><wsse:Password wsse:Type=\"" + kPasswordText + "\">" +
           xml::escape(s.username_token->password) + "</wsse:Password></wsse:UsernameToken>";
  }
  if (s.binary_token) {
    out += "<wsse:BinarySecurityToken ValueType=\"" + xml::escape(s.binary_token->value_type) +
           "\" EncodingType=\"" + xml::escape(s.binary_token->encoding_type) + "\">" +
           xml::escape(s.binary_token->value) + "</wsse:BinarySecurityToken>";
  }
  return out + "</wsse:Security>";
}

}  // namespace

std::string write_request(std::string_view action, std::string_view message_id, std::string_view to,
                          std::string_view body_xml, const RequestSecurity& security) {
  // Appended piece by piece: GCC 12 warns (falsely) on one long chain of string temporaries.
  std::string out = "<s:Envelope xmlns:s=\"";
  out += soap::kSoapNs;
  out += "\" xmlns:a=\"";
  out += soap::kAddressingNs;
  out += "\" xmlns:u=\"";
  out += soap::kUtilityNs;
  out += "\" xmlns:wsse=\"";
  out += soap::kSecurityNs;
  out += "\"><s:Header><a:Action s:mustUnderstand=\"1\">";
  out += xml::escape(action);
  out += "</a:Action><a:MessageID>";
  out += xml::escape(message_id);
  out += "</a:MessageID><a:ReplyTo><a:Address>";
  out += soap::kAnonymous;
  out += "</a:Address></a:ReplyTo><a:To s:mustUnderstand=\"1\">";
  out += xml::escape(to);
  out += "</a:To>";
  out += security_header(security);
  out += "</s:Header><s:Body>";
  out += body_xml;
  out += "</s:Body></s:Envelope>";
  return out;
}

}  // namespace mdmlab::simulators::windows_pc
