// Entra simulator cases, the identity platform over TLS (entra_oidc_routes.cpp, oauth_form.cpp):
// the token endpoint (RFC 6749 section 5.2 errors as Entra writes them: {"error",
// "error_description": "AADSTS..."}; 400, and 401 invalid_client) with wrong client credentials,
// grants that do not hold (used, unknown or foreign codes and refresh tokens, other grant types,
// a redirect URI that differs), PKCE verifiers that do not match the S256 challenge (RFC 7636
// 4.6), parameters twice (RFC 6749 3.1), invalid UTF-8, other media types, bodies cut short or
// over the limit; the authorize endpoint's query (an unknown client or unregistered redirect URI
// is shown on a page, never redirected to; other errors go to the redirect URI, RFC 6749
// 4.1.2.1) and its sign-in form (wrong credentials: the page again, no code). Every token request
// is valid in all but what it breaks, so one taken would be answered 200 with tokens.
#include "tests/hostile/generator_entra.hpp"

#include <cctype>

namespace mdmlab::testing::hostile {

std::string encode(const Form& f) {
  static const char* hex = "0123456789ABCDEF";
  auto component = [](const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
      }
    }
    return out;
  };
  std::string out;
  for (const auto& [k, v] : f) {
    if (!out.empty()) out += '&';
    out += component(k);
    out += '=';
    out += component(v);
  }
  return out;
}

std::string get(const Form& f, const std::string& name) {
  for (const auto& [k, v] : f)
    if (k == name) return v;
  return {};
}

void set(Form& f, const std::string& name, const std::string& value) {
  for (auto& [k, v] : f)
    if (k == name) {
      v = value;
      return;
    }
  f.emplace_back(name, value);
}

void drop(Form& f, const std::string& name) {
  std::erase_if(f, [&](const auto& p) { return p.first == name; });
}

Expected oauth(int status, const std::string& error, const std::string& why) {
  return Expected::carrying(status, Carries::oauth_error, error,
                            "RFC 6749 5.2 (Entra: AADSTS description): " + why);
}

Case entra_case(const std::string& endpoint, const char* mutation, std::string name,
                std::string raw, Expected expect) {
  auto c = raw_case(endpoint, mutation, std::move(name), std::move(raw), std::move(expect));
  c.channel = Channel::entra_tls;
  return c;
}

Case entra_control_case(const std::string& endpoint, const char* mutation, std::string name,
                        std::string raw, Expected expect) {
  auto c = raw_case(endpoint, mutation, std::move(name), std::move(raw), std::move(expect));
  c.channel = Channel::entra_http;
  return c;
}

void add_entra_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  add_entra_token_cases(rng, m, out);
  add_entra_authorize_cases(rng, m, out);
  add_entra_service_cases(rng, m, out);
}

namespace {
const std::string kToken = "POST /{tenant}/oauth2/v2.0/token (Entra)";
constexpr const char* kFormType = "application/x-www-form-urlencoded";

struct TokenGen {
  Rng& rng;
  const EntraMaterials& e;
  std::vector<Case>& out;
  std::size_t next_code = 0;

  std::string path() const { return "/" + e.tenant + "/oauth2/v2.0/token"; }
  const std::string& fresh() { return e.fresh_codes.at(next_code++); }
  Form credentials() const {
    return {{"grant_type", "client_credentials"},
            {"client_id", e.client_id},
            {"client_secret", e.client_secret},
            {"scope", "https://graph.microsoft.com/.default"}};
  }
  Form code_grant(const std::string& code) const {
    return {{"grant_type", "authorization_code"}, {"client_id", e.client_id},
            {"client_secret", e.client_secret},   {"code", code},
            {"redirect_uri", e.redirect_uri},     {"code_verifier", e.verifier}};
  }
  void add(const char* cls, std::string name, const std::string& body, Expected want,
           net::Headers extra = {}, const std::string& type = kFormType) {
    if (!type.empty()) extra.emplace_back("Content-Type", type);
    out.push_back(entra_case(kToken, cls, std::move(name), raw_request("POST", path(), extra, body),
                             std::move(want)));
  }

  void forged() {
    for (int i = 0; i < kPerClass; ++i) {
      auto f = credentials();
      auto flipped = e.client_secret;
      flipped[rng.below(flipped.size())] ^= 0x01;
      net::Headers h;
      std::string name;
      switch (i % 10) {
        case 0:
          set(f, "client_secret", flipped);
          name = "the secret with one bit changed";
          break;
        case 1:
          drop(f, "client_secret");
          name = "no client_secret";
          break;
        case 2:
          set(f, "client_secret", e.other_client_secret);
          name = "the other app's secret";
          break;
        case 3:
          set(f, "client_id", e.other_client_id);
          name = "the other app's id with this app's secret";
          break;
        case 4:
          set(f, "client_id",
              "00000000-0000-0000-0000-" + std::string(12, static_cast<char>('0' + rng.below(10))));
          name = "an unknown client_id";
          break;
        case 5:
          drop(f, "client_secret");
          h.emplace_back("Authorization",
                         "Basic " + base64_encode(to_bytes(e.client_id + ":" + flipped)));
          name = "Basic with a wrong secret";
          break;
        case 6:
          set(f, "client_secret", e.client_secret.substr(0, rng.below(e.client_secret.size())));
          name = "the secret cut short";
          break;
        case 7:
          set(f, "client_secret", e.client_secret + "x");
          name = "the secret with a character added";
          break;
        case 8:
          set(f, "client_secret", "");
          name = "an empty client_secret";
          break;
        default:
          set(f, "client_secret", e.client_id);
          name = "the client id as the secret";
          break;
      }
      add(mutation::forged, name, encode(f),
          oauth(401, "invalid_client", "client not authenticated"), h);
    }
  }

