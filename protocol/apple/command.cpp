#include "protocol/apple/command.hpp"

#include "protocol/apple/typed_fields.hpp"
#include "protocol/plist/binary.hpp"
#include "protocol/plist/xml.hpp"

namespace mdmlab::apple {
namespace {
struct StatusName {
  CommandStatus status;
  const char* name;
};
constexpr StatusName kStatuses[] = {
    {CommandStatus::idle, "Idle"},      {CommandStatus::acknowledged, "Acknowledged"},
    {CommandStatus::error, "Error"},    {CommandStatus::command_format_error, "CommandFormatError"},
    {CommandStatus::not_now, "NotNow"},
};
}  // namespace

std::string_view to_string(CommandStatus s) {
  for (const auto& [status, name] : kStatuses)
    if (status == s) return name;
  return "Unknown";
}

std::optional<CommandStatus> command_status_from(std::string_view s) {
  for (const auto& [status, name] : kStatuses)
    if (s == name) return status;
  return std::nullopt;
}

Result<CommandReport> decode_command_report(std::string_view body) {
  auto v = plist::from_any(body);  // XML as devices send it; binary accepted too
  if (!v) return v.error();
  if (!v->is_dict()) return make_error("bad_report", "command report is not a dictionary");
  using enum FieldType;
  auto typed = check_field_types(*v,
                                 {{"Status", string},
                                  {"UDID", string},
                                  {"EnrollmentID", string},
                                  {"UserID", string},
                                  {"CommandUUID", string},
                                  {"ErrorChain", array}},
                                 "bad_report");
  if (!typed) return typed.error();
  CommandReport r;
  auto status_name = v->string_or("Status");
  auto status = command_status_from(status_name);
  if (!status) return make_error("bad_report", "unknown Status '" + status_name + "'");
  r.status = *status;
  r.udid = v->string_or("UDID", v->string_or("EnrollmentID"));
  if (r.udid.empty()) return make_error("bad_report", "report without UDID or EnrollmentID");
  r.user_id = v->string_or("UserID");
  r.command_uuid = v->string_or("CommandUUID");
  if (r.status != CommandStatus::idle && r.command_uuid.empty())
    return make_error("bad_report", "non-Idle report without CommandUUID");
  if (const auto* chain = v->find("ErrorChain")) {
    for (const auto& item : *chain->array()) {
      if (!item.is_dict()) return make_error("bad_report", "ErrorChain items must be <dict>");
      auto item_typed = check_field_types(item,
                                          {{"ErrorCode", integer},
                                           {"ErrorDomain", string},
                                           {"LocalizedDescription", string},
                                           {"USEnglishDescription", string}},
                                          "bad_report", "ErrorChain: ");
      if (!item_typed) return item_typed.error();
      ErrorChainItem e;
      if (const auto* code = item.find("ErrorCode")) e.error_code = code->integer().value_or(0);
      e.error_domain = item.string_or("ErrorDomain");
      e.localized_description = item.string_or("LocalizedDescription");
      e.us_english_description = item.string_or("USEnglishDescription");
      r.error_chain.push_back(std::move(e));
    }
  }
  r.raw = std::move(*v);
  return r;
}

Result<std::string> encode_command_report(const CommandReport& report,
                                          const plist::Value& result_fields) {
  plist::Value v;
  if (!report.command_uuid.empty()) v.set("CommandUUID", report.command_uuid);
  v.set("Status", std::string(to_string(report.status)));
  v.set("UDID", report.udid);
  if (!report.user_id.empty()) v.set("UserID", report.user_id);
  if (!report.error_chain.empty()) {
    plist::Array chain;
    for (const auto& e : report.error_chain) {
      plist::Value item;
      item.set("ErrorCode", e.error_code).set("ErrorDomain", e.error_domain);
      if (!e.localized_description.empty())
        item.set("LocalizedDescription", e.localized_description);
      if (!e.us_english_description.empty())
        item.set("USEnglishDescription", e.us_english_description);
      chain.push_back(std::move(item));
    }
    v.set("ErrorChain", plist::Value(std::move(chain)));
  }
  if (const auto* extra = result_fields.dict())
    for (const auto& [k, val] : *extra) v.set(k, val);
  return plist::to_xml(v);
}

Result<std::string> encode_command(const Command& c) {
  if (c.command_uuid.empty()) return make_error("bad_command", "command without CommandUUID");
  if (c.request_type().empty()) return make_error("bad_command", "command without RequestType");
  plist::Value v;
  v.set("CommandUUID", c.command_uuid);
  v.set("Command", c.command);
  return plist::to_xml(v);
}

Result<Command> decode_command(std::string_view body) {
  auto v = plist::from_any(body);  // XML as devices send it; binary accepted too
  if (!v) return v.error();
  if (const auto* uuid = v->find("CommandUUID"); uuid && !uuid->is_string())
    return make_error("bad_command", "CommandUUID must be <string>");
  Command c;
  c.command_uuid = v->string_or("CommandUUID");
  const auto* cmd = v->find("Command");
  if (!cmd || !cmd->is_dict()) return make_error("bad_command", "plist has no Command dictionary");
  c.command = *cmd;
  if (c.request_type().empty()) return make_error("bad_command", "Command has no RequestType");
  return c;
}

}  // namespace mdmlab::apple
