// Entra simulator cases, the authorize endpoint (entra_oidc_routes.cpp): its query (GET) and its
// sign-in form (POST). The client and redirect URI are checked first and an error there is shown
// on a page (AADSTS700016 an unknown client, AADSTS50011 a redirect URI not registered), never
// sent to the URI; other errors go to the registered redirect URI as error=... (RFC 6749
// 4.1.2.1); a query or form that is no form (a parameter twice, a broken escape, invalid UTF-8)
// is a 400 page (AADSTS900144). The sign-in form with wrong credentials shows the page again with
// AADSTS50126, and issues no code; another media type is 415.
#include "tests/hostile/generator_entra.hpp"

namespace mdmlab::testing::hostile {
namespace {
const std::string kAuthorize = "GET /{tenant}/oauth2/v2.0/authorize (Entra)";
const std::string kSignIn = "POST /{tenant}/oauth2/v2.0/authorize (Entra)";
constexpr const char* kFormType = "application/x-www-form-urlencoded";

Expected page(int status, const std::string& aadsts, const std::string& why) {
  return Expected::carrying(status, Carries::page_error, aadsts, "Entra's error page: " + why);
}
Expected redirected(const std::string& error, const std::string& why) {
  return Expected::carrying(302, Carries::redirect_error, error,
                            "RFC 6749 4.1.2.1: the error to the registered redirect URI: " + why);
}

struct AuthorizeGen {
  Rng& rng;
  const EntraMaterials& e;
  std::vector<Case>& out;

