// SyncML 1.2 DM messages as the Windows management endpoint reads them
// (protocol/windows/syncml.hpp): what parsed is written back and must parse again.
#include <cstdlib>
#include <string_view>

#include "protocol/windows/syncml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace syncml = mdmlab::windows::syncml;
  auto m = syncml::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!m) return 0;
  auto xml = syncml::serialize(*m);
  if (!xml) return 0;  // e.g. XML in Data that pugixml kept but cannot re-read as a fragment
  if (!syncml::parse(*xml)) std::abort();  // what we write, we read
  return 0;
}
