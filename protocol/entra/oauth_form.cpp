#include "protocol/entra/oauth_form.hpp"

#include "crypto/digest.hpp"
#include "crypto/random.hpp"

namespace mdmlab::entra {
namespace {
Error invalid(std::string why) {
  return make_error("invalid_request", std::move(why));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n;
  }
  return true;
}

Result<std::string> decode_component(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return invalid("a cut percent escape");
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return invalid("a bad percent escape");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  if (!valid_utf8(out)) return invalid("a parameter that is not UTF-8");
  return out;
}

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string encode_component(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (unreserved(static_cast<char>(c))) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}
}  // namespace

Result<FormParams> parse_form(std::string_view text) {
  FormParams out;
  while (!text.empty()) {
    auto amp = text.find('&');
    auto pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto name = decode_component(pair.substr(0, eq));
    if (!name) return name.error();
    if (name->empty()) return invalid("a parameter without a name");
    auto value =
        decode_component(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!value) return value.error();
    if (!out.emplace(std::move(*name), std::move(*value)).second)
      return invalid("a parameter sent more than once");
  }
  return out;
}

std::string encode_form(const FormParams& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += encode_component(k) + "=" + encode_component(v);
  }
  return out;
}

Result<TokenRequest> parse_token_request(std::string_view body,
                                         std::string_view authorization_header) {
  auto form = parse_form(body);
  if (!form) return form.error();
  auto get = [&](const char* k) {
    auto it = form->find(k);
    return it == form->end() ? std::string() : it->second;
  };
  TokenRequest r;
  r.grant_type = get("grant_type");
  r.client_id = get("client_id");
  r.client_secret = get("client_secret");
  r.code = get("code");
  r.redirect_uri = get("redirect_uri");
  r.code_verifier = get("code_verifier");
  r.refresh_token = get("refresh_token");
  r.scope = get("scope");
  r.wants_client_info = get("client_info") == "1";
  if (!authorization_header.empty()) {
    constexpr std::string_view basic = "Basic ";
    if (!authorization_header.starts_with(basic)) return invalid("Authorization is not Basic");
    auto raw = base64_decode(authorization_header.substr(basic.size()));
    if (!raw) return invalid("Authorization: Basic is not base64");
    const auto text = to_string(*raw);
    const auto colon = text.find(':');
    if (colon == std::string::npos) return invalid("Authorization: Basic without ':'");
    if (!r.client_secret.empty())
      return invalid("client credentials in both the header and the body");
    auto id = decode_component(text.substr(0, colon));
    auto secret = decode_component(text.substr(colon + 1));
    if (!id || !secret) return invalid("Authorization: Basic with bad escapes");
    if (!r.client_id.empty() && r.client_id != *id) return invalid("two different client ids");
    r.client_id = *id;
    r.client_secret = *secret;
  }
  if (r.grant_type.empty()) return invalid("grant_type is missing");
  if (r.client_id.empty()) return invalid("client_id is missing");
  if (r.grant_type == "authorization_code") {
    if (r.code.empty()) return invalid("code is missing");
    if (r.redirect_uri.empty()) return invalid("redirect_uri is missing");
  } else if (r.grant_type == "refresh_token") {
    if (r.refresh_token.empty()) return invalid("refresh_token is missing");
  } else if (r.grant_type == "client_credentials") {
    if (r.scope.empty()) return invalid("scope is missing");
  } else {
    return make_error("unsupported_grant_type", "grant_type " + r.grant_type.substr(0, 40));
  }
  return r;
}

bool pkce_verifier_ok(std::string_view v) {
  if (v.size() < 43 || v.size() > 128) return false;
  for (char c : v)
    if (!unreserved(c)) return false;
  return true;
}

std::string pkce_s256(std::string_view verifier) {
  return base64url_encode(crypto::sha256(to_bytes(verifier)));
}

bool pkce_matches(std::string_view verifier, std::string_view challenge, std::string_view method) {
  if (!pkce_verifier_ok(verifier)) return false;
  if (method == "S256") return pkce_s256(verifier) == challenge;
  if (method == "plain" || method.empty()) return verifier == challenge;
  return false;
}

nlohmann::json oauth_error(const std::string& error, int aadsts, const std::string& description,
                           const std::string& timestamp) {
  return {{"error", error},
          {"error_description", "AADSTS" + std::to_string(aadsts) + ": " + description},
          {"error_codes", {aadsts}},
          {"timestamp", timestamp},
          {"trace_id", crypto::random_uuid()},
          {"correlation_id", crypto::random_uuid()}};
}

}  // namespace mdmlab::entra
