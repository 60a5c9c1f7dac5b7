// How a simulated Mac answers MDM commands: realistic result payloads for DeviceInformation,
// SecurityInfo, ProfileList, InstallProfile / RemoveProfile (which change its profile list),
// InstalledApplicationList, DeviceLock, EraseDevice; Error 12021 for anything else.
#pragma once

#include <string>
#include <vector>

#include "protocol/apple/command.hpp"
#include "simulators/devices/mac/mac_identity.hpp"

namespace mdmlab::simulators::mac {

struct InstalledProfile {
  std::string identifier, uuid, display_name;
};

struct CommandOutcome {
  mdmlab::apple::CommandStatus status = mdmlab::apple::CommandStatus::acknowledged;
  std::vector<mdmlab::apple::ErrorChainItem> error_chain;
  plist::Value fields;  // result keys merged into the report
};

class CommandResponder {
 public:
  explicit CommandResponder(const MacIdentity& identity) : identity_(identity) {}

  CommandOutcome answer(const mdmlab::apple::Command& command);
  const std::vector<InstalledProfile>& profiles() const { return profiles_; }
  void add_profile(InstalledProfile p) { profiles_.push_back(std::move(p)); }
  bool locked() const { return locked_; }
  bool erased() const { return erased_; }

 private:
  plist::Value device_information(const plist::Value& command) const;
  const MacIdentity& identity_;
  std::vector<InstalledProfile> profiles_;
  bool locked_ = false;
  bool erased_ = false;
};

}  // namespace mdmlab::simulators::mac
