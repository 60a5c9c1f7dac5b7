// The DDM status report a device sends the server (protocol/apple/ddm/status_report.hpp); what
// parses is encoded again and must parse again to the same declarations.
#include <cstdlib>
#include <string_view>

#include "protocol/apple/ddm/status_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ddm = mdmlab::apple::ddm;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto r = ddm::parse_status_report(body);
  if (!r) return 0;
  auto again = ddm::parse_status_report(ddm::encode_status_report(*r));
  if (!again || again->declarations.size() != r->declarations.size()) std::abort();
  return 0;
}
