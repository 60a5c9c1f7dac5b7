#include "simulators/devices/mac/declarative_agent.hpp"

#include <set>

namespace mdmlab::simulators::mac {
namespace ddm = mdmlab::apple::ddm;
using nlohmann::json;

namespace {
enum class Kind { boolean, integer, string, object, array };

struct KeyRule {
  const char* key;
  Kind kind;
  long long min = 0, max = 0;  // integers: the range (max 0: no upper bound)
  bool required = false;
};

// Keys the Mac checks, per configuration type (Apple's schemas, reduced).
const std::map<std::string, std::vector<KeyRule>>& configuration_rules() {
  static const std::map<std::string, std::vector<KeyRule>> rules = {
      {"com.apple.configuration.passcode.settings",
       {{"RequirePasscode", Kind::boolean},
        {"RequireAlphanumericPasscode", Kind::boolean},
        {"RequireComplexPasscode", Kind::boolean},
        {"MinimumLength", Kind::integer, 0, 16},
        {"MinimumComplexCharacters", Kind::integer, 0, 4},
        {"MaximumFailedAttempts", Kind::integer, 2, 11},
        {"MaximumGracePeriodInMinutes", Kind::integer, 0, 0},
        {"MaximumInactivityInMinutes", Kind::integer, 0, 0},
        {"MaximumPasscodeAgeInDays", Kind::integer, 0, 730},
        {"PasscodeReuseLimit", Kind::integer, 1, 50},
        {"ChangeAtNextAuth", Kind::boolean},
        {"CustomRegex", Kind::object}}},
      {"com.apple.configuration.softwareupdate.settings",
       {{"Notifications", Kind::boolean},
        {"AllowStandardUserOSUpdates", Kind::boolean},
        {"Deferrals", Kind::object},
        {"AutomaticActions", Kind::object},
        {"RapidSecurityResponse", Kind::object},
        {"Beta", Kind::object},
        {"RecommendedCadence", Kind::string}}},
      {"com.apple.configuration.management.test",
       {{"Echo", Kind::string, 0, 0, true}, {"ReturnStatus", Kind::string}}},
      {"com.apple.configuration.management.status-subscriptions",
       {{"StatusItems", Kind::array, 0, 0, true}}},
  };
  return rules;
}

bool has_kind(const json& v, Kind k) {
  switch (k) {
    case Kind::boolean:
      return v.is_boolean();
    case Kind::integer:
      return v.is_number_integer();
    case Kind::string:
      return v.is_string();
    case Kind::object:
      return v.is_object();
    case Kind::array:
      return v.is_array();
  }
  return false;
}

json reason(const char* code, const std::string& description, const ddm::Declaration& d) {
  return {{"code", code},
          {"description", description},
          {"details", {{"Identifier", d.identifier}, {"ServerToken", d.server_token}}}};
}

// Why a configuration is invalid (empty: valid).
json configuration_problems(const ddm::Declaration& d) {
  json reasons = json::array();
  const auto& rules = configuration_rules();
  auto it = rules.find(d.type);
  if (it == rules.end()) {
    reasons.push_back(
        reason("Error.UnknownDeclarationType", "this Mac does not support " + d.type, d));
    return reasons;
  }
  for (const auto& rule : it->second) {
    auto v = d.payload.find(rule.key);
    if (v == d.payload.end()) {
      if (rule.required)
        reasons.push_back(
            reason("Error.InvalidPayload", std::string(rule.key) + " is required", d));
      continue;
    }
    if (!has_kind(*v, rule.kind)) {
      reasons.push_back(
          reason("Error.InvalidPayload", std::string(rule.key) + " has the wrong type", d));
      continue;
    }
    if (rule.kind == Kind::integer) {
      const auto n = v->get<long long>();
      if (n < rule.min || (rule.max && n > rule.max))
        reasons.push_back(
            reason("Error.InvalidPayload", std::string(rule.key) + " is out of range", d));
    }
  }
  if (d.type == "com.apple.configuration.softwareupdate.settings" &&
      d.payload.contains("RecommendedCadence") && d.payload["RecommendedCadence"].is_string()) {
    const auto cadence = d.payload["RecommendedCadence"].get<std::string>();
    if (cadence != "All" && cadence != "Newest" && cadence != "Oldest")
      reasons.push_back(reason("Error.InvalidPayload",
                               "RecommendedCadence is not All, Newest "
                               "or Oldest",
                               d));
  }
  return reasons;
}
}  // namespace

void DeclarativeAgent::install(std::vector<ddm::Declaration> declarations, std::string token) {
  declarations_.clear();
  for (auto& d : declarations) declarations_[d.identifier] = std::move(d);
  token_ = std::move(token);
  ++syncs_;
  evaluate();
}

std::string DeclarativeAgent::held_token(const std::string& identifier) const {
  auto it = declarations_.find(identifier);
  return it == declarations_.end() ? std::string() : it->second.server_token;
}

const ddm::Declaration* DeclarativeAgent::held(const std::string& identifier) const {
  auto it = declarations_.find(identifier);
  return it == declarations_.end() ? nullptr : &it->second;
}

void DeclarativeAgent::evaluate() {
  status_.clear();
  passcode_ = nullptr;
  software_update_ = nullptr;
  std::set<std::string> activated;
  // Activations first: they decide which configurations are active.
  for (const auto& [id, d] : declarations_) {
    if (d.kind() != ddm::DeclarationKind::activation) continue;
    ddm::DeclarationStatus s{d.kind(), id, false, "valid", d.server_token, json::array()};
    auto list = d.payload.find("StandardConfigurations");
    if (d.type != "com.apple.activation.simple") {
      s.reasons.push_back(
          reason("Error.UnknownDeclarationType", "this Mac does not support " + d.type, d));
    } else if (list == d.payload.end() || !list->is_array()) {
      s.reasons.push_back(
          reason("Error.InvalidPayload", "StandardConfigurations must be an array", d));
    } else {
      for (const auto& ref : *list) {
        const auto* target = ref.is_string() ? held(ref.get<std::string>()) : nullptr;
        if (!target || target->kind() != ddm::DeclarationKind::configuration)
          s.reasons.push_back(reason("Error.MissingConfigurations",
                                     "StandardConfigurations names " +
                                         (ref.is_string() ? ref.get<std::string>() : ref.dump()) +
                                         ", which this Mac does not hold",
                                     d));
      }
    }
    if (s.reasons.empty()) {
      s.active = true;
      for (const auto& ref : *list) activated.insert(ref.get<std::string>());
    } else {
      s.valid = "invalid";
    }
    status_[id] = std::move(s);
  }
  for (const auto& [id, d] : declarations_) {
    if (d.kind() == ddm::DeclarationKind::activation) continue;
    ddm::DeclarationStatus s{d.kind(), id, true, "valid", d.server_token, json::array()};
    if (d.kind() == ddm::DeclarationKind::configuration) {
      s.reasons = configuration_problems(d);
      if (!s.reasons.empty()) s.valid = "invalid";
      s.active = s.reasons.empty() && activated.count(id) > 0;
      if (s.active && d.type == "com.apple.configuration.passcode.settings") passcode_ = d.payload;
      if (s.active && d.type == "com.apple.configuration.softwareupdate.settings")
        software_update_ = d.payload;
    }
    status_[id] = std::move(s);
  }
}

ddm::StatusReport DeclarativeAgent::status_report(const std::string& udid,
                                                  const std::string& serial) const {
  ddm::StatusReport r;
  for (const auto& [id, s] : status_) r.declarations.push_back(s);
  r.full_report = true;
  r.other_items = {{"device", {{"identifier", {{"udid", udid}, {"serial-number", serial}}}}}};
  return r;
}

json DeclarativeAgent::snapshot() const {
  json decls = json::object();
  for (const auto& [id, s] : status_) {
    const auto* d = held(id);
    decls[id] = {{"type", d ? d->type : ""},
                 {"kind", std::string(ddm::to_string(s.kind))},
                 {"active", s.active},
                 {"valid", s.valid},
                 {"server_token", s.server_token},
                 {"reasons", s.reasons}};
  }
  return {{"declarations_token", token_},
          {"syncs", syncs_},
          {"declarations", decls},
          {"passcode", passcode_},
          {"software_update", software_update_}};
}

}  // namespace mdmlab::simulators::mac
