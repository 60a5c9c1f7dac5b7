// ABM simulator cases, GET /session: OAuth 1.0a (RFC 5849) with the server token, as Apple's DEP
// API takes it (abm_dep_routes.cpp, abm_state.cpp). The generator signs with the token the
// simulator issued, so a case can be right in everything but the one thing it breaks: the
// signature, the consumer key or access token, the URI or method signed, the timestamp (stale,
// in the future, not a number, wrapping), the nonce (spent, empty, not UTF-8), a parameter twice,
// the scheme, the header itself (missing, twice, cut, huge), the method. Every refusal of
// GET /session is 401 (403 T_C_NOT_SIGNED is for an expired token, not at hand here); the other
// methods get 405. A session handed out here would not change the organisation, but it is no
// refusal: the answer shows it.
#include <cctype>
#include <cstdint>

#include "protocol/apple/dep/oauth1.hpp"
#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {
namespace {
namespace dep = mdmlab::apple::dep;

const std::string kSession = "GET /session (ABM)";
// raw_request names the host 127.0.0.1: the URI the simulator checks signatures against.
constexpr const char* kUri = "http://127.0.0.1/session";

std::string hex(Rng& rng, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += digits[rng.below(16)];
  return s;
}

Expected refused(const std::string& what) {
  return expect::unauthorized("GET /session refuses " + what +
                              " (RFC 5849 §3.2; DEP API: 401 UNAUTHORIZED)");
}

void set(dep::OAuthParams& p, const std::string& name, const std::string& value) {
  for (auto& [k, v] : p)
    if (k == name) {
      v = value;
      return;
    }
  p.emplace_back(name, value);
}

// The quoted value of `name` in an Authorization header as authorization_header writes it.
std::size_t value_begin(const std::string& header, const std::string& name) {
  return header.find(name + "=\"") + name.size() + 2;
}
std::string value_of(const std::string& header, const std::string& name) {
  const auto begin = value_begin(header, name);
  return header.substr(begin, header.find('"', begin) - begin);
}
std::string with_value(const std::string& header, const std::string& name,
                       const std::string& value) {
  const auto begin = value_begin(header, name);
  return header.substr(0, begin) + value + header.substr(header.find('"', begin));
}

// A stamp s whose TimePoint(seconds(s)) wraps, in 64-bit nanoseconds, to within 512 ns of `now`:
// s * 10^9 = now (mod 2^64). 10^9 = 2^9 * 1953125, so s = (now >> 9) / 1953125 (mod 2^55).
std::string wrapping_timestamp(std::chrono::system_clock::time_point now) {
  const auto ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count());
  const std::uint64_t odd = 1953125;
  std::uint64_t inverse = odd;  // Newton's iteration: the inverse of an odd number mod 2^64
  for (int k = 0; k < 6; ++k) inverse *= 2 - odd * inverse;
  return std::to_string(((ns >> 9) * inverse) & ((std::uint64_t{1} << 55) - 1));
}

struct SessionGen {
  Rng& rng;
  const AbmMaterials& m;
  std::chrono::system_clock::time_point now;
  std::vector<Case>& out;

