#include "protocol/windows/xml_names.hpp"

#include "common/markup.hpp"
#include "protocol/plist/utf8.hpp"

namespace mdmlab::windows::xml {

Result<std::unique_ptr<pugi::xml_document>> load(std::string_view text) {
  if (auto at = plist::invalid_utf8_at(text); at != std::string_view::npos)
    return make_error("bad_xml", "invalid UTF-8 at byte " + std::to_string(at));
  if (text.find('\0') != std::string_view::npos) return make_error("bad_xml", "a NUL character");
  auto doc = std::make_unique<pugi::xml_document>();
  auto res = doc->load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!res) return make_error("bad_xml", std::string("XML: ") + res.description());
  if (!doc->document_element()) return make_error("bad_xml", "no root element");
  return doc;
}

std::string_view local(const pugi::xml_node& n) {
  std::string_view name = n.name();
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string namespace_of(const pugi::xml_node& n) {
  std::string_view name = n.name();
  auto colon = name.find(':');
  const std::string attr =
      colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
  for (auto up = n; up; up = up.parent())
    if (auto a = up.attribute(attr.c_str())) return a.value();
  return "";
}

bool is(const pugi::xml_node& n, std::string_view ns, std::string_view local_name) {
  return n && n.type() == pugi::node_element && local(n) == local_name && namespace_of(n) == ns;
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view ns, std::string_view local_name) {
  for (auto c : n.children())
    if (is(c, ns, local_name)) return c;
  return {};
}

std::vector<pugi::xml_node> elements(const pugi::xml_node& n) {
  std::vector<pugi::xml_node> out;
  for (auto c : n.children())
    if (c.type() == pugi::node_element) out.push_back(c);
  return out;
}

std::string prefixed(const pugi::xml_node& n, std::string_view ns, std::string_view name) {
  for (auto up = n; up; up = up.parent())
    for (auto a : up.attributes()) {
      std::string_view attr = a.name();
      if (attr.starts_with("xmlns:") && a.value() == ns)
        return std::string(attr.substr(6)) + ":" + std::string(name);
    }
  return std::string(name);
}

std::string trimmed(std::string_view s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

std::string escape(std::string_view s) {
  return markup_escape(s);
}

}  // namespace mdmlab::windows::xml
