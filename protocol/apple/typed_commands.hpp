// Typed MDM commands: a request type and JSON parameters become the Command dict, with the
// parameters Apple's MDM reference defines checked for presence and type, so an admin gets a
// clear 400 instead of a command the device will answer with CommandFormatError.
//   DeviceInformation {queries?: [string]}       SecurityInfo {}      ProfileList {}
//   InstallProfile {profile: string (the .mobileconfig) | payload_base64: string}
//   RemoveProfile {identifier: string}           InstalledApplicationList {identifiers?: [string],
//   managed_apps_only?: bool} DeviceLock {pin?: 6 digits, message?: string, phone_number?: string}
//   EraseDevice {pin?: 6 digits, preserve_data_plan?: bool}
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "protocol/plist/value.hpp"

namespace mdmlab::apple {

const std::vector<std::string>& typed_command_names();
Result<plist::Value> build_typed_command(const std::string& type, const nlohmann::json& params);

}  // namespace mdmlab::apple
