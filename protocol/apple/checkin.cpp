#include "protocol/apple/checkin.hpp"

#include "protocol/apple/typed_fields.hpp"
#include "protocol/plist/binary.hpp"
#include "protocol/plist/xml.hpp"

namespace mdmlab::apple {
namespace {
struct TypeName {
  CheckinType type;
  const char* name;
};
constexpr TypeName kTypes[] = {
    {CheckinType::authenticate, "Authenticate"},
    {CheckinType::token_update, "TokenUpdate"},
    {CheckinType::check_out, "CheckOut"},
    {CheckinType::set_bootstrap_token, "SetBootstrapToken"},
    {CheckinType::get_bootstrap_token, "GetBootstrapToken"},
    {CheckinType::user_authenticate, "UserAuthenticate"},
    {CheckinType::declarative_management, "DeclarativeManagement"},
};

Bytes data_or_empty(const plist::Value& v, std::string_view key) {
  const plist::Value* f = v.find(key);
  return f && f->data() ? *f->data() : Bytes{};
}
}  // namespace

std::string_view to_string(CheckinType t) {
  for (const auto& [type, name] : kTypes)
    if (type == t) return name;
  return "Unknown";
}

std::optional<CheckinType> checkin_type_from(std::string_view message_type) {
  for (const auto& [type, name] : kTypes)
    if (message_type == name) return type;
  return std::nullopt;
}

Result<Checkin> decode_checkin(std::string_view body) {
  auto v = plist::from_any(body);  // XML as devices send it; binary accepted too
  if (!v) return v.error();
  if (!v->is_dict()) return make_error("bad_checkin", "check-in plist is not a dictionary");
  using enum FieldType;
  auto typed = check_field_types(*v,
                                 {{"MessageType", string},
                                  {"UDID", string},
                                  {"EnrollmentID", string},
                                  {"Topic", string},
                                  {"UserID", string},
                                  {"UserShortName", string},
                                  {"UserLongName", string},
                                  {"DigestResponse", string},
                                  {"SerialNumber", string},
                                  {"Model", string},
                                  {"ModelName", string},
                                  {"OSVersion", string},
                                  {"BuildVersion", string},
                                  {"ProductName", string},
                                  {"DeviceName", string},
                                  {"Token", data},
                                  {"PushMagic", string},
                                  {"UnlockToken", data},
                                  {"AwaitingConfiguration", boolean},
                                  {"BootstrapToken", data},
                                  {"Endpoint", string},
                                  {"Data", data}},
                                 "bad_checkin");
  if (!typed) return typed.error();
  Checkin c;
  auto type_name = v->string_or("MessageType");
  auto type = checkin_type_from(type_name);
  if (!type) return make_error("bad_checkin", "unknown MessageType '" + type_name + "'");
  c.type = *type;
  c.udid = v->string_or("UDID", v->string_or("EnrollmentID"));
  if (c.udid.empty()) return make_error("bad_checkin", "check-in without UDID or EnrollmentID");
  c.topic = v->string_or("Topic");
  c.user_id = v->string_or("UserID");
  c.user_short_name = v->string_or("UserShortName");
  c.user_long_name = v->string_or("UserLongName");
  if (const auto* d = v->find("DigestResponse"); d && d->is_string())
    c.digest_response = v->string_or("DigestResponse");
  c.serial_number = v->string_or("SerialNumber");
  c.model = v->string_or("Model");
  c.model_name = v->string_or("ModelName");
  c.os_version = v->string_or("OSVersion");
  c.build_version = v->string_or("BuildVersion");
  c.product_name = v->string_or("ProductName");
  c.device_name = v->string_or("DeviceName");
  c.token = data_or_empty(*v, "Token");
  c.push_magic = v->string_or("PushMagic");
  c.unlock_token = data_or_empty(*v, "UnlockToken");
  if (const auto* a = v->find("AwaitingConfiguration")) c.awaiting_configuration = a->boolean();
  c.bootstrap_token = data_or_empty(*v, "BootstrapToken");
  c.endpoint = v->string_or("Endpoint");
  c.data = data_or_empty(*v, "Data");
  if (c.type == CheckinType::authenticate && c.topic.empty())
    return make_error("bad_checkin", "Authenticate without Topic");
  if (c.type == CheckinType::user_authenticate && c.user_id.empty())
    return make_error("bad_checkin", "UserAuthenticate without UserID");
  if (c.type == CheckinType::token_update &&
      (c.token.empty() || c.push_magic.empty() || c.topic.empty()))
    return make_error("bad_checkin", "TokenUpdate needs Token, PushMagic and Topic");
  c.raw = std::move(*v);
  return c;
}

Result<std::string> encode_checkin(const Checkin& c) {
  plist::Value v;
  v.set("MessageType", std::string(to_string(c.type)));
  auto put = [&](const char* key, const std::string& s) {
    if (!s.empty()) v.set(key, s);
  };
  auto put_data = [&](const char* key, const Bytes& b) {
    if (!b.empty()) v.set(key, b);
  };
  put("Topic", c.topic);
  put("UDID", c.udid);
  put("UserID", c.user_id);
  put("UserShortName", c.user_short_name);
  put("UserLongName", c.user_long_name);
  switch (c.type) {
    case CheckinType::authenticate:
      put("SerialNumber", c.serial_number);
      put("Model", c.model);
      put("ModelName", c.model_name);
      put("OSVersion", c.os_version);
      put("BuildVersion", c.build_version);
      put("ProductName", c.product_name);
      put("DeviceName", c.device_name);
      break;
    case CheckinType::token_update:
      put_data("Token", c.token);
      put("PushMagic", c.push_magic);
      put_data("UnlockToken", c.unlock_token);
      if (c.awaiting_configuration) v.set("AwaitingConfiguration", *c.awaiting_configuration);
      break;
    case CheckinType::set_bootstrap_token:
      put_data("BootstrapToken", c.bootstrap_token);
      if (c.awaiting_configuration) v.set("AwaitingConfiguration", *c.awaiting_configuration);
      break;
    case CheckinType::user_authenticate:
      if (c.digest_response) v.set("DigestResponse", *c.digest_response);
      break;
    case CheckinType::declarative_management:
      put("Endpoint", c.endpoint);
      put_data("Data", c.data);
      break;
    default:
      break;
  }
  return plist::to_xml(v);
}

}  // namespace mdmlab::apple
