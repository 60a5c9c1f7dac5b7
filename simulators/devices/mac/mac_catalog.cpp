#include "simulators/devices/mac/mac_catalog.hpp"

#include <regex>

#include "crypto/digest.hpp"
#include "protocol/apple/command_table.hpp"

namespace mdmlab::simulators::mac {

const std::vector<MacModel>& mac_models() {
  static const std::vector<MacModel> table = {
      // Intel
      {"Macmini8,1", "Mac mini (2018)", "", 2018, "10.14"},
      {"MacBookAir9,1", "MacBook Air (Retina, 13-inch, 2020)", "", 2020, "10.15.3"},
      {"MacBookPro16,1", "MacBook Pro (16-inch, 2019)", "", 2019, "10.15.1"},
      {"iMac20,1", "iMac (Retina 5K, 27-inch, 2020)", "", 2020, "10.15.6"},
      // Apple silicon
      {"MacBookAir10,1", "MacBook Air (M1, 2020)", "8103", 2020, "11.0"},
      {"Macmini9,1", "Mac mini (M1, 2020)", "8103", 2020, "11.0"},
      {"MacBookPro18,3", "MacBook Pro (14-inch, 2021)", "6000", 2021, "12.0"},
      {"Mac14,2", "MacBook Air (M2, 2022)", "8112", 2022, "12.4"},
      {"Mac15,3", "MacBook Pro (14-inch, M3, Nov 2023)", "8122", 2023, "14.1"},
      {"Mac16,1", "MacBook Pro (14-inch, M4, 2024)", "8132", 2024, "15.1"},
  };
  return table;
}

const std::vector<MacOsRelease>& macos_releases() {
  static const std::vector<MacOsRelease> table = {
      {"13.6.7", "22G720"}, {"14.4.1", "23E224"}, {"14.5", "23F79"},   {"14.6.1", "23G93"},
      {"15.0", "24A335"},   {"15.1", "24B83"},    {"15.1.1", "24B91"}, {"15.2", "24C101"},
  };
  return table;
}

const MacModel* find_mac_model(std::string_view identifier) {
  for (const auto& m : mac_models())
    if (identifier == m.identifier) return &m;
  return nullptr;
}

std::string macos_build(std::string_view version) {
  for (const auto& r : macos_releases())
    if (version == r.version) return r.build;
  return {};
}

namespace {
// Deterministic bytes from a seed: SHA-256 of (seed, counter), as many blocks as asked.
class SeededStream {
 public:
  explicit SeededStream(const Bytes& seed) : seed_(seed) {}
  std::uint8_t next() {
    if (pos_ == block_.size()) {
      Bytes input = seed_;
      input.push_back(static_cast<std::uint8_t>(counter_++));
      block_ = crypto::sha256(input);
      pos_ = 0;
    }
    return block_[pos_++];
  }
  std::size_t below(std::size_t n) { return (static_cast<std::size_t>(next()) << 8 | next()) % n; }
  std::string from(std::string_view alphabet, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) out += alphabet[below(alphabet.size())];
    return out;
  }

 private:
  Bytes seed_, block_;
  std::size_t pos_ = 0;
  unsigned counter_ = 0;
};

constexpr std::string_view kHex = "0123456789ABCDEF";
// Apple's serial-number alphabet leaves out I and O (they read as 1 and 0).
constexpr std::string_view kSerial = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

std::string intel_udid(SeededStream& s) {
  auto h = s.from(kHex, 32);
  h[12] = '5';  // macOS hardware UUIDs are name-based (version 5) UUIDs
  h[16] = "89AB"[s.below(4)];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

// "0000" + chip, then the ECID as 16 hex digits. Real ones start 000/001 and end [02468A]01E.
std::string apple_silicon_udid(SeededStream& s, const char* chip) {
  return std::string("0000") + chip + "-00" + std::string(1, "01"[s.below(2)]) + s.from(kHex, 9) +
         std::string(1, "02468A"[s.below(6)]) + "01E";
}

std::string serial_for(SeededStream& s, const MacModel& m) {
  if (m.year >= 2021) return s.from(kSerial, 10);  // randomized serials
  static const char* const kPlaces[] = {"C02", "C07", "C17", "FVF", "W80", "HXJ"};
  return kPlaces[s.below(6)] + s.from(kSerial, 9);
}
}  // namespace

MacIdentity realistic_identity(const Bytes& seed, std::string_view model,
                               std::string_view os_version, std::string_view udid_prefix) {
  SeededStream s(seed);
  const auto& models = mac_models();
  const MacModel* m = model.empty() ? &models[s.below(models.size())] : find_mac_model(model);
  MacIdentity id;
  id.model = m ? m->identifier : std::string(model);
  id.model_name = m ? m->name : "Mac";
  if (!os_version.empty()) {
    id.os_version = os_version;
    id.build_version = macos_build(os_version);
    if (id.build_version.empty()) id.build_version = MacIdentity{}.build_version;
  } else {
    // A release the model runs: the table is in version order; take one at or after its first.
    std::vector<const MacOsRelease*> fits;
    for (const auto& r : macos_releases())
      if (!m || apple::compare_os_versions(r.version, m->first_os) >= 0) fits.push_back(&r);
    const auto* r = fits[s.below(fits.size())];
    id.os_version = r->version;
    id.build_version = r->build;
  }
  const bool silicon = m ? *m->chip_id != '\0' : true;
  if (!udid_prefix.empty())
    id.udid = std::string(udid_prefix) + s.from(kHex, 16);
  else
    id.udid = silicon ? apple_silicon_udid(s, m ? m->chip_id : "8112") : intel_udid(s);
  id.serial_number = m ? serial_for(s, *m) : s.from(kSerial, 10);
  // Apple silicon Macs have a hardware UUID beside their provisioning UDID; Intel ones use it
  // as the UDID.
  id.hardware_uuid = silicon || !udid_prefix.empty() ? intel_udid(s) : id.udid;
  static const char* const kAppleOuis[] = {"F0:18:98", "3C:22:FB", "A4:83:E7"};
  id.mac_address = kAppleOuis[s.below(3)];
  for (int i = 0; i < 3; ++i) id.mac_address += ":" + s.from(kHex, 2);
  return id;
}

bool is_intel_udid(std::string_view udid) {
  static const std::regex re("^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$");
  return std::regex_match(udid.begin(), udid.end(), re);
}

bool is_apple_silicon_udid(std::string_view udid) {
  static const std::regex re("^0000[0-9A-F]{4}-[0-9A-F]{16}$");
  return std::regex_match(udid.begin(), udid.end(), re);
}

bool is_mac_serial(std::string_view serial) {
  static const std::regex re("^[0-9A-HJ-NP-Z]{10}([0-9A-HJ-NP-Z]{2})?$");
  return std::regex_match(serial.begin(), serial.end(), re);
}

}  // namespace mdmlab::simulators::mac
