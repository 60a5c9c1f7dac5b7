#include "protocol/scim/scim_user.hpp"

#include <algorithm>
#include <cctype>

#include "protocol/json/strict_json.hpp"

namespace mdmlab::scim {
using nlohmann::json;

namespace {
constexpr std::size_t kMaxValue = 256;

Error bad(const char* scim_type, std::string why) {
  return make_error(scim_type, std::move(why));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A string member, "" when absent; an error when present with another type or too long.
Result<std::string> text(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return bad("invalidValue", std::string(key) + " must be a string");
  auto s = it->get<std::string>();
  if (s.size() > kMaxValue) return bad("invalidValue", std::string(key) + " is too long");
  return s;
}

// Entra sends booleans as "True"/"False" in PATCH values.
Result<bool> boolean(const json& v, const char* what) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) {
    const auto s = lower(v.get<std::string>());
    if (s == "true") return true;
    if (s == "false") return false;
  }
  return bad("invalidValue", std::string(what) + " must be a boolean");
}

Result<std::string> work_email(const json& emails) {
  if (!emails.is_array() || emails.size() > 10)
    return bad("invalidValue", "emails must be an array of at most 10");
  std::string first, primary;
  for (const auto& e : emails) {
    if (!e.is_object()) return bad("invalidValue", "an email must be an object");
    auto value = text(e, "value");
    if (!value) return value.error();
    if (first.empty()) first = *value;
    if (e.contains("primary")) {
      auto p = boolean(e["primary"], "primary");
      if (!p) return p.error();
      if (*p && primary.empty()) primary = *value;
    }
  }
  return primary.empty() ? first : primary;
}

Result<void> set_name(ScimUser& u, const json& name) {
  if (!name.is_object()) return bad("invalidValue", "name must be an object");
  auto given = text(name, "givenName");
  auto family = text(name, "familyName");
  if (!given) return given.error();
  if (!family) return family.error();
  if (name.contains("givenName")) u.given_name = *given;
  if (name.contains("familyName")) u.family_name = *family;
  return success();
}

// One attribute by its (lower-cased) path.
Result<void> set_path(ScimUser& u, const std::string& path, const json& value) {
  auto as_text = [&]() -> Result<std::string> {
    if (!value.is_string()) return bad("invalidValue", path + " must be a string");
    auto s = value.get<std::string>();
    if (s.size() > kMaxValue) return bad("invalidValue", path + " is too long");
    return s;
  };
  if (path == "active") {
    auto b = boolean(value, "active");
    if (!b) return b.error();
    u.active = *b;
    return success();
  }
  if (path == "name") return set_name(u, value);
  if (path == "emails") {
    auto e = work_email(value);
    if (!e) return e.error();
    u.email = *e;
    return success();
  }
  std::string* field = nullptr;
  if (path == "username") field = &u.user_name;
  if (path == "externalid") field = &u.external_id;
  if (path == "name.givenname") field = &u.given_name;
  if (path == "name.familyname") field = &u.family_name;
  if (path == "emails[type eq \"work\"].value") field = &u.email;
  if (!field) return bad("invalidPath", "a path this service does not know: " + path);
  auto s = as_text();
  if (!s) return s.error();
  if (field == &u.user_name && s->empty()) return bad("invalidValue", "userName cannot be empty");
  *field = *s;
  return success();
}
}  // namespace

Result<ScimUser> parse_user(std::string_view body) {
  auto j = parse_strict_json(body);
  if (!j || !j->is_object()) return bad("invalidSyntax", "the body is not a JSON object");
  const auto schemas = j->find("schemas");
  if (schemas == j->end() || !schemas->is_array() ||
      std::find(schemas->begin(), schemas->end(), json(kUserSchema)) == schemas->end())
    return bad("invalidSyntax", std::string("schemas must list ") + kUserSchema);
  ScimUser u;
  auto user_name = text(*j, "userName");
  if (!user_name) return user_name.error();
  if (user_name->empty()) return bad("invalidValue", "userName is required");
  u.user_name = *user_name;
  auto external = text(*j, "externalId");
  if (!external) return external.error();
  u.external_id = *external;
  if (j->contains("name")) {
    if (auto r = set_name(u, (*j)["name"]); !r) return r.error();
  }
  if (j->contains("emails")) {
    auto e = work_email((*j)["emails"]);
    if (!e) return e.error();
    u.email = *e;
  }
  if (j->contains("active")) {
    auto a = boolean((*j)["active"], "active");
    if (!a) return a.error();
    u.active = *a;
  }
  return u;
}

