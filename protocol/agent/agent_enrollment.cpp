#include "protocol/agent/agent_enrollment.hpp"

#include <charconv>

#include "protocol/json/strict_json.hpp"

namespace mdmlab::agent {
using nlohmann::json;

namespace {
constexpr std::size_t kMaxValue = 255;
constexpr std::size_t kMaxCsr = 16 * 1024;

Error refuse(const char* code, std::string message) {
  return make_error(code, std::move(message));
}

// A string member, "" when absent or null; an error for another type or an over-long value.
Result<std::string> text(const json& input, const char* key, std::size_t limit = kMaxValue) {
  const auto it = input.find(key);
  if (it == input.end() || it->is_null()) return std::string();
  if (!it->is_string()) return refuse(kAddFailed, std::string(key) + " must be a string");
  auto s = it->get<std::string>();
  if (s.size() > limit) return refuse(kAddFailed, std::string(key) + " is too long");
  return s;
}

bool parse_version(std::string_view v, long long out[3]) {
  const auto cut = v.find_first_of("-+");
  if (cut != std::string_view::npos) v = v.substr(0, cut);
  const char* p = v.data();
  const char* end = v.data() + v.size();
  for (int i = 0; i < 3; ++i) {
    auto [next, ec] = std::from_chars(p, end, out[i]);
    if (ec != std::errc() || next == p || out[i] < 0) return false;
    p = next;
    if (i < 2) {
      if (p == end || *p != '.') return false;
      ++p;
    }
  }
  return p == end;
}
}  // namespace

bool usable_serial(std::string_view serial) {
  if (serial.empty() || serial.size() > 64) return false;
  for (char c : serial)
    if (c == '/' || c == '+' || c == '#' || c == '\0' || static_cast<unsigned char>(c) < 0x20)
      return false;
  return true;
}

Result<EnrollmentRequest> parse_enrollment(std::string_view body) {
  auto j = parse_strict_json(body);
  if (!j || !j->is_object()) return refuse(kJsonPayloadInvalid, "the payload is not a JSON object");
  const auto input = j->find("input");
  if (input == j->end() || !input->is_object())
    return refuse(kBadArray, "input is required and must be an object");
  EnrollmentRequest r;
  struct Field {
    const char* key;
    std::string* out;
    std::size_t limit;
  };
  const Field fields[] = {
      {"_email", &r.email, kMaxValue},        {"_invitation_token", &r.invitation_token, kMaxValue},
      {"_serial", &r.serial, kMaxValue},      {"csr", &r.csr_pem, kMaxCsr},
      {"firstname", &r.firstname, kMaxValue}, {"lastname", &r.lastname, kMaxValue},
      {"version", &r.version, kMaxValue},     {"type", &r.type, kMaxValue}};
  for (const auto& f : fields) {
    auto v = text(*input, f.key, f.limit);
    if (!v) return v.error();
    *f.out = std::move(*v);
  }
  if (r.serial.empty() && input->contains("_uuid")) {
    auto uuid = text(*input, "_uuid");
    if (!uuid) return uuid.error();
    r.serial = *uuid;
  }
  if (r.email.empty()) return refuse(kAddFailed, "the email is required");
  if (r.invitation_token.empty()) return refuse(kAddFailed, "the invitation token is required");
  if (!usable_serial(r.serial))
    return refuse(kAddFailed, "the serial is required (1 to 64 characters, no '/', '+' or '#')");
  if (input->contains("inventory")) r.inventory = (*input)["inventory"];
  return r;
}

std::string error_array(const std::string& code, const std::string& message) {
  return json::array({code, message}).dump(-1, ' ', false, json::error_handler_t::replace);
}

bool version_at_least(std::string_view version, std::string_view minimum) {
  long long v[3], m[3];
  if (!parse_version(version, v) || !parse_version(minimum, m)) return false;
  for (int i = 0; i < 3; ++i)
    if (v[i] != m[i]) return v[i] > m[i];
  return true;
}

std::string agent_topic(long long entity_id, const std::string& serial) {
  return "/" + std::to_string(entity_id) + "/agent/" + serial;
}

json settings_json(const AgentSettings& s) {
  auto link = [&](const char* rel, long long id) {
    return json{{"rel", rel}, {"href", s.api_base + "/" + rel + "/" + std::to_string(id)}};
  };
  return {{"id", s.id},
          {"name", s.name},
          {"version", s.version},
          {"computers_id", s.computer_id},
          {"wipe", 0},
          {"lock", 0},
          {"enroll_status", s.enroll_status},
          {"entities_id", s.entity_id},
          {"plugin_flyvemdm_fleets_id", s.fleet_id},
          {"last_report", nullptr},
          {"last_contact", nullptr},
          {"certificate", s.certificate_pem},
          {"topic", s.topic},
          {"mqttpasswd", s.mqtt_password},
          {"broker", s.broker},
          {"port", s.port},
          {"tls", s.tls ? 1 : 0},
          {"links",
           {link("Computer", s.computer_id), link("Entity", s.entity_id),
            link("PluginFlyvemdmFleet", s.fleet_id)}}};
}

}  // namespace mdmlab::agent
