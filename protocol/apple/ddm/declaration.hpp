// Declarative Device Management declarations (Apple's "Declarations"; KMFDDM's model): a JSON
// object with Type, Identifier, Payload and the ServerToken that changes whenever the
// declaration does. The declaration's kind (activation, asset, configuration, management)
// is the word after "com.apple." in its Type, and names where it is listed in
// declaration-items and fetched: declaration/<kind>/<Identifier>.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace mdmlab::apple::ddm {

enum class DeclarationKind { activation, asset, configuration, management };
std::string_view to_string(DeclarationKind k);
// "activation" -> activation, ...; nullopt for anything else.
std::optional<DeclarationKind> kind_from_word(std::string_view word);
// com.apple.configuration.passcode.settings -> configuration; nullopt for other types.
std::optional<DeclarationKind> kind_of_type(std::string_view type);

struct Declaration {
  std::string type;        // e.g. com.apple.configuration.passcode.settings
  std::string identifier;  // unique per server
  std::string server_token;
  nlohmann::json payload = nlohmann::json::object();
  DeclarationKind kind() const { return *kind_of_type(type); }
};

// Parses a declaration (strict JSON). Type must be a com.apple.<kind>.* type, Identifier a
// non-empty string of at most 256 characters without '/', Payload an object when present.
// ServerToken is optional (a server computes its own): `require_token` demands it (devices).
Result<Declaration> parse_declaration(std::string_view json_text, bool require_token = false);
Result<Declaration> declaration_from_json(const nlohmann::json& j, bool require_token = false);
nlohmann::json to_json(const Declaration& d);
std::string encode_declaration(const Declaration& d);
// The token a server gives a declaration: SHA-256 (hex, first 32 digits) of its Type,
// Identifier and canonical Payload, so equal content always gets the same token.
std::string content_token(const Declaration& d);

}  // namespace mdmlab::apple::ddm