  void grants() {
    for (int i = 0; i < kPerClass; ++i) {
      Form f;
      std::string name;
      Expected want = oauth(400, "invalid_grant", "the grant does not hold");
      switch (i % 10) {
        case 0:
          f = credentials();
          drop(f, "grant_type");
          name = "no grant_type";
          want = oauth(400, "invalid_request", "grant_type is required");
          break;
        case 1: {
          static const std::vector<std::string> kTypes = {
              "password",
              "implicit",
              "urn:ietf:params:oauth:grant-type:device_code",
              "AUTHORIZATION_CODE",
              "client_credentials ",
              "urn:ietf:params:oauth:grant-type:jwt-bearer"};
          f = credentials();
          set(f, "grant_type", kTypes[static_cast<std::size_t>(i / 10 + 2 * rng.below(3)) % 6]);
          name = "grant_type '" + get(f, "grant_type") + "'";
          want = oauth(400, "unsupported_grant_type", "a grant type Entra does not serve here");
          break;
        }
        case 2:
          f = code_grant(e.used_code);
          name = "a code redeemed before";
          break;
        case 3:
          f = code_grant("0.A" + base64url_encode(to_bytes(rng.bytes(48))));
          name = "a code never issued";
          break;
        case 4:
          f = code_grant(fresh());
          drop(f, rng.below(2) ? "code" : "redirect_uri");
          name = "no " + std::string(get(f, "code").empty() ? "code" : "redirect_uri");
          want = oauth(400, "invalid_request", "a code grant names code and redirect_uri");
          break;
        case 5:
          f = {{"grant_type", "refresh_token"},
               {"client_id", e.client_id},
               {"client_secret", e.client_secret},
               {"refresh_token",
                i < 10 ? e.used_refresh_token : "1.A" + base64url_encode(to_bytes(rng.bytes(48)))}};
          name = i < 10 ? "a refresh token rotated away" : "a refresh token never issued";
          break;
        case 6:
          f = credentials();
          set(f, "scope", i < 10 ? "openid profile" : "https://graph.microsoft.com/User.Read");
          name = "client_credentials with scope " + get(f, "scope");
          want = oauth(400, "invalid_scope", "client credentials need a /.default scope");
          break;
        case 7:
          f = credentials();
          drop(f, "scope");
          name = "client_credentials without scope";
          want = oauth(400, "invalid_request", "scope is required");
          break;
        case 8:
          f = code_grant(fresh());
          set(f, "redirect_uri", e.redirect_uri + (i < 10 ? "/" : "?x=1"));
          name = "a fresh code with another redirect_uri";
          break;
        default:
          f = code_grant(fresh());
          set(f, "client_id", e.other_client_id);
          set(f, "client_secret", e.other_client_secret);
          name = "a fresh code redeemed by the other app";
          break;
      }
      add(mutation::grant, name, encode(f), std::move(want));
    }
  }

