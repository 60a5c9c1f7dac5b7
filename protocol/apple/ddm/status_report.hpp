// The DDM status report a device sends (DeclarativeManagement, Endpoint "status", Data):
//   {"StatusItems": {"management": {"declarations": {"activations": [...],
//     "configurations": [...], "assets": [...], "management": [...]}}, "device": {...}},
//    "Errors": [...], "FullReport": true}
// each declaration's status {"identifier", "active", "valid": valid|invalid|unknown,
// "server-token", "reasons": [{"code", "description", "details"}]}.
#pragma once

#include <vector>

#include "protocol/apple/ddm/declaration.hpp"

namespace mdmlab::apple::ddm {

struct DeclarationStatus {
  DeclarationKind kind = DeclarationKind::configuration;
  std::string identifier;
  bool active = false;
  std::string valid = "unknown";  // valid, invalid, unknown
  std::string server_token;
  nlohmann::json reasons = nlohmann::json::array();  // [{"code", "description", "details"}]
};

struct StatusReport {
  std::vector<DeclarationStatus> declarations;
  nlohmann::json errors = nlohmann::json::array();  // Errors, as sent
  bool full_report = false;
  // StatusItems other than management.declarations (e.g. device.identifier), as sent.
  nlohmann::json other_items = nlohmann::json::object();
};

// Parses a status report (strict JSON). Refuses a non-object, StatusItems or Errors of the
// wrong type, and declaration statuses without an identifier, with a `valid` outside
// valid/invalid/unknown, or with wrongly typed members.
Result<StatusReport> parse_status_report(std::string_view json_text);
std::string encode_status_report(const StatusReport& r);

}  // namespace mdmlab::apple::ddm
