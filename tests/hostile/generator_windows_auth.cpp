// Federated Windows enrollment's sign-in page (server/windows/windows_auth_page.hpp): starts with
// a return address that is not the enrollment app's or no user, unreadable queries, and
// callbacks with states the server never handed out. Each is 400 and starts no sign-in.
#include "protocol/entra/oauth_form.hpp"
#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {
namespace {
const std::string kStart = "GET /api/mdm/microsoft/auth";
const std::string kCallback = "GET /api/mdm/microsoft/auth/callback";
constexpr const char* kStartPath = "/api/mdm/microsoft/auth";
constexpr const char* kCallbackPath = "/api/mdm/microsoft/auth/callback";
constexpr const char* kAppReturn = "ms-app://windows.immersivecontrolpanel";

Case get(const std::string& endpoint, const char* cls, std::string name, const std::string& path,
         const std::string& query, Expected want) {
  return raw_case(endpoint, cls, std::move(name),
                  raw_request("GET", path + (query.empty() ? "" : "?" + query), {}, ""),
                  std::move(want));
}

void add_start(Rng& rng, std::vector<Case>& out) {
  const auto not_the_app = expect::bad_request(
      "appru must be the enrollment app's ms-app:// address: the page would post the user's "
      "token to it (MS-MDE2 federated: the broker's return address)");
  static const std::vector<std::string> kReturns = {"https://evil.example/collect",
                                                    "http://127.0.0.1/steal",
                                                    "javascript:alert(1)",
                                                    "data:text/html,<form>",
                                                    "ms-app:windows.immersivecontrolpanel",
                                                    "MS-APP//windows",
                                                    "",
                                                    "file:///etc/passwd",
                                                    "ms-appx://windows.immersivecontrolpanel",
                                                    " ms-app://windows.immersivecontrolpanel"};
  for (int i = 0; i < kPerClass; ++i) {
    const auto& appru = kReturns[static_cast<std::size_t>(i) % kReturns.size()];
    std::string query = "appru=" + net::percent_encode(appru) + "&login_hint=ada%40contoso.example";
    if (i >= static_cast<int>(kReturns.size()))
      query = "login_hint=ada%40contoso.example&appru=" + net::percent_encode(appru);
    out.push_back(
        get(kStart, mutation::forged, "appru '" + appru + "'", kStartPath, query, not_the_app));
  }
  const auto unreadable = expect::bad_request(
      "a query that cannot be read, or without the user (login_hint) or the app (appru)");
  const std::string good =
      "appru=" + net::percent_encode(kAppReturn) + "&login_hint=ada%40contoso.example";
  for (int i = 0; i < kPerClass; ++i) {
    std::string name, query;
    switch (i % 5) {
      case 0:
        name = "no login_hint";
        query = "appru=" + net::percent_encode(kAppReturn);
        break;
      case 1:
        name = "appru twice";
        query = good + "&appru=" + net::percent_encode(kAppReturn);
        break;
      case 2:
        name = "a broken percent escape";
        query = good + "%G";
        break;
      case 3:
        name = "invalid UTF-8 in login_hint";
        query = "appru=" + net::percent_encode(kAppReturn) +
                "&login_hint=" + net::percent_encode(invalid_utf8(rng));
        break;
      default: {
        name = "a login_hint of 400 characters";
        query = "appru=" + net::percent_encode(kAppReturn) +
                "&login_hint=" + std::string(400, 'a') + "%40contoso.example";
        break;
      }
    }
    out.push_back(get(kStart, mutation::params, name, kStartPath, query, unreadable));
  }
  // Cut before the app's address is whole (login_hint first, so every cut loses appru's).
  const std::string hint_first =
      "login_hint=ada%40contoso.example&appru=" + net::percent_encode(kAppReturn);
  const auto whole = hint_first.find("appru=") + 6 + std::string("ms-app%3A%2F%2F").size();
  for (int i = 0; i < kPerClass; ++i) {
    const auto cut = rng.between(0, whole);
    out.push_back(get(kStart, mutation::truncation, "query cut at " + std::to_string(cut),
                      kStartPath, hint_first.substr(0, cut),
                      expect::bad_request("appru and login_hint, both whole")));
  }
}

void add_callback(Rng& rng, std::vector<Case>& out) {
  const auto unknown = expect::bad_request(
      "a state the server did not hand out (single-use; RFC 6749 §10.12): no token issued");
  for (int i = 0; i < kPerClass; ++i) {
    const auto state = base64url_encode(to_bytes(rng.bytes(32)));
    const auto code = "0.A" + base64url_encode(to_bytes(rng.bytes(48)));
    std::string name, query;
    switch (i % 4) {
      case 0:
        name = "a state never handed out";
        query = "code=" + code + "&state=" + state;
        break;
      case 1:
        name = "no state";
        query = "code=" + code;
        break;
      case 2:
        name = "the IdP's error with a made-up state";
        query = "error=access_denied&state=" + state;
        break;
      default:
        name = "an empty state";
        query = "code=" + code + "&state=";
        break;
    }
    out.push_back(get(kCallback, mutation::forged, name, kCallbackPath, query, unknown));
  }
}
}  // namespace

void add_windows_auth_cases(Rng& rng, const Materials&, std::vector<Case>& out) {
  add_start(rng, out);
  add_callback(rng, out);
}

}  // namespace mdmlab::testing::hostile
