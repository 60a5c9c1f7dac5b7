// A Flyve-style agent's REST enrollment (seed 003, the Flyve MDM GLPI plugin's API): the body of
// `POST /PluginFlyvemdmAgent` ({"input": {"_email", "_invitation_token", "_serial", "csr",
// "firstname", "lastname", "version", "type", "inventory"}}), the error answer every refusal
// uses (HTTP 400 with a JSON array ["ERROR_CODE", "message"]: a software code, then a message
// for the user), the agent's settings (`GET /PluginFlyvemdmAgent/<id>`), its MQTT topic
// (/<entity>/agent/<serial>) and semantic-version checks against a minimum.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mdmlab::agent {

// GLPI's codes: the payload is no JSON object, "input" is missing or no object, the add failed
// (the message says why: wrong email, expired invitation, bad CSR, old version...).
inline constexpr const char* kJsonPayloadInvalid = "ERROR_JSON_PAYLOAD_INVALID";
inline constexpr const char* kBadArray = "ERROR_BAD_ARRAY";
inline constexpr const char* kAddFailed = "ERROR_GLPI_ADD";
inline constexpr const char* kNotFound = "ERROR_ITEM_NOT_FOUND";
inline constexpr const char* kSessionTokenInvalid = "ERROR_SESSION_TOKEN_INVALID";

struct EnrollmentRequest {
  std::string email, invitation_token, serial, csr_pem, firstname, lastname, version, type;
  nlohmann::json inventory;  // as sent (null when absent)
};

// Errors carry the code to answer with (kJsonPayloadInvalid, kBadArray, kAddFailed) and the
// message for the user. Members of the wrong type and over-long values are refused; the serial
// must be usable in an MQTT topic level (no '/', '+', '#', NUL; 1..64 characters).
Result<EnrollmentRequest> parse_enrollment(std::string_view body);

// ["CODE", "message"], the body of every refusal.
std::string error_array(const std::string& code, const std::string& message);

// Versions "major.minor.patch" (pre-release and build suffixes ignored): true when `version`
// is at least `minimum`; false when either is no version.
bool version_at_least(std::string_view version, std::string_view minimum);

// The agent's topic root: /<entity>/agent/<serial>.
std::string agent_topic(long long entity_id, const std::string& serial);
bool usable_serial(std::string_view serial);

struct AgentSettings {
  long long id = 0, entity_id = 0, fleet_id = 0, computer_id = 0;
  std::string name, version, enroll_status = "enrolled";
  std::string certificate_pem;  // issued from the CSR ("" when none)
  std::string topic, mqtt_password, broker;
  int port = 8883;
  bool tls = true;
  std::string api_base;  // for links: <api_base>/Computer/<id> ...
};
nlohmann::json settings_json(const AgentSettings& s);

}  // namespace mdmlab::agent
