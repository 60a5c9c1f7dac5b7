// SOAP 1.2 envelopes as the Windows enrollment endpoints read them (protocol/windows/soap.hpp),
// and the Discover request inside (discovery.hpp); a fault is read back as the client would.
#include <string>
#include <string_view>

#include "protocol/windows/discovery.hpp"
#include "protocol/windows/soap.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace soap = mdmlab::windows::soap;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)soap::parse_fault(text);
  auto e = soap::parse_envelope(text);
  if (!e) return 0;
  if (auto d = mdmlab::windows::discovery::parse_discover(e->body_xml))
    (void)mdmlab::windows::discovery::encode_discover(*d).size();
  (void)mdmlab::windows::discovery::parse_discover_response(e->body_xml);
  return 0;
}
