// Realistic identities (simulators/devices/mac/mac_catalog.hpp): the forms we check against are
// the forms real Macs show (UDIDs and serials as system_profiler and Xcode print them), and
// what we generate has those forms, a build that belongs to its macOS version, a macOS its
// model runs, no duplicates, and UDIDs whose first characters spread the way a real mixed
// fleet's do.
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

#include "protocol/apple/command_table.hpp"
#include "simulators/devices/mac/mac_catalog.hpp"
#include "simulators/devices/mac/profile_variables.hpp"

using namespace mdmlab;
using namespace mdmlab::simulators::mac;

namespace {
Bytes seed_of(int i) {
  return to_bytes("catalog-test/" + std::to_string(i));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(mac_catalog)

BOOST_AUTO_TEST_CASE(the_forms_accept_real_examples_and_refuse_near_misses) {
  // Apple silicon provisioning UDIDs and Intel hardware UUIDs as Macs report them.
  for (const char* udid :
       {"00008103-001961CA029A001E", "00008103-000109910EC3001E", "00008103-0006645E3468A01E"})
    BOOST_TEST(is_apple_silicon_udid(udid), udid);
  for (const char* udid :
       {"27CFFAFB-E654-56DD-9DD4-F68E02FEF875", "66ADE930-5FDF-5EC4-8429-15640684C489",
        "564DF4AE-96B5-72BF-02C4-6B8B94BA5BF4"})
    BOOST_TEST(is_intel_udid(udid), udid);
  for (const char* serial : {"HXJLK79K1WFV", "C02KL5B5DJR8"}) BOOST_TEST(is_mac_serial(serial));
  for (const char* udid : {"0000FE00-5F3C1B2D7A1E5D3C1", "00008103-001961ca029a001e",
                           "27CFFAFB-E654-56DD-9DD4F68E02FEF875"})
    BOOST_TEST((!is_apple_silicon_udid(udid) && !is_intel_udid(udid)), udid);
  for (const char* serial : {"C02KL5B5DJR", "C02KL5B5DJRO", "c02kl5b5djr8"})
    BOOST_TEST(!is_mac_serial(serial), serial);
}

BOOST_AUTO_TEST_CASE(generated_identities_have_the_real_forms_and_belong_together) {
  std::set<std::string> udids, serials, heads;
  std::map<bool, int> silicon;
  for (int i = 0; i < 1000; ++i) {
    auto id = realistic_identity(seed_of(i));
    const auto* model = find_mac_model(id.model);
    BOOST_REQUIRE(model);
    const bool apple_silicon = *model->chip_id != '\0';
    ++silicon[apple_silicon];
    BOOST_TEST((apple_silicon ? is_apple_silicon_udid(id.udid) : is_intel_udid(id.udid)), id.udid);
    if (apple_silicon)
      BOOST_TEST(id.udid.substr(0, 9) == std::string("0000") + model->chip_id + "-");
    else
      heads.insert(id.udid.substr(0, 2));
    BOOST_TEST(is_mac_serial(id.serial_number), id.serial_number);
    BOOST_TEST(id.serial_number.size() == (model->year >= 2021 ? 10u : 12u), id.serial_number);
    BOOST_TEST(macos_build(id.os_version) == id.build_version, id.os_version);
    BOOST_TEST(apple::compare_os_versions(id.os_version, model->first_os) >= 0, id.model);
    BOOST_TEST(id.model_name == model->name);
    udids.insert(id.udid);
    serials.insert(id.serial_number);
  }
  BOOST_TEST(udids.size() == 1000u);
  BOOST_TEST(serials.size() == 1000u);
  BOOST_TEST(silicon[true] > 300);
  BOOST_TEST(silicon[false] > 200);
  BOOST_TEST(heads.size() > 150u);  // of 256: Intel UDIDs do not share a prefix
}

BOOST_AUTO_TEST_CASE(seeds_models_versions_and_prefixes_are_honoured) {
  auto a = realistic_identity(seed_of(7)), b = realistic_identity(seed_of(7));
  BOOST_TEST(a.udid == b.udid);
  BOOST_TEST(a.serial_number == b.serial_number);
  auto m2 = realistic_identity(seed_of(1), "Mac14,2", "14.5");
  BOOST_TEST(m2.udid.substr(0, 9) == "00008112-");
  BOOST_TEST(m2.build_version == "23F79");
  BOOST_TEST(m2.model_name == "MacBook Air (M2, 2022)");
  auto intel = realistic_identity(seed_of(1), "MacBookPro16,1");
  BOOST_TEST(is_intel_udid(intel.udid), intel.udid);
  auto marked = realistic_identity(seed_of(1), "", "", "LAB-");
  BOOST_TEST(marked.udid.rfind("LAB-", 0) == 0u);
  BOOST_TEST(marked.udid.size() == 20u);
}

BOOST_AUTO_TEST_CASE(profile_variables_expand_as_macos_does_and_unknown_ones_stay) {
  MacIdentity m;
  m.udid = "00008112-000A1B2C3D4E501E";
  m.hardware_uuid = "27CFFAFB-E654-56DD-9DD4-F68E02FEF875";
  m.serial_number = "HXJLK79K1WFV";
  m.device_name = "Kim's MacBook Air";
  m.mac_address = "F0:18:98:12:34:56";
  BOOST_TEST(expand_profile_variables("%HardwareUUID%", m) == m.hardware_uuid);
  BOOST_TEST(expand_profile_variables("Mac.%SerialNumber% (%ComputerName%)", m) ==
             "Mac.HXJLK79K1WFV (Kim's MacBook Air)");
  BOOST_TEST(expand_profile_variables("%LocalHostName%", m) == "Kims-MacBook-Air.local");
  BOOST_TEST(expand_profile_variables("%MACAddress%", m) == "F0:18:98:12:34:56");
  // Unknown names, stray percent signs and an unclosed one are left as written.
  BOOST_TEST(expand_profile_variables("%Unknown% 100% %SerialNumber%", m) ==
             "%Unknown% 100% HXJLK79K1WFV");
  BOOST_TEST(expand_profile_variables("%%SerialNumber%", m) == "%HXJLK79K1WFV");
  BOOST_TEST(expand_profile_variables("50%", m) == "50%");
  // An Intel Mac's hardware UUID is its UDID.
  m.hardware_uuid.clear();
  BOOST_TEST(expand_profile_variables("%HardwareUUID%", m) == m.udid);
  auto silicon = realistic_identity(seed_of(3), "Mac14,2");
  BOOST_TEST(is_intel_udid(silicon.hardware_uuid));
  BOOST_TEST(silicon.hardware_uuid != silicon.udid);
}

BOOST_AUTO_TEST_SUITE_END()
