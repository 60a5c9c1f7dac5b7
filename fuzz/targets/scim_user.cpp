// SCIM 2.0 requests as the server's SCIM endpoint reads them (protocol/scim/scim_user.hpp): the
// first byte picks the reader (a User body, a filter, a PatchOp applied to a user), the rest is
// the input. What is accepted must be a user the service can store and answer.
#include <cstdlib>
#include <string>

#include "protocol/scim/scim_user.hpp"

namespace {
void check(const mdmlab::scim::ScimUser& u) {
  if (u.user_name.empty() || u.user_name.size() > 256 || u.given_name.size() > 256 ||
      u.family_name.size() > 256 || u.email.size() > 256 || u.external_id.size() > 256)
    std::abort();
  (void)mdmlab::scim::user_json(u, "https://mdm.example/Users/1", "", "").dump();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      if (auto u = mdmlab::scim::parse_user(input)) check(*u);
      break;
    case 1:
      if (auto f = mdmlab::scim::parse_filter(input)) {
        if (f->attribute != "userName" && f->attribute != "externalId") std::abort();
      }
      break;
    default: {
      mdmlab::scim::ScimUser base;
      base.user_name = "ada@contoso.example";
      if (auto u = mdmlab::scim::apply_patch(base, input)) check(*u);
      (void)mdmlab::scim::error_json(400, "invalidValue", input.substr(0, 64));
      break;
    }
  }
  return 0;
}
