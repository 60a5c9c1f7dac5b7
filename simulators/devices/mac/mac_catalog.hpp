// Macs as Apple makes them: a table of models (identifier, marketing name, Intel or Apple
// silicon and its chip), macOS releases with the builds that belong to them, and identities
// drawn from both. MDM servers see the UDID in its two real forms: an Intel Mac's is its
// hardware UUID (8-4-4-4-12 hex), an Apple silicon Mac's its provisioning UDID ("0000" + the
// chip id, then 16 hex of ECID: 00008103-0006645E3468A01E). Serial numbers follow Apple's two
// formats: 12 characters (location, year, week, unit, model code) until 2021, 10 randomized
// characters after. Nothing here is a real device's identity; only the shapes are real.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "simulators/devices/mac/mac_identity.hpp"

namespace mdmlab::simulators::mac {

struct MacModel {
  const char* identifier;  // "Mac14,2"
  const char* name;        // "MacBook Air (M2, 2022)"
  const char* chip_id;     // Apple silicon: "8112"; Intel: ""
  int year;                // introduced: serials are randomized from 2021
  const char* first_os;    // the first macOS it runs, e.g. "12.4"
};

struct MacOsRelease {
  const char* version;  // "14.5"
  const char* build;    // "23F79"
};

const std::vector<MacModel>& mac_models();
const std::vector<MacOsRelease>& macos_releases();
const MacModel* find_mac_model(std::string_view identifier);
// The build of a release in the table ("" for a version it does not hold).
std::string macos_build(std::string_view version);

// A Mac drawn from `seed` (any bytes; the same bytes give the same Mac): a model, a macOS
// release it can run, and a UDID and serial number in that model's forms. `model` and
// `os_version` pin those when not empty. A non-empty `udid_prefix` replaces the UDID's form by
// prefix + 16 hex digits, for people who want to spot their devices.
MacIdentity realistic_identity(const Bytes& seed, std::string_view model = {},
                               std::string_view os_version = {}, std::string_view udid_prefix = {});

// The forms, for checks and tests.
bool is_intel_udid(std::string_view udid);
bool is_apple_silicon_udid(std::string_view udid);
bool is_mac_serial(std::string_view serial);

}  // namespace mdmlab::simulators::mac