  void pkce() {
    for (int i = 0; i < kPerClass; ++i) {
      auto f = code_grant(fresh());
      auto v = e.verifier;
      std::string name;
      switch (i % 10) {
        case 0:
          drop(f, "code_verifier");
          name = "no code_verifier";
          break;
        case 1:
          v = "another-verifier-" + std::string(40, static_cast<char>('a' + rng.below(26)));
          name = "another verifier";
          break;
        case 2:
          v = base64url_encode(to_bytes(std::string(32, 'x')));  // the shape of a challenge
          name = "a verifier that is a challenge's shape";
          break;
        case 3:
          v = v.substr(0, 42);
          name = "the verifier cut to 42 characters";
          break;
        case 4:
          v = v + std::string(129 - v.size(), 'v');
          name = "the verifier padded to 129 characters";
          break;
        case 5:
          v.insert(rng.below(v.size()), "+");
          name = "a '+' inside the verifier";
          break;
        case 6:
          v += "a";
          name = "the verifier with a character added";
          break;
        case 7:
          for (auto& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          name = "the verifier upper-cased";
          break;
        case 8:
          v[rng.below(v.size())] ^= 0x01;
          name = "the verifier with one bit changed";
          break;
        default:
          v = "";
          name = "an empty code_verifier";
          break;
      }
      if (i % 10 != 0) set(f, "code_verifier", v);
      add(mutation::pkce, name, encode(f),
          oauth(400, "invalid_grant", "RFC 7636 4.6: the verifier does not match the challenge"));
    }
  }

  void duplicates() {
    static const std::vector<std::string> kNames = {"grant_type", "client_id", "client_secret",
                                                    "scope"};
    for (int i = 0; i < kPerClass; ++i) {
      auto f = credentials();
      std::string name;
      net::Headers h;
      if (i % 5 == 4) {
        const bool same = i % 10 == 4;
        h.emplace_back(
            "Authorization",
            "Basic " + base64_encode(to_bytes((same ? e.client_id : e.other_client_id) + ":" +
                                              (same ? e.client_secret : e.other_client_secret))));
        if (!same) drop(f, "client_secret");
        name = same ? "Basic and client_secret both" : "Basic naming another client_id";
      } else {
        const auto& n = kNames[static_cast<std::size_t>(i % 4)];
        const bool first = i < 10;
        const auto value = get(f, n);
        const auto other = n == "client_secret" ? e.other_client_secret : value + "x";
        f.insert(first ? f.begin() : f.end(), {n, i % 2 ? value : other});
        name = n + " twice (" + (i % 2 ? "same value" : "another value") + ")";
      }
      add(mutation::duplicate_keys, name, encode(f),
          oauth(400, "invalid_request", "RFC 6749 3.1: a parameter at most once"), h);
    }
  }

  void utf8() {
    for (int i = 0; i < kPerClass; ++i) {
      auto f = credentials();
      std::string name, body;
      if (i % 4 == 3) {
        body = with_invalid_utf8(rng, encode(f));
        name = "raw invalid UTF-8 in the body";
      } else {
        static const std::vector<std::string> kNames = {"scope", "client_id", "client_secret"};
        const auto& n = kNames[static_cast<std::size_t>(i % 3)];
        set(f, n, with_invalid_utf8(rng, get(f, n)));
        body = encode(f);
        name = "percent-encoded invalid UTF-8 in " + n;
      }
      add(mutation::invalid_utf8, name, body,
          oauth(400, "invalid_request", "form values are UTF-8"));
    }
  }

  void media_types() {
    static const std::vector<std::string> kTypes = {"text/plain",
                                                    "application/json",
                                                    "",
                                                    "multipart/form-data; boundary=x",
                                                    "application/x-www-form-urlencodedx",
                                                    "application/x-www-form-urlencoded-json",
                                                    "text/x-www-form-urlencoded",
                                                    "application/xml",
                                                    "x-www-form-urlencoded",
                                                    "application/octet-stream"};
    for (int i = 0; i < kPerClass; ++i) {
      const auto& t = kTypes[static_cast<std::size_t>(i) % kTypes.size()];
      add(mutation::content_type, "a valid request as '" + t + "'", encode(credentials()),
          oauth(400, "invalid_request", "the body must be application/x-www-form-urlencoded"), {},
          t);
    }
  }

  void cuts() {
    // The scope last: a cut inside its value leaves a scope without /.default, a cut percent
    // escape, or no scope at all.
    const auto body = encode(credentials());
    const auto scope_at = body.find("scope=") + 6;
    for (int i = 0; i < kPerClass / 2; ++i) {
      const auto cut = rng.between(scope_at, body.size() - 1);
      const auto value = body.substr(scope_at, cut - scope_at);
      const auto pct = value.rfind('%');
      Expected want =
          value.empty() ? oauth(400, "invalid_request", "scope is required")
          : pct != std::string::npos && pct + 2 >= value.size()
              ? oauth(400, "invalid_request", "a cut percent escape")
              : oauth(400, "invalid_scope", "client credentials need a /.default scope");
      add(mutation::truncation, "form cut at " + std::to_string(cut), body.substr(0, cut),
          std::move(want));
    }
    HttpBase base{kToken, "POST", path(), {{"Content-Type", kFormType}}, body};
    const auto from = out.size();
    add_http_truncation(rng, base, kPerClass / 2, out);
    add_http_huge(rng, base, e.body_limit, kPerClass, out);
    add_http_numbers(rng, base, kPerClass, out);
    for (auto i = from; i < out.size(); ++i) out[i].channel = Channel::entra_tls;
    static const std::vector<std::string> kMethods = {"GET", "PUT", "DELETE", "PATCH", "post"};
    for (int i = 0; i < kPerClass; ++i) {
      const auto& m = kMethods[static_cast<std::size_t>(i) % kMethods.size()];
      out.push_back(entra_case(
          kToken, mutation::method, m + " " + path(),
          raw_request(m, path(), {{"Content-Type", kFormType}}, body),
          m == "GET" ? expect::not_found("the token endpoint takes POST; GET names nothing here")
                     : expect::method_not_allowed("the identity platform takes GET and POST")));
    }
  }
};

}  // namespace

void add_entra_token_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  TokenGen g{rng, m.entra, out};
  g.forged();
  g.grants();
  g.pkce();
  g.duplicates();
  g.utf8();
  g.media_types();
  g.cuts();
}

}  // namespace mdmlab::testing::hostile
