// Windows PCs as fleets have them: a few makers' models and Windows 10/11 builds, and
// identities drawn from both. DeviceIDs are 32 upper-case hex digits (as the enrollment
// client sends them: a GUID without braces and dashes), HWDevIDs 64, computer names
// DESKTOP- and seven letters or digits, as Windows Setup names them. The same seed gives the
// same PC. Nothing here is a real device's identity; only the shapes are real.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "simulators/devices/windows/windows_identity.hpp"

namespace mdmlab::simulators::windows_pc {

struct WindowsModel {
  const char* manufacturer;  // as SMBIOS says it: "Dell Inc.", "LENOVO", ...
  const char* model;         // "Latitude 7440"
  const char* mac_oui;       // the first three octets of its network adapter
};

struct WindowsBuild {
  const char* version;  // "10.0.22631.3447"
  const char* name;     // "Windows 11 23H2"
};

const std::vector<WindowsModel>& windows_models();
const std::vector<WindowsBuild>& windows_builds();

// A PC drawn from `seed`; `os_version` pins the build when not empty. No UPN and no secrets:
// the scenario sets those.
WindowsIdentity realistic_windows_identity(const Bytes& seed, std::string_view os_version = {});

bool is_device_id(std::string_view id);  // 32 upper-case hex digits

}  // namespace mdmlab::simulators::windows_pc
