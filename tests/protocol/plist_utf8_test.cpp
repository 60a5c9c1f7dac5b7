// UTF-8 validation (protocol/plist/utf8.hpp) and the plist reader's use of it: invalid bytes in
// strings, keys or anywhere in the document, and character references that decode to
// surrogates or control characters, are refused.
#include <boost/test/unit_test.hpp>

#include "protocol/plist/utf8.hpp"
#include "protocol/plist/xml.hpp"

using namespace mdmlab;
using namespace mdmlab::plist;

namespace {
std::string wrap(const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\">" + body + "</plist>";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(plist_utf8)

BOOST_AUTO_TEST_CASE(well_formed_utf8_is_accepted) {
  for (std::string s :
       {std::string(), std::string("ascii"), std::string("Grüße"), std::string("東京"),
        std::string("\xF0\x9F\x98\x80"),  // U+1F600, 4 bytes
        std::string("\xED\x9F\xBF"),      // U+D7FF, just below the surrogates
        std::string("\xEE\x80\x80"),      // U+E000, just above them
        std::string("\xF4\x8F\xBF\xBF"),  // U+10FFFF, the last code point
        std::string("\xEF\xBB\xBF"
                    "BOM"),
        std::string("nul\0inside", 10)})
    BOOST_TEST(is_valid_utf8(s), s);
}

BOOST_AUTO_TEST_CASE(each_kind_of_ill_formed_utf8_is_found_at_its_offset) {
  struct Bad {
    std::string text;
    std::size_t at;
  };
  const std::vector<Bad> bad{
      {"ab\x80", 2},            // lone continuation byte
      {"\xC0\xAF", 0},          // overlong '/'
      {"\xC1\xBF", 0},          // overlong, 2 bytes
      {"x\xE0\x80\xAF", 1},     // overlong, 3 bytes
      {"\xF0\x80\x80\xAF", 0},  // overlong, 4 bytes
      {"\xED\xA0\x80", 0},      // U+D800, a surrogate
      {"ok\xED\xBF\xBF", 2},    // U+DFFF
      {"\xF4\x90\x80\x80", 0},  // U+110000, beyond Unicode
      {"\xF5\x80\x80\x80", 0},  // lead byte never used
      {"\xFE", 0},
      {"\xFF", 0},
      {"abc\xE6\x9D", 3},  // truncated at the end
      {"\xE6\x9D"
       "x",
       0},                  // truncated by an ASCII byte
      {"\xF0\x9F\x98", 0},  // 4-byte sequence cut short
      {"\xC3\xA9\xC3", 2},  // valid, then a cut sequence
  };
  for (const auto& b : bad)
    BOOST_TEST(invalid_utf8_at(b.text) == b.at, "offset in a " << b.text.size() << "-byte string");
}

BOOST_AUTO_TEST_CASE(plists_with_invalid_utf8_are_refused) {
  // Raw bytes in a string value, in a key, outside any value (a comment), and character
  // references that decode to what UTF-8 cannot hold.
  const std::vector<std::string> bad{
      wrap("<string>caf\xC3</string>"),
      wrap("<string>\xED\xA0\x80</string>"),
      wrap("<dict><key>UD\xFFID</key><string>x</string></dict>"),
      wrap("<dict><key>UDID</key><string>a\x80"
           "b</string></dict>"),
      wrap("<!-- \xC0\xAF --><string>x</string>"),
      wrap("<array><string>ok</string><string>\xF4\x90\x80\x80</string></array>"),
      wrap("<string>&#xD800;</string>"),
      wrap("<dict><key>&#xDFFF;</key><string>x</string></dict>"),
      wrap("<string>bell&#x7;</string>"),
      wrap("<string>bell\x07</string>"),
  };
  for (const auto& b : bad) {
    auto v = from_xml(b);
    BOOST_TEST(!v.ok(), b);
    if (!v.ok()) BOOST_TEST(v.error().code == "bad_plist");
  }
  auto good =
      from_xml(wrap("<dict><key>Grüße</key><string>東京 &#x1F600; tab\there</string></dict>"));
  BOOST_REQUIRE(good.ok());
  BOOST_TEST(good->string_or("Grüße") == "東京 \xF0\x9F\x98\x80 tab\there");
}

BOOST_AUTO_TEST_CASE(nul_characters_are_refused_not_cut_short) {
  // pugixml ends strings at a NUL, so "a&#0;b" would read back as "a"; XML has no NUL at all.
  for (const std::string& b :
       {wrap("<string>a&#0;b</string>"), wrap("<string>a&#x0;b</string>"),
        wrap("<string>a&#000;b</string>"), wrap("<string>a&#x0000;b</string>"),
        wrap("<dict><key>k&#0;</key><string>x</string></dict>"),
        wrap(std::string("<string>a\0b</string>", 20))}) {
    auto v = from_xml(b);
    BOOST_TEST(!v.ok(), b);
    if (!v.ok())
      BOOST_TEST(v.error().message.find("NUL character") != std::string::npos, v.error().message);
  }
  // References that merely start with zeros, and text that looks like one, are fine.
  auto ok = from_xml(wrap("<string>&#048;&#x030;&amp;#0; &#10;</string>"));
  BOOST_REQUIRE(ok.ok());
  BOOST_REQUIRE(ok->string());
  BOOST_TEST(*ok->string() == "00&#0; \n");
}

BOOST_AUTO_TEST_SUITE_END()
