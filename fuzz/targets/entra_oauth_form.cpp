// What the Entra simulator (and, later, the server's OAuth callbacks) read from clients
// (protocol/entra/oauth_form.hpp): the first byte picks a form body, a token request with an
// optional Basic header (the input split at the first newline), or a PKCE verifier.
#include <string_view>

#include "protocol/entra/oauth_form.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  namespace entra = mdmlab::entra;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      if (auto f = entra::parse_form(body)) (void)entra::encode_form(*f);
      break;
    case 1: {
      auto nl = body.find('\n');
      auto form = body.substr(0, nl);
      auto header = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
      if (auto r = entra::parse_token_request(form, header)) (void)r->client_id.size();
      break;
    }
    default:
      (void)entra::pkce_matches(body, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256");
      break;
  }
  return 0;
}