  std::string path() const { return "/" + e.tenant + "/oauth2/v2.0/authorize"; }
  // Valid; client_id last, so that a cut leaves it whole only when nothing was cut.
  Form query() const {
    return {{"redirect_uri", e.redirect_uri},
            {"response_type", "code"},
            {"scope", "openid profile"},
            {"state", "hostile-state"},
            {"nonce", "hostile-nonce"},
            {"code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
            {"code_challenge_method", "S256"},
            {"client_id", e.client_id}};
  }
  void get_case(const char* cls, std::string name, const std::string& q, Expected want) {
    out.push_back(entra_case(kAuthorize, cls, std::move(name),
                             raw_request("GET", path() + "?" + q, {}, ""), std::move(want)));
  }
  void post_case(const char* cls, std::string name, const std::string& body, Expected want,
                 const std::string& type = kFormType) {
    net::Headers h;
    if (!type.empty()) h.emplace_back("Content-Type", type);
    out.push_back(entra_case(kSignIn, cls, std::move(name), raw_request("POST", path(), h, body),
                             std::move(want)));
  }

  void params() {
    for (int i = 0; i < kPerClass; ++i) {
      auto q = query();
      std::string name;
      Expected want = page(400, "AADSTS700016", "an unknown client");
      switch (i % 10) {
        case 0:
          set(q, "client_id", "00000000-0000-0000-0000-00000000000" + std::to_string(i / 10));
          name = "an unknown client_id";
          break;
        case 1:
          drop(q, "client_id");
          name = "no client_id";
          break;
        case 2:
          set(q, "client_id", e.other_client_id);
          name = "the other app, which registered no redirect URI";
          want = page(400, "AADSTS50011", "a redirect URI not registered");
          break;
        case 3:
          set(q, "redirect_uri",
              i < 10 ? "https://evil.example/callback"
                     : "https://127.0.0.1:1/api/mdm/apple/ade/sso/callback");
          name = "redirect_uri " + get(q, "redirect_uri");
          want = page(400, "AADSTS50011", "a redirect URI not registered");
          break;
        case 4:
          set(q, "redirect_uri", e.redirect_uri + (i < 10 ? "/../../evil" : "?next=https://evil"));
          name = "the registered redirect_uri with more after it";
          want = page(400, "AADSTS50011", "redirect URIs match exactly");
          break;
        case 5:
          drop(q, "redirect_uri");
          name = "no redirect_uri";
          want = page(400, "AADSTS50011", "a redirect URI not registered");
          break;
        case 6:
          set(q, "response_type", i < 10 ? "token" : "id_token");
          name = "response_type " + get(q, "response_type");
          want = redirected("unsupported_response_type", "a response type other than code");
          break;
        case 7:
          drop(q, "response_type");
          name = "no response_type";
          want = redirected("unsupported_response_type", "a response type other than code");
          break;
        case 8:
          set(q, "response_type", i < 10 ? "code id_token" : "CODE");
          name = "response_type '" + get(q, "response_type") + "'";
          want = redirected("unsupported_response_type", "a response type other than code");
          break;
        default:
          set(q, "code_challenge_method", i < 10 ? "S512" : "s256");
          name = "code_challenge_method " + get(q, "code_challenge_method");
          want = redirected("invalid_request", "RFC 7636 4.4.1: S256 or plain");
          break;
      }
      get_case(mutation::params, name, encode(q), std::move(want));
    }
  }

  void duplicates() {
    static const std::vector<std::string> kNames = {"client_id", "redirect_uri", "state",
                                                    "response_type", "code_challenge"};
    for (int i = 0; i < kPerClass; ++i) {
      auto q = query();
      const auto& n = kNames[static_cast<std::size_t>(i) % kNames.size()];
      const auto value = n == "redirect_uri" ? std::string("https://evil.example/cb") : get(q, n);
      q.insert(i < 10 ? q.begin() : q.end(), {n, value});
      get_case(mutation::duplicate_keys, n + " twice", encode(q),
               page(400, "AADSTS900144", "RFC 6749 3.1: a parameter at most once"));
    }
  }

  void utf8() {
    for (int i = 0; i < kPerClass; ++i) {
      auto q = query();
      if (i % 4 == 3) {
        get_case(mutation::invalid_utf8, "raw invalid UTF-8 in the query",
                 with_invalid_utf8(rng, encode(q)),
                 expect::bad_request("raw bytes outside URI characters (RFC 9112 3.2), or a "
                                     "value that is not UTF-8 (AADSTS900144)"));
        continue;
      }
      static const std::vector<std::string> kNames = {"state", "scope", "client_id"};
      const auto& n = kNames[static_cast<std::size_t>(i % 3)];
      set(q, n, with_invalid_utf8(rng, get(q, n)));
      get_case(mutation::invalid_utf8, "percent-encoded invalid UTF-8 in " + n, encode(q),
               page(400, "AADSTS900144", "query values are UTF-8"));
    }
  }

  void cuts() {
    const auto q = encode(query());
    for (int i = 0; i < kPerClass / 2; ++i) {
      if (i % 5 == 4) {
        const auto escape = rng.pick(std::vector<std::string>{"%", "%G1", "%1", "%%"});
        get_case(mutation::truncation, "a broken escape '" + escape + "'", q + escape,
                 page(400, "AADSTS900144", "a broken percent escape"));
        continue;
      }
      const auto cut = rng.between(1, q.size() - 1);
      const auto left = q.substr(0, cut);
      const auto pct = left.rfind('%');
      get_case(mutation::truncation, "query cut at " + std::to_string(cut), left,
               pct != std::string::npos && pct + 2 >= left.size()
                   ? page(400, "AADSTS900144", "a cut percent escape")
                   : page(400, "AADSTS700016", "client_id cut short, or none"));
    }
    const HttpBase base{kAuthorize, "GET", path() + "?" + q, {}, ""};
    const auto from = out.size();
    add_http_truncation(rng, base, kPerClass / 2, out);
    add_http_numbers(rng, base, kPerClass, out);
    for (auto i = from; i < out.size(); ++i) out[i].channel = Channel::entra_tls;
    for (int i = 0; i < kPerClass; ++i) {
      if (i % 2) {
        const auto n = rng.between(17 * 1024, 64 * 1024);
        get_case(mutation::huge, "a state of " + std::to_string(n) + " characters",
                 q + "&x=" + std::string(n, 'A'),
                 Expected::status(414,
                                  "RFC 9112 3: a request-target longer than the server "
                                  "parses"));
      } else {
        const auto n = rng.between(17 * 1024, 48 * 1024);
        out.push_back(entra_case(
            kAuthorize, mutation::huge, "a header field of " + std::to_string(n) + " bytes",
            raw_request("GET", path() + "?" + q, {{"X-Padding", std::string(n, 'p')}}, ""),
            Expected::status(431, "RFC 6585 5: header fields over the server's head limit")));
      }
    }
  }

  void sign_in() {
    auto form = [&](const std::string& login, const std::string& passwd) {
      auto f = query();
      f.emplace_back("login", login);
      f.emplace_back("passwd", passwd);
      return f;
    };
    const auto wrong = page(200, "AADSTS50126", "wrong credentials: the sign-in page again");
    for (int i = 0; i < kPerClass; ++i) {
      auto p = e.password;
      p[rng.below(p.size())] ^= 0x01;
      std::string name;
      Form f;
      switch (i % 5) {
        case 0:
          f = form(e.user, p);
          name = "a wrong password";
          break;
        case 1:
          f = form("nobody@contoso.example", e.password);
          name = "an unknown user with the password";
          break;
        case 2:
          f = form(e.user, "");
          name = "an empty password";
          break;
        case 3:
          f = form("hostile.disabled@contoso.example", e.password);
          name = "a disabled account with its password";
          break;
        default:
          f = form(e.user, e.password.substr(0, rng.below(e.password.size())));
          name = "the password cut short";
          break;
      }
      post_case(mutation::forged, name, encode(f), wrong);
    }
    static const std::vector<std::string> kTypes = {"text/plain",
                                                    "application/json",
                                                    "",
                                                    "multipart/form-data; boundary=x",
                                                    "application/x-www-form-urlencodedx",
                                                    "text/html",
                                                    "application/x-www-form-urlencoded-v2",
                                                    "application/xml",
                                                    "form-urlencoded",
                                                    "application/octet-stream"};
    for (int i = 0; i < kPerClass; ++i) {
      const auto& t = kTypes[static_cast<std::size_t>(i) % kTypes.size()];
      // A wrong password: if the type were taken, the page would say AADSTS50126, no code.
      auto p = e.password + "x";
      post_case(mutation::content_type, "the form as '" + t + "'", encode(form(e.user, p)),
                Expected::status(415, "the sign-in form is application/x-www-form-urlencoded"), t);
    }
    for (int i = 0; i < kPerClass; ++i) {
      auto f = form(e.user, e.password + "x");
      const auto n = i % 2 ? std::string("passwd") : std::string("login");
      f.insert(i < 10 ? f.begin() : f.end(), {n, n == "passwd" ? e.password : e.user});
      post_case(mutation::duplicate_keys, n + " twice", encode(f),
                page(400, "AADSTS900144", "RFC 6749 3.1 / HTML forms: a parameter at most once"));
    }
    for (int i = 0; i < kPerClass; ++i) {
      auto f = form(e.user, with_invalid_utf8(rng, e.password));
      if (i % 2) set(f, "login", with_invalid_utf8(rng, e.user));
      const auto body = i % 4 == 3 ? with_invalid_utf8(rng, encode(f)) : encode(f);
      post_case(mutation::invalid_utf8,
                i % 4 == 3 ? "raw invalid UTF-8 in the form"
                           : "percent-encoded invalid UTF-8 in the form",
                body, page(400, "AADSTS900144", "form values are UTF-8"));
    }
  }
};
}  // namespace

void add_entra_authorize_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  AuthorizeGen g{rng, m.entra, out};
  g.params();
  g.duplicates();
  g.utf8();
  g.cuts();
  g.sign_in();
}

}  // namespace mdmlab::testing::hostile
