#include "protocol/apple/ddm/status_report.hpp"

#include "protocol/json/strict_json.hpp"

namespace mdmlab::apple::ddm {
using nlohmann::json;

namespace {
Error bad(std::string why) {
  return make_error("bad_status", std::move(why));
}

constexpr std::pair<DeclarationKind, const char*> kLists[] = {
    {DeclarationKind::activation, "activations"},
    {DeclarationKind::asset, "assets"},
    {DeclarationKind::configuration, "configurations"},
    {DeclarationKind::management, "management"},
};

Result<DeclarationStatus> declaration_status(DeclarationKind kind, const json& j) {
  if (!j.is_object()) return bad("a declaration status is not an object");
  DeclarationStatus s;
  s.kind = kind;
  auto id = j.find("identifier");
  if (id == j.end() || !id->is_string() || id->get_ref<const std::string&>().empty())
    return bad("a declaration status has no identifier");
  s.identifier = id->get<std::string>();
  if (auto a = j.find("active"); a != j.end()) {
    if (!a->is_boolean()) return bad("active must be a boolean");
    s.active = a->get<bool>();
  }
  if (auto v = j.find("valid"); v != j.end()) {
    if (!v->is_string()) return bad("valid must be a string");
    s.valid = v->get<std::string>();
    if (s.valid != "valid" && s.valid != "invalid" && s.valid != "unknown")
      return bad("valid must be valid, invalid or unknown");
  }
  if (auto t = j.find("server-token"); t != j.end()) {
    if (!t->is_string()) return bad("server-token must be a string");
    s.server_token = t->get<std::string>();
  }
  if (auto r = j.find("reasons"); r != j.end()) {
    if (!r->is_array()) return bad("reasons must be an array");
    for (const auto& reason : *r)
      if (!reason.is_object() || !reason.contains("code") || !reason["code"].is_string())
        return bad("a reason needs a string code");
    s.reasons = *r;
  }
  return s;
}
}  // namespace

Result<StatusReport> parse_status_report(std::string_view text) {
  auto parsed = parse_strict_json(text);
  if (!parsed) return bad(parsed.error().message);
  const json j = std::move(*parsed);
  if (!j.is_object()) return bad("a status report is a JSON object");
  StatusReport r;
  if (auto full = j.find("FullReport"); full != j.end()) {
    if (!full->is_boolean()) return bad("FullReport must be a boolean");
    r.full_report = full->get<bool>();
  }
  if (auto errors = j.find("Errors"); errors != j.end()) {
    if (!errors->is_array()) return bad("Errors must be an array");
    r.errors = *errors;
  }
  auto items = j.find("StatusItems");
  if (items == j.end()) return r;
  if (!items->is_object()) return bad("StatusItems must be an object");
  r.other_items = *items;
  auto management = items->find("management");
  if (management == items->end()) return r;
  if (!management->is_object()) return bad("StatusItems.management must be an object");
  auto declarations = management->find("declarations");
  if (declarations == management->end()) return r;
  if (!declarations->is_object()) return bad("management.declarations must be an object");
  for (const auto& [kind, name] : kLists) {
    auto list = declarations->find(name);
    if (list == declarations->end()) continue;
    if (!list->is_array()) return bad(std::string(name) + " must be an array");
    for (const auto& item : *list) {
      auto s = declaration_status(kind, item);
      if (!s) return s.error();
      r.declarations.push_back(std::move(*s));
    }
  }
  r.other_items["management"].erase("declarations");
  if (r.other_items["management"].empty()) r.other_items.erase("management");
  return r;
}

std::string encode_status_report(const StatusReport& r) {
  json lists = json::object();
  for (const auto& [kind, name] : kLists) lists[name] = json::array();
  for (const auto& s : r.declarations) {
    json item{{"identifier", s.identifier},
              {"active", s.active},
              {"valid", s.valid},
              {"server-token", s.server_token}};
    if (!s.reasons.empty()) item["reasons"] = s.reasons;
    for (const auto& [kind, name] : kLists)
      if (kind == s.kind) lists[name].push_back(std::move(item));
  }
  json items = r.other_items.is_object() ? r.other_items : json::object();
  items["management"]["declarations"] = std::move(lists);
  json out{{"StatusItems", std::move(items)}};
  if (!r.errors.empty()) out["Errors"] = r.errors;
  if (r.full_report) out["FullReport"] = true;
  return out.dump();
}

}  // namespace mdmlab::apple::ddm
