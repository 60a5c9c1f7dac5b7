// wap-provisioningdoc documents as the simulated Windows PC reads them
// (protocol/windows/provisioning_doc.hpp): what parses is written back and must parse again.
#include <cstdlib>
#include <string_view>

#include "protocol/windows/provisioning_doc.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace prov = mdmlab::windows::provisioning;
  auto d = prov::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!d) return 0;
  if (!prov::parse(prov::serialize(*d))) std::abort();
  (void)d->at({"CertificateStore", "Root", "System"});
  return 0;
}
