#include "protocol/apple/dep/server_token.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <ctime>

#include "protocol/json/strict_json.hpp"

namespace mdmlab::apple::dep {
namespace {
constexpr std::string_view kBegin = "-----BEGIN MESSAGE-----";
constexpr std::string_view kEnd = "-----END MESSAGE-----";

Result<std::string> credential(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get<std::string>().empty())
    return make_error("bad_token", std::string("the server token has no ") + key);
  return it->get<std::string>();
}

}  // namespace

std::string encode_server_token(const ServerToken& t) {
  nlohmann::json j{{"consumer_key", t.consumer_key},
                   {"consumer_secret", t.consumer_secret},
                   {"access_token", t.access_token},
                   {"access_secret", t.access_secret},
                   {"access_token_expiry", rfc3339_utc(t.access_token_expiry)}};
  return j.dump();
}

Result<ServerToken> parse_server_token(std::string_view text) {
  if (auto b = text.find(kBegin); b != std::string_view::npos) {
    auto e = text.find(kEnd, b);
    if (e == std::string_view::npos) return make_error("bad_token", "no END MESSAGE line");
    text = text.substr(b + kBegin.size(), e - b - kBegin.size());
  }
  auto j = parse_strict_json(text);
  if (!j) return make_error("bad_token", "the server token is not JSON: " + j.error().message);
  if (!j->is_object()) return make_error("bad_token", "the server token is not a JSON object");
  ServerToken t;
  for (auto [field, key] :
       {std::pair{&t.consumer_key, "consumer_key"},
        std::pair{&t.consumer_secret, "consumer_secret"},
        std::pair{&t.access_token, "access_token"}, std::pair{&t.access_secret, "access_secret"}}) {
    auto v = credential(*j, key);
    if (!v) return v.error();
    *field = std::move(*v);
  }
  if (auto it = j->find("access_token_expiry"); it != j->end() && !it->is_null()) {
    if (!it->is_string()) return make_error("bad_token", "access_token_expiry is not a string");
    auto at = parse_rfc3339(it->get<std::string>());
    if (!at) return at.error();
    t.access_token_expiry = *at;
  }
  return t;
}

bool looks_like_smime(std::string_view text) {
  return text.find("application/pkcs7-mime") != std::string_view::npos ||
         text.find("smime.p7m") != std::string_view::npos;
}

Result<Bytes> smime_enveloped_der(std::string_view smime) {
  auto sep = smime.find("\r\n\r\n");
  std::size_t skip = 4;
  if (sep == std::string_view::npos) {
    sep = smime.find("\n\n");
    skip = 2;
  }
  if (sep == std::string_view::npos) return make_error("bad_token", "no MIME body");
  std::string b64;
  for (char c : smime.substr(sep + skip))
    if (!std::isspace(static_cast<unsigned char>(c))) b64 += c;
  auto der = base64_decode(b64);
  if (!der || der->empty()) return make_error("bad_token", "the MIME body is not base64");
  return *der;
}

}  // namespace mdmlab::apple::dep
