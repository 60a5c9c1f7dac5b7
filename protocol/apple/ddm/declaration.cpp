#include "protocol/apple/ddm/declaration.hpp"

#include "crypto/digest.hpp"
#include "protocol/json/strict_json.hpp"

namespace mdmlab::apple::ddm {
using nlohmann::json;

namespace {
constexpr std::size_t kMaxIdentifier = 256;
Error bad(std::string why) {
  return make_error("bad_declaration", std::move(why));
}
}  // namespace

std::string_view to_string(DeclarationKind k) {
  switch (k) {
    case DeclarationKind::activation:
      return "activation";
    case DeclarationKind::asset:
      return "asset";
    case DeclarationKind::configuration:
      return "configuration";
    case DeclarationKind::management:
      return "management";
  }
  return "configuration";
}

std::optional<DeclarationKind> kind_from_word(std::string_view word) {
  for (auto k : {DeclarationKind::activation, DeclarationKind::asset,
                 DeclarationKind::configuration, DeclarationKind::management})
    if (word == to_string(k)) return k;
  return std::nullopt;
}

std::optional<DeclarationKind> kind_of_type(std::string_view type) {
  constexpr std::string_view prefix = "com.apple.";
  if (!type.starts_with(prefix)) return std::nullopt;
  auto rest = type.substr(prefix.size());
  auto dot = rest.find('.');
  if (dot == std::string_view::npos || dot + 1 == rest.size()) return std::nullopt;
  return kind_from_word(rest.substr(0, dot));
}

Result<Declaration> declaration_from_json(const json& j, bool require_token) {
  if (!j.is_object()) return bad("a declaration is a JSON object");
  Declaration d;
  auto type = j.find("Type");
  if (type == j.end() || !type->is_string()) return bad("Type must be a string");
  d.type = type->get<std::string>();
  if (!kind_of_type(d.type))
    return bad("Type " + d.type.substr(0, 80) +
               " is not com.apple.<activation|asset|configuration|management>.*");
  auto id = j.find("Identifier");
  if (id == j.end() || !id->is_string() || id->get_ref<const std::string&>().empty())
    return bad("Identifier must be a non-empty string");
  d.identifier = id->get<std::string>();
  if (d.identifier.size() > kMaxIdentifier || d.identifier.find('/') != std::string::npos)
    return bad("Identifier must be at most 256 characters, without '/'");
  auto token = j.find("ServerToken");
  if (token != j.end()) {
    if (!token->is_string()) return bad("ServerToken must be a string");
    d.server_token = token->get<std::string>();
  }
  if (require_token && d.server_token.empty()) return bad("ServerToken is missing");
  auto payload = j.find("Payload");
  if (payload != j.end()) {
    if (!payload->is_object()) return bad("Payload must be an object");
    d.payload = *payload;
  }
  return d;
}

Result<Declaration> parse_declaration(std::string_view json_text, bool require_token) {
  auto j = parse_strict_json(json_text);
  if (!j) return bad(j.error().message);
  return declaration_from_json(*j, require_token);
}

json to_json(const Declaration& d) {
  return {{"Type", d.type},
          {"Identifier", d.identifier},
          {"ServerToken", d.server_token},
          {"Payload", d.payload}};
}

std::string encode_declaration(const Declaration& d) {
  return to_json(d).dump();
}

std::string content_token(const Declaration& d) {
  // nlohmann's objects are ordered maps: dump() is canonical for equal content.
  const std::string canonical =
      json{{"Type", d.type}, {"Identifier", d.identifier}, {"Payload", d.payload}}.dump();
  return hex_encode(crypto::sha256(to_bytes(canonical))).substr(0, 32);
}

}  // namespace mdmlab::apple::ddm
