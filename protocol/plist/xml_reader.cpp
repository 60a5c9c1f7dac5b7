// XML plist reader on pugixml (no DTD processing, so no entity expansion attacks).
#include <pugixml.hpp>

#include <charconv>
#include <cstring>
#include <ctime>
#include <optional>
#include <string_view>

#include "protocol/plist/utf8.hpp"
#include "protocol/plist/xml.hpp"

namespace mdmlab::plist {
namespace {
constexpr int kMaxDepth = 128;

Error bad(const std::string& what) {
  return make_error("bad_plist", what);
}

std::string text_of(const pugi::xml_node& n) {
  // Concatenate PCDATA/CDATA children; elements inside a scalar are an error (checked by caller).
  std::string out;
  for (auto child : n.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) out += child.value();
  }
  return out;
}

// Strings and keys must be well-formed UTF-8 (pugixml does not check, and character references
// such as &#xD800; decode to invalid sequences) without the control characters the writer
// refuses: what we accept, we can store, compare and write back.
Result<void> check_text(const std::string& text, const char* what) {
  auto at = invalid_utf8_at(text);
  if (at != std::string::npos)
    return bad(std::string("invalid UTF-8 in ") + what + " at byte " + std::to_string(at));
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
      return bad(std::string("control character in ") + what);
  return success();
}

// XML has no NUL character: a raw NUL byte or a reference to it (&#0;, &#x000;) is not
// well-formed, and pugixml, whose strings end at the first NUL, would cut the value short
// instead of failing. Other references are range-checked by check_text after decoding. (A
// literal "&#0;" inside CDATA is refused too; plists do not use CDATA.)
std::optional<std::size_t> nul_character_at(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\0') return i;
    if (text[i] != '&' || i + 2 >= text.size() || text[i + 1] != '#') continue;
    std::size_t j = i + 2;
    const bool hex = text[j] == 'x';
    if (hex) ++j;
    const std::size_t digits = j;
    while (j < text.size() && text[j] == '0') ++j;
    if (j > digits && j < text.size() && text[j] == ';') return i;
  }
  return std::nullopt;
}

bool has_element_children(const pugi::xml_node& n) {
  for (auto child : n.children())
    if (child.type() == pugi::node_element) return true;
  return false;
}

Result<std::int64_t> parse_integer(std::string s) {
  auto trim = [](std::string& t) {
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
    std::size_t i = 0;
    while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
    t.erase(0, i);
  };
  trim(s);
  bool negative = !s.empty() && s[0] == '-';
  std::string_view body(s);
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
  int base = 10;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
    base = 16;
    body.remove_prefix(2);
  }
  if (body.empty()) return bad("empty <integer>");
  std::uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), magnitude, base);
  if (ec != std::errc() || ptr != body.data() + body.size())
    return bad("bad <integer> '" + s + "'");
  if (negative) {
    if (magnitude > static_cast<std::uint64_t>(INT64_MAX) + 1) return bad("<integer> below int64");
    return static_cast<std::int64_t>(0 - magnitude);
  }
  if (magnitude > static_cast<std::uint64_t>(INT64_MAX)) return bad("<integer> above int64");
  return static_cast<std::int64_t>(magnitude);
}

Result<Date> parse_date(const std::string& s) {
  // YYYY-MM-DDTHH:MM:SSZ (Apple also writes shorter prefixes; accept the full form only).
  std::tm tm{};
  int y, mo, d, h, mi, se;
  char z = 0;
  if (s.size() != 20 ||
      std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z) != 7 ||
      z != 'Z' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || y < 1)
    return bad("bad <date> '" + s + "'");
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  return Date{static_cast<std::int64_t>(timegm(&tm))};
}

