// The variables macOS expands in a profile's payload fields while it installs the profile
// (Apple's Profile Manager and Configuration Profile references list them for the device):
// %ComputerName%, %HardwareUUID%, %HostName%, %LocalHostName%, %MACAddress%, %SerialNumber%.
// The simulated Mac expands them where macOS does what we simulate (the SCEP payload's Subject
// and SubjectAltName); a %Name% it does not know stays as written, as macOS leaves it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "simulators/devices/mac/mac_identity.hpp"

namespace mdmlab::simulators::mac {

struct ProfileVariable {
  const char* name;  // without the percent signs
  const char* means;
  std::string (*value)(const MacIdentity&);
};

const std::vector<ProfileVariable>& profile_variables();

std::string expand_profile_variables(std::string_view text, const MacIdentity& mac);

}  // namespace mdmlab::simulators::mac
