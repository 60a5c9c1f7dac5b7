// What the DDM sync reads (protocol/apple/ddm/declaration.hpp, sync_messages.hpp): the first
// byte picks the parser (a declaration, the tokens answer, declaration-items, an Endpoint),
// the rest is the input; what parsed is encoded again.
#include <string_view>

#include "protocol/apple/ddm/sync_messages.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  namespace ddm = mdmlab::apple::ddm;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      if (auto d = ddm::parse_declaration(body)) (void)ddm::content_token(*d);
      break;
    case 1:
      if (auto t = ddm::parse_tokens(body)) (void)ddm::encode_tokens(*t);
      break;
    case 2:
      if (auto i = ddm::parse_declaration_items(body)) (void)ddm::encode_declaration_items(*i);
      break;
    default:
      if (auto e = ddm::parse_endpoint(body)) (void)e->identifier.size();
      break;
  }
  return 0;
}
