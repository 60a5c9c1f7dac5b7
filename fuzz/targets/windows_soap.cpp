// SOAP 1.2 envelopes as the Windows enrollment endpoints read them (protocol/windows/soap.hpp),
// and the messages inside (Discover, GetPolicies, RequestSecurityToken and their answers); a fault
// is read back as the client would.
#include <string>
#include <string_view>

#include "protocol/windows/discovery.hpp"
#include "protocol/windows/soap.hpp"
#include "protocol/windows/wstep.hpp"
#include "protocol/windows/xcep.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace soap = mdmlab::windows::soap;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)soap::parse_fault(text);
  auto e = soap::parse_envelope(text);
  if (!e) return 0;
  if (auto d = mdmlab::windows::discovery::parse_discover(e->body_xml))
    (void)mdmlab::windows::discovery::encode_discover(*d).size();
  (void)mdmlab::windows::discovery::parse_discover_response(e->body_xml);
  (void)mdmlab::windows::xcep::parse_get_policies(e->body_xml);
  (void)mdmlab::windows::xcep::parse_get_policies_response(e->body_xml);
  if (auto r = mdmlab::windows::wstep::parse_rst(e->body_xml))
    (void)mdmlab::windows::wstep::encode_rst(*r).size();
  (void)mdmlab::windows::wstep::parse_rstrc(e->body_xml);
  return 0;
}
