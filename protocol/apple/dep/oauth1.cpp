#include "protocol/apple/dep/oauth1.hpp"

#include <oauth.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include "protocol/plist/utf8.hpp"

namespace mdmlab::apple::dep {
namespace {
// liboauth hands back malloc'd strings.
struct FreeC {
  void operator()(char* p) const noexcept { std::free(p); }  // NOLINT: C allocation
};
using CString = std::unique_ptr<char, FreeC>;

std::string take(char* p) {
  CString owned(p);
  return owned ? std::string(owned.get()) : std::string();
}

constexpr std::array<std::string_view, 7> kOAuthNames = {
    "oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_signature",
    "oauth_timestamp",    "oauth_nonce", "oauth_version"};

Result<std::string> unescape(std::string_view text) {
  std::string copy(text);
  size_t length = 0;
  CString out(oauth_url_unescape(copy.c_str(), &length));
  if (!out) return make_error("bad_oauth", "cannot decode '" + copy + "'");
  return std::string(out.get(), length);
}

void skip_space(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}
}  // namespace

std::string OAuthHeader::get(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

std::string percent_encode(std::string_view text) {
  std::string copy(text);
  return take(oauth_url_escape(copy.c_str()));
}

Result<OAuthHeader> parse_oauth_header(std::string_view value) {
  skip_space(value);
  if (value.size() < 6 ||
      !std::equal(value.begin(), value.begin() + 5, "OAuth",
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); }) ||
      (value[5] != ' ' && value[5] != '\t'))
    return make_error("bad_oauth", "the Authorization scheme is not OAuth");
  value.remove_prefix(6);
  OAuthHeader h;
  bool have_realm = false;
  while (true) {
    skip_space(value);
    if (value.empty()) break;
    auto eq = value.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return make_error("bad_oauth", "a parameter without a value");
    std::string name(value.substr(0, eq));
    while (!name.empty() && name.back() == ' ') name.pop_back();
    value.remove_prefix(eq + 1);
    skip_space(value);
    if (value.empty() || value.front() != '"')
      return make_error("bad_oauth", "the value of " + name + " is not quoted");
    auto close = value.find('"', 1);
    if (close == std::string_view::npos)
      return make_error("bad_oauth", "the value of " + name + " has no closing quote");
    auto raw = value.substr(1, close - 1);
    value.remove_prefix(close + 1);
    skip_space(value);
    if (!value.empty()) {
      if (value.front() != ',') return make_error("bad_oauth", "parameters not separated by ','");
      value.remove_prefix(1);
    }
    auto decoded = unescape(raw);
    if (!decoded) return decoded.error();
    // RFC 5849 3.6: values are UTF-8 before they are percent-encoded.
    if (!plist::is_valid_utf8(*decoded))
      return make_error("bad_oauth", "the value of " + name + " is not UTF-8");
    if (name == "realm") {
      if (have_realm) return make_error("bad_oauth", "realm given twice");
      have_realm = true;
      h.realm = *decoded;
      continue;
    }
    if (std::find(kOAuthNames.begin(), kOAuthNames.end(), name) == kOAuthNames.end())
      return make_error("bad_oauth", "unknown parameter " + name);
    for (const auto& [k, v] : h.params)
      if (k == name) return make_error("bad_oauth", name + " given twice");
    h.params.emplace_back(std::move(name), std::move(*decoded));
  }
  return h;
}

std::string signature_base_string(std::string_view method, std::string_view base_uri,
                                  const OAuthParams& oauth, const OAuthParams& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto* list : {&oauth, &query})
    for (const auto& [k, v] : *list)
      if (k != "oauth_signature" && k != "realm")
        encoded.emplace_back(percent_encode(k), percent_encode(v));
  std::sort(encoded.begin(), encoded.end());
  std::string normalized;
  for (const auto& [k, v] : encoded) normalized += (normalized.empty() ? "" : "&") + k + "=" + v;
  std::string upper(method);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper + "&" + percent_encode(base_uri) + "&" + percent_encode(normalized);
}

std::string hmac_sha1_signature(std::string_view base, std::string_view consumer_secret,
                                std::string_view token_secret) {
  const std::string key = percent_encode(consumer_secret) + "&" + percent_encode(token_secret);
  const std::string message(base);
  return take(oauth_sign_hmac_sha1_raw(message.data(), message.size(), key.data(), key.size()));
}

std::string authorization_header(std::string_view method, std::string_view base_uri,
                                 OAuthParams params, std::string_view consumer_secret,
                                 std::string_view token_secret) {
  auto base = signature_base_string(method, base_uri, params, {});
  params.emplace_back("oauth_signature", hmac_sha1_signature(base, consumer_secret, token_secret));
  std::string out = "OAuth realm=\"ADM\"";
  for (const auto& [k, v] : params) out += ", " + k + "=\"" + percent_encode(v) + "\"";
  return out;
}

}  // namespace mdmlab::apple::dep