Result<Value> parse_value(const pugi::xml_node& n, int depth) {
  if (depth > kMaxDepth) return bad("plist nested too deeply");
  const char* name = n.name();
  if (std::strcmp(name, "dict") == 0) {
    Dict dict;
    pugi::xml_node child = n.first_child();
    auto next_element = [](pugi::xml_node c) {
      while (c && c.type() != pugi::node_element) {
        if (c.type() == pugi::node_pcdata &&
            std::strspn(c.value(), " \t\r\n") != std::strlen(c.value()))
          return pugi::xml_node();  // stray text: treat as malformed below
        c = c.next_sibling();
      }
      return c;
    };
    for (auto k = next_element(child); k; k = next_element(k.next_sibling())) {
      if (std::strcmp(k.name(), "key") != 0)
        return bad(std::string("expected <key> in <dict>, got <") + k.name() + ">");
      if (has_element_children(k)) return bad("<key> contains elements");
      auto v = next_element(k.next_sibling());
      if (!v) return bad("<key> without a value");
      auto parsed = parse_value(v, depth + 1);
      if (!parsed) return parsed.error();
      auto key = text_of(k);
      if (auto ok = check_text(key, "<key>"); !ok) return ok.error();
      // Duplicate keys make a message mean different things to different parsers: refuse them.
      for (const auto& [existing, unused] : dict)
        if (existing == key) return bad("duplicate <key> '" + key + "' in <dict>");
      dict.emplace_back(std::move(key), std::move(*parsed));
      k = v;
    }
    return Value(std::move(dict));
  }
  if (std::strcmp(name, "array") == 0) {
    Array array;
    for (auto c : n.children()) {
      if (c.type() != pugi::node_element) continue;
      auto parsed = parse_value(c, depth + 1);
      if (!parsed) return parsed.error();
      array.push_back(std::move(*parsed));
    }
    return Value(std::move(array));
  }
  if (std::strcmp(name, "true") == 0) return Value(true);
  if (std::strcmp(name, "false") == 0) return Value(false);
  if (has_element_children(n)) return bad(std::string("<") + name + "> contains elements");
  std::string text = text_of(n);
  if (std::strcmp(name, "string") == 0) {
    if (auto ok = check_text(text, "<string>"); !ok) return ok.error();
    return Value(std::move(text));
  }
  if (std::strcmp(name, "integer") == 0) {
    auto i = parse_integer(text);
    if (!i) return i.error();
    return Value(*i);
  }
  if (std::strcmp(name, "real") == 0) {
    char* end = nullptr;
    double d = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) return bad("bad <real> '" + text + "'");
    return Value(d);
  }
  if (std::strcmp(name, "date") == 0) {
    auto d = parse_date(text);
    if (!d) return d.error();
    return Value(*d);
  }
  if (std::strcmp(name, "data") == 0) {
    auto b = base64_decode(text);
    if (!b) return bad("bad base64 in <data>");
    return Value(std::move(*b));
  }
  return bad(std::string("unknown plist element <") + name + ">");
}
}  // namespace

Result<Value> from_xml(std::string_view text) {
  // XML documents are text: a byte sequence that is not UTF-8 anywhere (a comment included)
  // makes the whole document malformed.
  if (auto at = invalid_utf8_at(text); at != std::string_view::npos)
    return bad("invalid UTF-8 at byte " + std::to_string(at));
  if (auto at = nul_character_at(text)) return bad("NUL character at byte " + std::to_string(*at));
  pugi::xml_document doc;
  auto res =
      doc.load_buffer(text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata_single,
                      pugi::encoding_utf8);
  if (!res) return bad(std::string("XML: ") + res.description());
  auto root = doc.document_element();
  if (std::strcmp(root.name(), "plist") != 0) return bad("root element is not <plist>");
  pugi::xml_node value;
  for (auto c : root.children()) {
    if (c.type() != pugi::node_element) continue;
    if (value) return bad("<plist> holds more than one value");
    value = c;
  }
  if (!value) return bad("empty <plist>");
  return parse_value(value, 0);
}

}  // namespace mdmlab::plist
