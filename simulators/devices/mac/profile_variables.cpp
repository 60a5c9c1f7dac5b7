#include "simulators/devices/mac/profile_variables.hpp"

#include <cctype>

namespace mdmlab::simulators::mac {

namespace {
// "Kim's MacBook Air" -> "Kims-MacBook-Air": what macOS derives the local host name from.
std::string local_name(const MacIdentity& m) {
  std::string out;
  for (char c : m.device_name) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += c;
    else if ((c == ' ' || c == '-' || c == '_') && !out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return (out.empty() ? std::string("Mac") : out) + ".local";
}
}  // namespace

const std::vector<ProfileVariable>& profile_variables() {
  static const std::vector<ProfileVariable> table = {
      {"ComputerName", "the computer's name (System Settings > Sharing)",
       [](const MacIdentity& m) { return m.device_name; }},
      {"HardwareUUID", "the computer's hardware UUID",
       [](const MacIdentity& m) { return m.hardware_uuid.empty() ? m.udid : m.hardware_uuid; }},
      {"HostName", "the computer's DNS name (a simulated Mac has none: its local name)",
       [](const MacIdentity& m) { return local_name(m); }},
      {"LocalHostName", "the computer's local network name, e.g. Mac1.local",
       [](const MacIdentity& m) { return local_name(m); }},
      {"MACAddress", "the Ethernet (en0) MAC address",
       [](const MacIdentity& m) { return m.mac_address; }},
      {"SerialNumber", "the computer's serial number",
       [](const MacIdentity& m) { return m.serial_number; }},
  };
  return table;
}

std::string expand_profile_variables(std::string_view text, const MacIdentity& mac) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto open = text.find('%', i);
    if (open == std::string_view::npos) break;
    auto close = text.find('%', open + 1);
    if (close == std::string_view::npos) break;
    out.append(text, i, open - i);
    auto name = text.substr(open + 1, close - open - 1);
    const ProfileVariable* known = nullptr;
    for (const auto& v : profile_variables())
      if (name == v.name) known = &v;
    if (known) {
      out += known->value(mac);
      i = close + 1;
    } else {
      // Not a variable: keep the first % and look for one starting at the second.
      out += '%';
      i = open + 1;
    }
  }
  out.append(text, i, std::string_view::npos);
  return out;
}

}  // namespace mdmlab::simulators::mac