json user_json(const ScimUser& u, const std::string& location, const std::string& created,
               const std::string& last_modified) {
  json out{{"schemas", {kUserSchema}},
           {"id", u.id},
           {"userName", u.user_name},
           {"name", {{"givenName", u.given_name}, {"familyName", u.family_name}}},
           {"active", u.active},
           {"meta",
            {{"resourceType", "User"},
             {"created", created},
             {"lastModified", last_modified},
             {"location", location}}}};
  if (!u.external_id.empty()) out["externalId"] = u.external_id;
  if (!u.email.empty())
    out["emails"] = json::array({{{"value", u.email}, {"type", "work"}, {"primary", true}}});
  return out;
}

std::string error_json(int status, const std::string& scim_type, const std::string& detail) {
  json out{{"schemas", {kErrorSchema}}, {"status", std::to_string(status)}, {"detail", detail}};
  if (!scim_type.empty()) out["scimType"] = scim_type;
  // A detail may quote what the client sent: bytes that are no UTF-8 are replaced, not thrown on.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Filter> parse_filter(std::string_view text) {
  // attribute SP "eq" SP quoted-string, nothing else (RFC 7644 3.4.2.2's simplest form).
  const auto sp = text.find(' ');
  if (sp == std::string_view::npos || text.size() > 512)
    return bad("invalidFilter", "only `userName eq \"value\"` is supported");
  const auto attribute = lower(text.substr(0, sp));
  auto rest = text.substr(sp + 1);
  if (lower(rest.substr(0, 3)) != "eq " || rest.size() < 5)
    return bad("invalidFilter", "only the eq operator is supported");
  auto quoted = rest.substr(3);
  if (quoted.front() != '"' || quoted.back() != '"')
    return bad("invalidFilter", "the value must be a quoted string");
  auto value = json::parse(quoted, nullptr, false);
  if (!value.is_string()) return bad("invalidFilter", "the value must be a JSON string");
  Filter f;
  if (attribute == "username")
    f.attribute = "userName";
  else if (attribute == "externalid")
    f.attribute = "externalId";
  else
    return bad("invalidFilter", "filters on userName or externalId only");
  f.value = value.get<std::string>();
  return f;
}

Result<ScimUser> apply_patch(ScimUser user, std::string_view body) {
  auto j = parse_strict_json(body);
  if (!j || !j->is_object()) return bad("invalidSyntax", "the body is not a JSON object");
  const auto schemas = j->find("schemas");
  if (schemas == j->end() || !schemas->is_array() ||
      std::find(schemas->begin(), schemas->end(), json(kPatchSchema)) == schemas->end())
    return bad("invalidSyntax", std::string("schemas must list ") + kPatchSchema);
  const auto ops = j->find("Operations");
  if (ops == j->end() || !ops->is_array() || ops->empty() || ops->size() > 100)
    return bad("invalidSyntax", "Operations must be an array of 1 to 100 operations");
  for (const auto& op : *ops) {
    if (!op.is_object() || !op.contains("op") || !op["op"].is_string())
      return bad("invalidSyntax", "each operation has an op");
    const auto kind = lower(op["op"].get<std::string>());
    if (kind == "remove") return bad("mutability", "this service keeps its users' attributes");
    if (kind != "add" && kind != "replace")
      return bad("invalidSyntax", "op add, replace or remove");
    if (!op.contains("value")) return bad("invalidValue", "the operation has no value");
    const auto& value = op["value"];
    if (op.contains("path")) {
      if (!op["path"].is_string()) return bad("invalidPath", "path must be a string");
      if (auto r = set_path(user, lower(op["path"].get<std::string>()), value); !r)
        return r.error();
      continue;
    }
    if (!value.is_object()) return bad("invalidValue", "an operation without a path has an object");
    for (const auto& [key, v] : value.items())
      if (auto r = set_path(user, lower(key), v); !r) return r.error();
  }
  return user;
}

}  // namespace mdmlab::scim
