#include "protocol/conformance/rules.hpp"

namespace mdmlab::conformance {

const std::vector<Rule>& rule_table() {
  static const std::vector<Rule> table = {
      {"scep.certrep.signed",
       "a CertRep is signed by the CA or RA certificate GetCACert handed out",
       "RFC 8894 section 3.3.2 (CertRep), section 3.2 (signing)"},
      {"scep.certrep.transaction-id", "a CertRep carries the transactionID of its request",
       "RFC 8894 section 3.2.1 (signed transaction attributes)"},
      {"scep.certrep.recipient-nonce",
       "a CertRep's recipientNonce echoes the request's senderNonce",
       "RFC 8894 section 3.2.1 (signed transaction attributes)"},
      {"apple.command.well-formed",
       "a command is a plist with a CommandUUID string and a Command dict holding a RequestType",
       "Apple Developer, Device Management: Commands and Queries (command payload)"},
      {"apple.command.schema",
       "a command's keys are present and typed as Apple documents them for its RequestType",
       "Apple Developer, Device Management: each command's request keys (apple/device-management)"},
      {"apple.command.uuid-unique",
       "a CommandUUID is not handed out again once the device has finished it (Acknowledged, "
       "Error or CommandFormatError); only NotNow leaves it pending",
       "Apple Developer, Device Management: CommandUUID, a unique identifier for the command"},
      {"apple.command.empty-answer",
       "a server with no command to send answers a report with HTTP 200 and an empty body (not "
       "204, not an empty plist)",
       "Apple Developer, Device Management: Sending MDM commands to a device (the server's "
       "reply to a report is a command or an empty 200); PROTOCOL-NOTES, Apple MDM"},
      {"apple.push.magic",
       "an MDM push to a device's token carries the PushMagic of that device's latest "
       "TokenUpdate",
       "Apple Developer, Device Management: TokenUpdate (PushMagic) and sending push "
       "notifications ({\"mdm\": PushMagic})"},
  };
  return table;
}

const Rule* find_rule(std::string_view id) {
  for (const auto& r : rule_table())
    if (id == r.id) return &r;
  return nullptr;
}

}  // namespace mdmlab::conformance
