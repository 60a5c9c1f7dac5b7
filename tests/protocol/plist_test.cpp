#include <boost/test/unit_test.hpp>

#include <climits>
#include <filesystem>

#include "protocol/plist/xml.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using namespace mdmlab::plist;

namespace {
Data bytes_of(std::size_t n) {
  Data d(n);
  for (std::size_t i = 0; i < n; ++i) d[i] = static_cast<std::uint8_t>(i * 37 + 11);
  return d;
}

std::vector<Value> corpus() {
  std::vector<Value> out;
  out.push_back(Value(Dict{}));
  out.push_back(Value(Array{}));
  out.push_back(Value("just a string"));
  Value checkin;
  checkin.set("MessageType", "Authenticate")
      .set("Topic", "com.apple.mgmt.External.1b2c3d")
      .set("UDID", "0000FE00-5F3C1B2D7A1E5D3C")
      .set("SerialNumber", "C02XL0GHJGH5")
      .set("Model", "Mac14,2")
      .set("OSVersion", "14.5")
      .set("BuildVersion", "23F79")
      .set("ProductName", "Mac14,2")
      .set("DeviceName", "Ada's MacBook Air <test> & \"quotes\"");
  out.push_back(checkin);
  Value tokens;
  tokens.set("MessageType", "TokenUpdate")
      .set("Token", bytes_of(32))
      .set("PushMagic", "2F5E6C44-2C5B-4B39-8E51-3C7D6A1F0E21")
      .set("UnlockToken", bytes_of(1500))
      .set("AwaitingConfiguration", false)
      .set("NotOnConsole", true);
  out.push_back(tokens);
  Value numbers;
  numbers.set("zero", 0)
      .set("neg", -42)
      .set("max", std::int64_t{INT64_MAX})
      .set("min", std::int64_t{INT64_MIN});
  for (double d : {0.0, -0.0, 1.0, 0.1, 1.5, 123.456, 1e15, 1e16, 1.5e16, 1e-4, 1e-5, 3.14159e-7,
                   1e300, 2.5e-300, 6.02214076e23, 9007199254740993.0})
    numbers.set("r" + python_float_repr(d), d);
  out.push_back(numbers);
  Value nested;
  Array deep;
  for (std::size_t n : {0u, 1u, 2u, 3u, 56u, 57u, 58u, 100u, 1000u})
    deep.push_back(Value(bytes_of(n)));
  Value inner;
  inner.set("Data", bytes_of(200)).set("When", Date{1700000000}).set("Epoch", Date{0});
  Array level3{Value(Array{Value(Array{Value(inner)})})};
  nested.set("deep", Value(deep))
      .set("levels", Value(level3))
      .set("empty_dict", Value(Dict{}))
      .set("empty_array", Value(Array{}))
      .set("unicode", "Grüße, 東京 — ✓")
      .set("lines", "a\r\nb\rc\nd\te")
      .set("entities", "&amp; <key> ]]> '");
  out.push_back(nested);
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(plist_xml)

BOOST_AUTO_TEST_CASE(python_float_repr_matches_pythons_rules) {
  BOOST_TEST(python_float_repr(1.0) == "1.0");
  BOOST_TEST(python_float_repr(0.1) == "0.1");
  BOOST_TEST(python_float_repr(-0.0) == "-0.0");
  BOOST_TEST(python_float_repr(1e16) == "1e+16");
  BOOST_TEST(python_float_repr(1e15) == "1000000000000000.0");
  BOOST_TEST(python_float_repr(1e-4) == "0.0001");
  BOOST_TEST(python_float_repr(1e-5) == "1e-05");
  BOOST_TEST(python_float_repr(1.5e300) == "1.5e+300");
}

BOOST_AUTO_TEST_CASE(output_is_byte_identical_to_python_plistlib_and_round_trips) {
  BOOST_REQUIRE(testing::have_program("python3"));
  auto dir = testing::make_temp_dir("mdmlab-plist-");
  auto values = corpus();
  std::vector<std::string> ours;
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto xml = to_xml(values[i]);
    BOOST_REQUIRE(xml.ok());
    ours.push_back(*xml);
    testing::write_file(dir + "/" + std::to_string(i) + ".plist", *xml);
    auto back = from_xml(*xml);
    BOOST_REQUIRE_MESSAGE(back.ok(), (back.ok() ? std::string() : back.error().message));
    // CR line endings are normalised on the way out, so compare after one round.
    auto again = to_xml(*back);
    BOOST_TEST(*again == *xml, "round trip of value " << i);
  }
  // Python parses what we wrote and, writing it again, produces the very same bytes.
  testing::write_file(dir + "/redump.py",
                      "import plistlib, sys, glob\n"
                      "for f in sorted(glob.glob(sys.argv[1] + '/*.plist')):\n"
                      "    v = plistlib.loads(open(f, 'rb').read())\n"
                      "    open(f + '.py', 'wb').write(plistlib.dumps(v, sort_keys=False))\n");
  auto r = testing::run_command("python3 " + dir + "/redump.py " + dir);
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  for (std::size_t i = 0; i < ours.size(); ++i) {
    auto python = testing::read_file(dir + "/" + std::to_string(i) + ".plist.py");
    BOOST_TEST(python == ours[i], "value " << i << " differs from plistlib:\n"
                                           << python << "\nours:\n"
                                           << ours[i]);
  }
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(plists_written_by_python_are_read_and_rewritten_identically) {
  auto dir = testing::make_temp_dir("mdmlab-plist-py-");
  testing::write_file(
      dir + "/gen.py",
      "import plistlib, datetime\n"
      "v = {'CommandUUID': 'A1B2', 'Command': {'RequestType': 'DeviceInformation',\n"
      "     'Queries': ['UDID', 'OSVersion', 'IsSupervised']}, 'n': -7, 'f': 2.75,\n"
      "     'big': 2**62, 'when': datetime.datetime(2024, 2, 29, 23, 59, 58),\n"
      "     'blob': bytes(range(256)) * 3, 'ok': True, 'nested': [[{}], [], [1, [2, [3]]]],\n"
      "     'text': 'x < y & z > w'}\n"
      "open('" +
          dir + "/py.plist', 'wb').write(plistlib.dumps(v, sort_keys=False))\n");
  auto r = testing::run_command("python3 " + dir + "/gen.py");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  auto python = testing::read_file(dir + "/py.plist");
  auto v = from_xml(python);
  BOOST_REQUIRE_MESSAGE(v.ok(), (v.ok() ? std::string() : v.error().message));
  BOOST_TEST(v->find("Command")->string_or("RequestType") == "DeviceInformation");
  BOOST_TEST(v->find("big")->integer().value() == (std::int64_t{1} << 62));
  BOOST_TEST(v->find("when")->date()->seconds == 1709251198);
  BOOST_TEST(v->find("blob")->data()->size() == 768u);
  BOOST_TEST(to_xml(*v).value() == python);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(malformed_plists_are_refused) {
  const char* head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\">";
  auto wrap = [&](const std::string& body) { return std::string(head) + body + "</plist>"; };
  std::vector<std::string> bad{
      "",
      "not xml at all",
      "<notplist><dict/></notplist>",
      wrap(""),
      wrap("<dict/><dict/>"),
      wrap("<dict><key>a</key></dict>"),
      wrap("<dict><string>x</string></dict>"),
      wrap("<integer>12x</integer>"),
      wrap("<integer>99999999999999999999</integer>"),
      wrap("<integer>-9223372036854775809</integer>"),
      wrap("<real>abc</real>"),
      wrap("<data>!!!</data>"),
      wrap("<date>2024-13-01T00:00:00Z</date>"),
      wrap("<date>yesterday</date>"),
      wrap("<blob/>"),
      wrap("<string><b>x</b></string>"),
      wrap("<dict><key>a</key><string>x</string"),
      wrap("<dict><key>UDID</key><string>a</string><key>UDID</key><string>b</string></dict>"),
  };
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "<array>";
  for (int i = 0; i < 200; ++i) deep += "</array>";
  bad.push_back(wrap(deep));
  for (const auto& b : bad) BOOST_TEST(!from_xml(b).ok(), b.substr(0, 80));
  BOOST_TEST(from_xml(wrap("<integer>0x10</integer>"))->integer().value() == 16);
  BOOST_TEST(from_xml(wrap("<integer>-9223372036854775808</integer>"))->integer().value() ==
             INT64_MIN);
  BOOST_TEST(!to_xml(Value(std::string("bell\x07"))).ok());
}

BOOST_AUTO_TEST_SUITE_END()
