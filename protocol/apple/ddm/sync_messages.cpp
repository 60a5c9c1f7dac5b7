#include "protocol/apple/ddm/sync_messages.hpp"

#include <algorithm>

#include "crypto/digest.hpp"
#include "protocol/json/strict_json.hpp"

namespace mdmlab::apple::ddm {
using nlohmann::json;

namespace {
Error bad(std::string why) {
  return make_error("bad_ddm", std::move(why));
}

constexpr std::pair<DeclarationKind, const char*> kLists[] = {
    {DeclarationKind::activation, "Activations"},
    {DeclarationKind::asset, "Assets"},
    {DeclarationKind::configuration, "Configurations"},
    {DeclarationKind::management, "Management"},
};

Result<json> object_of(std::string_view text) {
  auto j = parse_strict_json(text);
  if (!j) return bad(j.error().message);
  if (!j->is_object()) return bad("not a JSON object");
  return j;
}

Result<std::string> string_at(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return bad(std::string(key) + " must be a string");
  return it->get<std::string>();
}
}  // namespace

std::string encode_tokens(const SyncTokens& t) {
  return json{
      {"SyncTokens", {{"DeclarationsToken", t.declarations_token}, {"Timestamp", t.timestamp}}}}
      .dump();
}

Result<SyncTokens> parse_tokens(std::string_view text) {
  auto j = object_of(text);
  if (!j) return j.error();
  auto sync = j->find("SyncTokens");
  if (sync == j->end() || !sync->is_object()) return bad("SyncTokens must be an object");
  SyncTokens t;
  auto token = string_at(*sync, "DeclarationsToken");
  if (!token) return token.error();
  t.declarations_token = std::move(*token);
  auto ts = sync->find("Timestamp");
  if (ts != sync->end()) {
    if (!ts->is_string()) return bad("Timestamp must be a string");
    t.timestamp = ts->get<std::string>();
  }
  return t;
}

std::vector<ManifestItem>& DeclarationItems::of(DeclarationKind k) {
  switch (k) {
    case DeclarationKind::activation:
      return activations;
    case DeclarationKind::asset:
      return assets;
    case DeclarationKind::configuration:
      return configurations;
    case DeclarationKind::management:
      return management;
  }
  return configurations;
}

const std::vector<ManifestItem>& DeclarationItems::of(DeclarationKind k) const {
  return const_cast<DeclarationItems*>(this)->of(k);
}

std::string declarations_token(const std::vector<Declaration>& declarations) {
  std::vector<const Declaration*> sorted;
  for (const auto& d : declarations) sorted.push_back(&d);
  std::sort(sorted.begin(), sorted.end(), [](const Declaration* a, const Declaration* b) {
    return a->identifier < b->identifier;
  });
  std::string all;
  for (const auto* d : sorted) all += d->identifier + "\n" + d->server_token + "\n";
  return hex_encode(crypto::sha256(to_bytes(all))).substr(0, 32);
}

DeclarationItems items_of(const std::vector<Declaration>& declarations) {
  DeclarationItems items;
  for (const auto& d : declarations) items.of(d.kind()).push_back({d.identifier, d.server_token});
  items.declarations_token = declarations_token(declarations);
  return items;
}

std::string encode_declaration_items(const DeclarationItems& items) {
  json lists = json::object();
  for (const auto& [kind, name] : kLists) {
    json list = json::array();
    for (const auto& i : items.of(kind))
      list.push_back({{"Identifier", i.identifier}, {"ServerToken", i.server_token}});
    lists[name] = std::move(list);
  }
  return json{{"Declarations", std::move(lists)}, {"DeclarationsToken", items.declarations_token}}
      .dump();
}

Result<DeclarationItems> parse_declaration_items(std::string_view text) {
  auto j = object_of(text);
  if (!j) return j.error();
  auto decls = j->find("Declarations");
  if (decls == j->end() || !decls->is_object()) return bad("Declarations must be an object");
  DeclarationItems items;
  for (const auto& [kind, name] : kLists) {
    auto list = decls->find(name);
    if (list == decls->end()) continue;
    if (!list->is_array()) return bad(std::string(name) + " must be an array");
    for (const auto& item : *list) {
      if (!item.is_object()) return bad(std::string(name) + " holds a non-object");
      auto id = string_at(item, "Identifier");
      if (!id) return id.error();
      auto token = string_at(item, "ServerToken");
      if (!token) return token.error();
      items.of(kind).push_back({std::move(*id), std::move(*token)});
    }
  }
  auto token = string_at(*j, "DeclarationsToken");
  if (!token) return token.error();
  items.declarations_token = std::move(*token);
  return items;
}

Result<Endpoint> parse_endpoint(std::string_view e) {
  Endpoint out;
  if (e == "tokens") return out;
  if (e == "declaration-items") {
    out.kind = Endpoint::Kind::declaration_items;
    return out;
  }
  if (e == "status") {
    out.kind = Endpoint::Kind::status;
    return out;
  }
  constexpr std::string_view prefix = "declaration/";
  if (e.starts_with(prefix)) {
    auto rest = e.substr(prefix.size());
    auto slash = rest.find('/');
    if (slash != std::string_view::npos) {
      auto kind = kind_from_word(rest.substr(0, slash));
      auto id = rest.substr(slash + 1);
      if (kind && !id.empty() && id.find('/') == std::string_view::npos) {
        out.kind = Endpoint::Kind::declaration;
        out.declaration_kind = *kind;
        out.identifier = std::string(id);
        return out;
      }
    }
  }
  return make_error("bad_endpoint", "unknown DeclarativeManagement Endpoint");
}

std::string declaration_endpoint(DeclarationKind kind, const std::string& identifier) {
  return "declaration/" + std::string(to_string(kind)) + "/" + identifier;
}

}  // namespace mdmlab::apple::ddm
