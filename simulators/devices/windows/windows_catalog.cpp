#include "simulators/devices/windows/windows_catalog.hpp"

#include <algorithm>

#include "crypto/digest.hpp"

namespace mdmlab::simulators::windows_pc {
namespace {

// Bytes drawn from SHA-256(seed || label || counter): stable for a seed, independent per use.
class Draw {
 public:
  explicit Draw(const Bytes& seed) : seed_(seed) {}
  Bytes bytes(std::string_view label, std::size_t n) {
    Bytes out;
    for (int block = 0; out.size() < n; ++block) {
      Bytes input = seed_;
      input.insert(input.end(), label.begin(), label.end());
      input.push_back(static_cast<std::uint8_t>(block));
      auto digest = crypto::sha256(input);
      out.insert(out.end(), digest.begin(), digest.end());
    }
    out.resize(n);
    return out;
  }
  std::size_t below(std::string_view label, std::size_t n) {
    auto b = bytes(label, 4);
    const std::size_t v =
        (std::size_t{b[0]} << 24) | (std::size_t{b[1]} << 16) | (std::size_t{b[2]} << 8) | b[3];
    return v % n;
  }

 private:
  Bytes seed_;
};

}  // namespace

const std::vector<WindowsModel>& windows_models() {
  static const std::vector<WindowsModel> models = {
      {"Microsoft Corporation", "Virtual Machine", "00:15:5D"},
      {"Microsoft Corporation", "Surface Laptop 5", "28:16:A8"},
      {"Dell Inc.", "Latitude 7440", "F8:B4:6A"},
      {"Dell Inc.", "OptiPlex 7010", "B0:4F:13"},
      {"LENOVO", "21HD", "8C:8C:AA"},
      {"HP", "HP EliteBook 840 G10 Notebook PC", "64:4E:D7"},
  };
  return models;
}

const std::vector<WindowsBuild>& windows_builds() {
  static const std::vector<WindowsBuild> builds = {
      {"10.0.19045.4291", "Windows 10 22H2"},
      {"10.0.22621.3447", "Windows 11 22H2"},
      {"10.0.22631.3447", "Windows 11 23H2"},
      {"10.0.26100.1742", "Windows 11 24H2"},
  };
  return builds;
}

WindowsIdentity realistic_windows_identity(const Bytes& seed, std::string_view os_version) {
  Draw d(seed);
  WindowsIdentity id;
  id.device_id = hex_encode(d.bytes("device-id", 16), true);
  id.hw_dev_id = hex_encode(d.bytes("hw-dev-id", 32), true);
  static constexpr std::string_view kNameChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  id.device_name = "DESKTOP-";
  for (auto b : d.bytes("name", 7)) id.device_name += kNameChars[b % kNameChars.size()];
  const auto& model = windows_models()[d.below("model", windows_models().size())];
  id.manufacturer = model.manufacturer;
  id.model = model.model;
  id.mac_address = model.mac_oui;
  for (auto b : d.bytes("mac", 3)) id.mac_address += ":" + hex_encode(Bytes{b}, true);
  id.os_version = !os_version.empty()
                      ? std::string(os_version)
                      : windows_builds()[d.below("build", windows_builds().size())].version;
  return id;
}

bool is_device_id(std::string_view id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
         });
}

}  // namespace mdmlab::simulators::windows_pc
