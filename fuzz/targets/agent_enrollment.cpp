// A Flyve-style agent's enrollment request (protocol/agent/agent_enrollment.hpp): any bytes as
// the body of POST /PluginFlyvemdmAgent. What is accepted has a serial usable as a topic level,
// and every refusal writes as ["CODE", "message"].
#include <cstdlib>
#include <string>

#include "protocol/agent/agent_enrollment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  auto r = mdmlab::agent::parse_enrollment(body);
  if (r) {
    if (!mdmlab::agent::usable_serial(r->serial) || r->email.empty()) std::abort();
    (void)mdmlab::agent::agent_topic(1, r->serial);
    (void)mdmlab::agent::version_at_least(r->version, "0.99.0");
  } else {
    (void)mdmlab::agent::error_array(r.error().code, r.error().message + body.substr(0, 32));
  }
  return 0;
}
