// The DDM synchronisation documents a device reads over the DeclarativeManagement check-in
// (Apple's TokensResponse and DeclarationItemsResponse) and the Endpoint it names:
//   tokens                       {"SyncTokens": {"DeclarationsToken", "Timestamp"}}
//   declaration-items            {"Declarations": {"Activations", "Assets", "Configurations",
//                                 "Management": [{"Identifier", "ServerToken"}]},
//                                 "DeclarationsToken"}
//   declaration/<kind>/<id>      one declaration (declaration.hpp)
//   status                       the device's status report (status_report.hpp)
// The DeclarationsToken changes whenever any of the device's declarations does.
#pragma once

#include <string>
#include <vector>

#include "protocol/apple/ddm/declaration.hpp"

namespace mdmlab::apple::ddm {

struct SyncTokens {
  std::string declarations_token;
  std::string timestamp;  // RFC 3339, UTC
};
std::string encode_tokens(const SyncTokens& t);
Result<SyncTokens> parse_tokens(std::string_view json_text);

struct ManifestItem {
  std::string identifier, server_token;
};
struct DeclarationItems {
  std::vector<ManifestItem> activations, assets, configurations, management;
  std::string declarations_token;
  std::vector<ManifestItem>& of(DeclarationKind k);
  const std::vector<ManifestItem>& of(DeclarationKind k) const;
};
// The items of `declarations`, each listed under its kind, and their DeclarationsToken.
DeclarationItems items_of(const std::vector<Declaration>& declarations);
// The DeclarationsToken of a set of declarations: SHA-256 over their ServerTokens in
// Identifier order (hex, 32 digits); the same for the same declarations, whatever their order.
std::string declarations_token(const std::vector<Declaration>& declarations);
std::string encode_declaration_items(const DeclarationItems& items);
Result<DeclarationItems> parse_declaration_items(std::string_view json_text);

struct Endpoint {
  enum class Kind { tokens, declaration_items, status, declaration } kind = Kind::tokens;
  DeclarationKind declaration_kind = DeclarationKind::configuration;  // Kind::declaration
  std::string identifier;                                             // Kind::declaration
};
// Parses a DeclarativeManagement Endpoint; an error ("bad_endpoint") for anything else.
Result<Endpoint> parse_endpoint(std::string_view endpoint);
std::string declaration_endpoint(DeclarationKind kind, const std::string& identifier);

}  // namespace mdmlab::apple::ddm
