// Binary plists: Python's plistlib (FMT_BINARY) writes them, we read the same values it wrote
// as XML; hostile inputs (cycles, out-of-range offsets, UIDs, deep nesting, shared-reference
// bombs, truncation) are refused.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "protocol/plist/binary.hpp"
#include "protocol/plist/xml.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using namespace mdmlab::plist;

namespace {
std::string bplist(const std::string& objects, const std::string& offsets, int offset_size,
                   int ref_size, std::uint64_t count, std::uint64_t top) {
  std::string out = "bplist00" + objects;
  std::uint64_t table = out.size();
  out += offsets;
  std::string trailer(6, '\0');
  trailer += static_cast<char>(offset_size);
  trailer += static_cast<char>(ref_size);
  for (auto v : {count, top, table})
    for (int i = 7; i >= 0; --i) trailer += static_cast<char>((v >> (8 * i)) & 0xFF);
  return out + trailer;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(plist_binary)

BOOST_AUTO_TEST_CASE(reads_what_python_plistlib_writes) {
  BOOST_REQUIRE(testing::have_program("python3"));
  auto dir = testing::make_temp_dir("mdmlab-bplist-");
  testing::write_file(dir + "/gen.py", R"PY(
import plistlib, datetime, sys
d = sys.argv[1]
values = [
  {'MessageType': 'TokenUpdate', 'UDID': '0000FE00-ABCDEF', 'Token': bytes(range(32)), 'AwaitingConfiguration': False},
  {'CommandUUID': 'A1B2', 'Command': {'RequestType': 'DeviceInformation', 'Queries': ['UDID', 'OSVersion']}},
  [0, 1, 255, 256, 65535, 65536, 2**31, 2**32, 2**62, 2**63 - 1, -1, -2**63, -300],
  [0.5, -2.25, 1e300, 3.0],
  {'when': datetime.datetime(2024, 2, 29, 23, 59, 58), 'epoch': datetime.datetime(2001, 1, 1)},
  {'text': 'caf\u00e9 \u2603 \U0001F600 x < y', 'empty': '', 'data': b'', 'blob': bytes(range(256)) * 40},
  {'nested': [[{}], [], [1, [2, [3]]]], 'same': ['x', 'x', 'x']},
  [True, False, True],
  'just a string',
]
for i, v in enumerate(values):
  open(f'{d}/{i}.bplist', 'wb').write(plistlib.dumps(v, fmt=plistlib.FMT_BINARY, sort_keys=False))
  open(f'{d}/{i}.xml', 'wb').write(plistlib.dumps(v, sort_keys=False))
print(len(values))
)PY");
  auto r = testing::run_command("python3 " + dir + "/gen.py " + dir);
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  int n = std::stoi(r.output);
  BOOST_REQUIRE(n > 5);
  for (int i = 0; i < n; ++i) {
    auto bin = testing::read_file(dir + "/" + std::to_string(i) + ".bplist");
    auto xml = testing::read_file(dir + "/" + std::to_string(i) + ".xml");
    BOOST_TEST(looks_binary(bin));
    auto a = from_binary(bin);
    BOOST_REQUIRE_MESSAGE(a.ok(), "value " << i << ": " << (a.ok() ? "" : a.error().message));
    auto b = from_xml(xml);
    BOOST_REQUIRE(b.ok());
    BOOST_TEST((*a == *b), "value " << i << " differs between binary and XML");
    BOOST_TEST(from_any(bin).ok());
    BOOST_TEST(from_any(xml).ok());
  }
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(hostile_binary_plists_are_refused) {
  std::vector<std::pair<std::string, std::string>> bad;
  // An array containing itself.
  bad.push_back({"cycle", bplist(std::string("\xA1\x00", 2), std::string("\x08", 1), 1, 1, 1, 0)});
  // A reference past the object count; an offset past the table; the top object out of range.
  bad.push_back(
      {"ref out of range", bplist(std::string("\xA1\x05", 2), std::string("\x08", 1), 1, 1, 1, 0)});
  bad.push_back(
      {"offset out of range", bplist(std::string("\x09", 1), std::string("\x7F", 1), 1, 1, 1, 0)});
  bad.push_back(
      {"top out of range", bplist(std::string("\x09", 1), std::string("\x08", 1), 1, 1, 1, 3)});
  // A string claiming more bytes than there are; a UID; a set; an integer wider than 128 bits.
  bad.push_back({"long string", bplist(std::string("\x5F\x10\x7F"
                                                   "abc",
                                                   6),
                                       std::string("\x08", 1), 1, 1, 1, 0)});
  bad.push_back({"uid", bplist(std::string("\x80\x01", 2), std::string("\x08", 1), 1, 1, 1, 0)});
  bad.push_back({"set", bplist(std::string("\xC0", 1), std::string("\x08", 1), 1, 1, 1, 0)});
  bad.push_back({"int size", bplist(std::string("\x15", 1) + std::string(32, '\x01'),
                                    std::string("\x08", 1), 1, 1, 1, 0)});
  bad.push_back(
      {"non-ascii", bplist(std::string("\x51\xE9", 2), std::string("\x08", 1), 1, 1, 1, 0)});
  bad.push_back({"lone surrogate",
                 bplist(std::string("\x61\xD8\x00", 3), std::string("\x08", 1), 1, 1, 1, 0)});
  // Dict with a non-string key (an integer).
  bad.push_back({"int key", bplist(std::string("\xD1\x01\x02\x10\x01\x09", 6),
                                   std::string("\x08\x0B\x0D", 3), 1, 1, 3, 0)});
  // Duplicate keys: {"a": true, "a": true}.
  bad.push_back({"duplicate key", bplist(std::string("\xD2\x01\x01\x02\x02\x51"
                                                     "a\x09",
                                                     8),
                                         std::string("\x08\x0D\x0F", 3), 1, 1, 3, 0)});
  // A shared-reference bomb: 20 levels of [x, x, x, x, x, x, x, x] (8^20 leaves from 21 objects).
  {
    std::string objects, offsets;
    for (int level = 0; level < 20; ++level) {
      offsets += static_cast<char>(8 + objects.size());
      objects += '\xA8';
      objects += std::string(8, static_cast<char>(level + 1));
    }
    offsets += static_cast<char>(8 + objects.size());
    objects += '\x09';
    bad.push_back({"reference bomb", bplist(objects, offsets, 1, 1, 21, 0)});
  }
  bad.push_back({"truncated", std::string("bplist00\x09", 9)});
  bad.push_back({"not binary", "<plist/>"});
  for (const auto& [name, bytes] : bad) {
    auto r = from_binary(bytes);
    BOOST_TEST(!r.ok(), name);
  }
  // Every prefix of a valid one is refused or read, never a crash.
  auto ok = bplist(std::string("\xA2\x01\x02\x09\x51"
                               "a",
                               6),
                   std::string("\x08\x0B\x0C", 3), 1, 1, 3, 0);
  BOOST_REQUIRE(from_binary(ok).ok());
  for (std::size_t i = 0; i < ok.size(); ++i) (void)from_binary(ok.substr(0, i));
}

BOOST_AUTO_TEST_SUITE_END()
