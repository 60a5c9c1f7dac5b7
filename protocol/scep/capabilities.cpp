#include "protocol/scep/capabilities.hpp"

#include <algorithm>
#include <cctype>

#include "protocol/scep/types.hpp"

namespace mdmlab::scep {

Capabilities Capabilities::parse(std::string_view text) {
  std::vector<std::string> caps;
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
      line.remove_suffix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front())))
      line.remove_prefix(1);
    if (!line.empty()) caps.emplace_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return Capabilities(std::move(caps));
}

std::string Capabilities::to_text() const {
  std::string out;
  for (const auto& c : caps_) {
    if (!out.empty()) out += '\n';
    out += c;
  }
  return out;
}

bool Capabilities::has(std::string_view keyword) const {
  return std::any_of(caps_.begin(), caps_.end(), [&](const std::string& c) {
    return c.size() == keyword.size() &&
           std::equal(c.begin(), c.end(), keyword.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) ==
                    std::tolower(static_cast<unsigned char>(b));
           });
  });
}

std::string_view to_string(MessageType t) {
  switch (t) {
    case MessageType::cert_rep:
      return "CertRep";
    case MessageType::renewal_req:
      return "RenewalReq";
    case MessageType::pkcs_req:
      return "PKCSReq";
    case MessageType::cert_poll:
      return "CertPoll";
    case MessageType::get_cert:
      return "GetCert";
    case MessageType::get_crl:
      return "GetCRL";
  }
  return "unknown";
}

std::string_view to_string(PkiStatus s) {
  switch (s) {
    case PkiStatus::success:
      return "SUCCESS";
    case PkiStatus::failure:
      return "FAILURE";
    case PkiStatus::pending:
      return "PENDING";
  }
  return "unknown";
}

std::string_view to_string(FailInfo f) {
  switch (f) {
    case FailInfo::bad_alg:
      return "badAlg";
    case FailInfo::bad_message_check:
      return "badMessageCheck";
    case FailInfo::bad_request:
      return "badRequest";
    case FailInfo::bad_time:
      return "badTime";
    case FailInfo::bad_cert_id:
      return "badCertId";
  }
  return "unknown";
}

std::optional<MessageType> message_type_from(int value) {
  switch (value) {
    case 3:
      return MessageType::cert_rep;
    case 17:
      return MessageType::renewal_req;
    case 19:
      return MessageType::pkcs_req;
    case 20:
      return MessageType::cert_poll;
    case 21:
      return MessageType::get_cert;
    case 22:
      return MessageType::get_crl;
    default:
      return std::nullopt;
  }
}

}  // namespace mdmlab::scep