  std::string seconds(std::int64_t offset = 0) const {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() + offset);
  }
  // Every oauth_* parameter but the signature, right: the consumer key and access token of the
  // server token, HMAC-SHA1, now, a nonce never used, 1.0.
  dep::OAuthParams params(std::string timestamp = {}, std::string nonce = {}) {
    return {{"oauth_consumer_key", m.consumer_key},
            {"oauth_token", m.access_token},
            {"oauth_signature_method", "HMAC-SHA1"},
            {"oauth_timestamp", timestamp.empty() ? seconds() : timestamp},
            {"oauth_nonce", nonce.empty() ? hex(rng, 32) : nonce},
            {"oauth_version", "1.0"}};
  }
  std::string sign(dep::OAuthParams p, const std::string& method = "GET",
                   const std::string& uri = kUri) const {
    return dep::authorization_header(method, uri, std::move(p), m.consumer_secret, m.access_secret);
  }
  void add(const char* cls, std::string name, const net::Headers& headers, Expected want,
           const std::string& target = "/session", const std::string& method = "GET") {
    out.push_back(abm_case(kSession, cls, std::move(name), raw_request(method, target, headers, ""),
                           std::move(want)));
  }
  void add(const char* cls, std::string name, const std::string& authorization, Expected want) {
    add(cls, std::move(name), {{"Authorization", authorization}}, std::move(want));
  }

  void forged() {
    for (int i = 0; i < kPerClass + 4; ++i) {
      auto p = params();
      std::string name, header;
      switch (i % 17) {
        case 0:
          set(p, "oauth_consumer_key", "CK_" + hex(rng, 40));
          header = sign(p);
          name = "an unknown consumer key, signed";
          break;
        case 1:
          set(p, "oauth_token", "AT_" + hex(rng, 40));
          header = sign(p);
          name = "an unknown access token, signed";
          break;
        case 2: {
          header = sign(p);
          auto sig = value_of(header, "oauth_signature");
          auto at = rng.below(sig.size());
          while (!std::isalnum(static_cast<unsigned char>(sig[at]))) at = (at + 1) % sig.size();
          sig[at] = sig[at] == 'A' ? 'B' : 'A';
          header = with_value(header, "oauth_signature", sig);
          name = "one signature byte changed";
          break;
        }
        case 3:
          header = dep::authorization_header("GET", kUri, p, "CS_" + hex(rng, 40), m.access_secret);
          name = "signed with another consumer secret";
          break;
        case 4:
          header =
              dep::authorization_header("GET", kUri, p, m.consumer_secret, "AS_" + hex(rng, 40));
          name = "signed with another access secret";
          break;
        case 5:
          header = sign(p, "POST");
          name = "signed for POST";
          break;
        case 6:
          header = sign(p, "GET", "https://127.0.0.1/session");
          name = "signed for https";
          break;
        case 7:
          header = sign(p, "GET", "https://mdmenrollment.apple.com/session");
          name = "signed for Apple's host";
          break;
        case 8: {
          const auto ago = static_cast<std::int64_t>(rng.between(302, 86400));
          header = sign(params(seconds(-ago)));
          name = "signed " + std::to_string(ago) + " s ago";
          break;
        }
        case 9: {
          const auto ahead = static_cast<std::int64_t>(rng.between(302, 86400));
          header = sign(params(seconds(ahead)));
          name = "signed " + std::to_string(ahead) + " s ahead";
          break;
        }
        case 10:
          header = m.used_authorization;
          name = "the fixture's call replayed (nonce spent)";
          break;
        case 11:
          header = sign(params({}, m.used_nonce));
          name = "a spent nonce, signed now";
          break;
        case 12:
          set(p, "oauth_nonce", "");
          header = sign(p);
          name = "an empty nonce, signed";
          break;
        case 13: {
          header = sign(p);
          const auto at = header.find(", oauth_signature=\"");
          header = header.substr(0, at) + header.substr(header.find('"', at + 19) + 1);
          name = "no oauth_signature";
          break;
        }
        case 14:
          set(p, "oauth_signature_method", "PLAINTEXT");
          header = with_value(sign(p), "oauth_signature",
                              dep::percent_encode(dep::percent_encode(m.consumer_secret) + "&" +
                                                  dep::percent_encode(m.access_secret)));
          name = "PLAINTEXT with the secrets";
          break;
        case 15:
          set(p, "oauth_version", "2.0");
          header = sign(p);
          name = "oauth_version 2.0, signed";
          break;
        default:
          add(mutation::forged, "signed without the query it is sent with",
              {{"Authorization", sign(p)}}, refused("a signature over another query"),
              "/session?x=" + hex(rng, 4));
          continue;
      }
      add(mutation::forged, name, header, refused("a signature or credential that is not right"));
    }
  }

  void headers() {
    for (int i = 0; i < kPerClass; ++i) {
      const auto good = sign(params());
      std::string name;
      net::Headers h;
      Expected want = refused("a request without OAuth credentials in Authorization");
      switch (i % 10) {
        case 0:
          name = "no Authorization";
          break;
        case 1:
          h = {{"Authorization", "Bearer " + m.access_token}};
          name = "a bearer token";
          break;
        case 2:
          h = {{"Authorization",
                "Basic " + base64_encode(to_bytes(m.consumer_key + ":" + m.consumer_secret))}};
          name = "Basic with the consumer key and secret";
          break;
        case 3:
          h = {{"Authorization", "OAuth"}};
          name = "the scheme alone";
          break;
        case 4:
          h = {{"Authorization", "OAuth" + good.substr(6)}};
          name = "no space after the scheme";
          break;
        case 5:
          h = {{"Authorization", ""}};
          name = "an empty Authorization";
          break;
        case 6:
          h = {{"X-Authorization", good}};
          name = "signed, in X-Authorization";
          break;
        case 7: {  // RFC 5849 §3.5.3 lets the parameters travel in the query; Apple does not
          auto p = params();
          const auto header = sign(p);
          std::string query;
          for (const auto& [k, v] : p)
            query += (query.empty() ? "" : "&") + k + "=" + dep::percent_encode(v);
          query += "&oauth_signature=" + value_of(header, "oauth_signature");
          add(mutation::headers, "signed, in the query", net::Headers{}, want, "/session?" + query);
          continue;
        }
        case 8:
          h = {{"Authorization", with_value(good, "oauth_consumer_key", "CK_" + hex(rng, 40))},
               {"Authorization", good}};
          name = "two Authorization fields, a forged one first";
          want = Expected::statuses({401, 400},
                                    "Authorization is no list (RFC 9110 §5.3, §11.6.2): no valid "
                                    "credentials (401), or a malformed request (400)");
          break;
        default: {
          std::string unquoted = good;
          std::erase(unquoted, '"');
          h = {{"Authorization", unquoted}};
          name = "signed, values not quoted";
          break;
        }
      }
      add(mutation::headers, name, h, std::move(want));
    }
  }

  void duplicates() {
    static const std::vector<std::string> kNames = {"oauth_nonce",        "oauth_nonce",
                                                    "oauth_signature",    "realm",
                                                    "oauth_consumer_key", "oauth_timestamp"};
    for (int i = 0; i < kPerClass; ++i) {
      const auto header = sign(params());
      const auto& name = kNames[static_cast<std::size_t>(i) % kNames.size()];
      const auto value = i % kNames.size() == 1 ? hex(rng, 32) : value_of(header, name);
      add(mutation::duplicate_keys, name + " twice, signed",
          header + ", " + name + "=\"" + value + "\"",
          refused("a parameter given twice (RFC 5849 §3.1)"));
    }
  }

  void utf8() {
    for (int i = 0; i < kPerClass; ++i) {
      std::string name, header;
      switch (i % 4) {
        case 0: {
          header = sign(params());
          const auto key = with_invalid_utf8(rng, m.consumer_key);
          header = with_value(header, "oauth_consumer_key", key);
          name = "invalid UTF-8 in the consumer key";
          break;
        }
        case 1: {
          header = sign(params());
          const auto sig = with_invalid_utf8(rng, value_of(header, "oauth_signature"));
          header = with_value(header, "oauth_signature", sig);
          name = "invalid UTF-8 in the signature";
          break;
        }
        case 2: {  // RFC 5849 §3.6: text is UTF-8 before it is percent-encoded
          const auto nonce = hex(rng, 32);
          header = sign(params({}, with_invalid_utf8(rng, nonce)));
          name = "nonce not UTF-8 (percent-encoded), signed";
          break;
        }
        default: {
          header = sign(params());
          const auto token = percent_all(with_invalid_utf8(rng, m.access_token));
          header = with_value(header, "oauth_token", token);
          name = "percent-encoded invalid UTF-8 in the access token";
          break;
        }
      }
      add(mutation::invalid_utf8, name, header, refused("parameters that are not UTF-8"));
    }
  }

  void huge() {
    for (int i = 0; i < kPerClass / 2; ++i) {
      const auto n = rng.between(17 * 1024, 64 * 1024);
      const auto header = sign(params());
      const auto nonce = hex(rng, n);
      add(mutation::huge, "Authorization of " + std::to_string(n + header.size()) + " bytes",
          with_value(header, "oauth_nonce", nonce),
          Expected::status(431, "RFC 6585 §5: header fields over the server's head limit"));
    }
    const auto from = out.size();
    add_http_huge(rng, {kSession, "GET", "/session", {{"Authorization", m.used_authorization}}, ""},
                  m.body_limit, kPerClass / 2, out);
    retarget_abm(out, from);
  }

  void numbers() {
    for (int i = 0; i < kPerClass / 2 + 4; ++i) {
      std::string stamp, name;
      switch (i % 12) {
        case 0:
          stamp = "-1";
          break;
        case 1:
          stamp = "0";
          break;
        case 2:
          stamp = "-" + seconds();
          break;
        case 3:
          stamp = "99999999999999999999";  // beyond 64 bits
          break;
        case 4:
          stamp = "";
          break;
        case 5:
          stamp = "1e9";
          break;
        case 6:  // RFC 5849 §3.3: the timestamp is a positive integer, nothing after it
          stamp = seconds() + "abc";
          name = "lenient timestamp: now with letters after it";
          break;
        case 7:
          stamp = seconds() + ".5";
          name = "lenient timestamp: now with a fraction";
          break;
        case 8:
          stamp = wrapping_timestamp(now);
          name = "a timestamp that wraps to now in 64-bit nanoseconds";
          break;
        case 9:
          stamp = "9223372036854775807";
          break;
        case 10:
          stamp = "0x" + hex(rng, 8);
          break;
        default:
          stamp = seconds() + "000";  // milliseconds
          break;
      }
      if (name.empty()) name = "oauth_timestamp '" + stamp + "'";
      auto p = params();
      set(p, "oauth_timestamp", stamp);  // "" too: no default here
      add(mutation::numbers, name, sign(p),
          refused("an oauth_timestamp that is no time within 5 minutes (RFC 5849 §3.3)"));
    }
    const auto from = out.size();
    add_http_numbers(rng,
                     {kSession, "GET", "/session", {{"Authorization", m.used_authorization}}, ""},
                     kPerClass / 2, out);
    retarget_abm(out, from);
  }

  void truncation() {
    for (int i = 0; i < kPerClass / 2; ++i) {
      const auto header = sign(params());
      const auto cut = rng.between(6, header.size() - 1);
      add(mutation::truncation, "Authorization cut at " + std::to_string(cut),
          header.substr(0, cut), refused("an Authorization cut short"));
    }
    const auto from = out.size();
    add_http_truncation(
        rng, {kSession, "GET", "/session", {{"Authorization", m.used_authorization}}, ""},
        kPerClass / 2, out);
    retarget_abm(out, from);
  }

  void method() {
    static const std::vector<std::string> kMethods = {"POST", "PUT", "DELETE", "PATCH"};
    for (int i = 0; i < kPerClass; ++i) {
      const auto& meth = kMethods[static_cast<std::size_t>(i) % kMethods.size()];
      add(mutation::method, meth + " /session, signed for GET", {{"Authorization", sign(params())}},
          expect::method_not_allowed("the DEP API opens sessions with GET /session"), "/session",
          meth);
    }
  }
};
}  // namespace

void add_abm_session_cases(Rng& rng, const Materials& materials, std::vector<Case>& out) {
  SessionGen g{rng, materials.abm, materials.now, out};
  g.forged();
  g.headers();
  g.duplicates();
  g.utf8();
  g.huge();
  g.numbers();
  g.truncation();
  g.method();
}

}  // namespace mdmlab::testing::hostile
