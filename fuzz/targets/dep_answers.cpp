// What the reference server reads from Apple's DEP API and from ABM
// (protocol/apple/dep/dep_answers.hpp, server_token.hpp): the first byte picks the parser
// (session, fetch/sync page, profile result, account, server token, smime.p7m body), the rest
// is the input; what parsed is used.
#include <string_view>

#include "protocol/apple/dep/dep_answers.hpp"
#include "protocol/apple/dep/server_token.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  namespace dep = mdmlab::apple::dep;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0:
      if (auto t = dep::parse_session_answer(body)) (void)t->size();
      break;
    case 1:
      if (auto r = dep::parse_fetch_response(body)) (void)r->devices.size();
      break;
    case 2:
      if (auto r = dep::parse_profile_result(body)) (void)r->devices.size();
      break;
    case 3:
      if (auto a = dep::parse_account(body)) (void)a->server_uuid.size();
      break;
    case 4:
      if (auto t = dep::parse_server_token(body)) (void)dep::encode_server_token(*t);
      break;
    default:
      if (auto der = dep::smime_enveloped_der(body)) (void)der->size();
      break;
  }
  return 0;
}
