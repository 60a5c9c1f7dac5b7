#include "tests/hostile/plist_edit.hpp"

namespace mdmlab::testing::hostile {
namespace {
std::string tag_name_at(const std::string& xml, std::size_t lt) {
  auto end = xml.find_first_of(" />\t\r\n", lt + 1);
  return xml.substr(lt + 1, end - lt - 1);
}

// [lt, after the matching close) of the element starting at `lt`.
std::optional<Span> element_at(const std::string& xml, std::size_t lt) {
  if (lt >= xml.size() || xml[lt] != '<') return std::nullopt;
  auto name = tag_name_at(xml, lt);
  auto gt = xml.find('>', lt);
  if (gt == std::string::npos) return std::nullopt;
  if (xml[gt - 1] == '/') return Span{lt, gt + 1};
  int depth = 1;
  auto pos = gt + 1;
  const auto open = "<" + name, close = "</" + name + ">";
  while (depth > 0) {
    auto next_open = xml.find(open, pos), next_close = xml.find(close, pos);
    if (next_close == std::string::npos) return std::nullopt;
    if (next_open != std::string::npos && next_open < next_close) {
      auto og = xml.find('>', next_open);
      if (og != std::string::npos && xml[og - 1] != '/' && tag_name_at(xml, next_open) == name)
        ++depth;
      pos = next_open + open.size();
    } else {
      --depth;
      pos = next_close + close.size();
    }
  }
  return Span{lt, pos};
}
}  // namespace

std::vector<std::string> plist_keys(const std::string& xml) {
  std::vector<std::string> out;
  for (auto pos = xml.find("<key>"); pos != std::string::npos; pos = xml.find("<key>", pos + 5)) {
    auto end = xml.find("</key>", pos);
    if (end == std::string::npos) break;
    out.push_back(xml.substr(pos + 5, end - pos - 5));
  }
  return out;
}

std::optional<Span> key_span(const std::string& xml, const std::string& key) {
  auto pos = xml.find("<key>" + key + "</key>");
  if (pos == std::string::npos) return std::nullopt;
  return Span{pos, pos + key.size() + 11};
}

std::optional<Span> value_span(const std::string& xml, const std::string& key) {
  auto k = key_span(xml, key);
  if (!k) return std::nullopt;
  return element_at(xml, xml.find('<', k->end));
}

std::vector<std::string> plist_keys_of_type(const std::string& xml, const std::string& tag) {
  std::vector<std::string> out;
  for (const auto& k : plist_keys(xml)) {
    auto v = value_span(xml, k);
    if (v && tag_name_at(xml, v->begin) == tag) out.push_back(k);
  }
  return out;
}

std::optional<Span> inner_span(const std::string& xml, const Span& element) {
  auto gt = xml.find('>', element.begin);
  auto close = xml.rfind("</", element.end);
  if (gt == std::string::npos || close == std::string::npos || close < gt) return std::nullopt;
  return Span{gt + 1, close};
}

std::string replace(const std::string& xml, const Span& span, const std::string& text) {
  return xml.substr(0, span.begin) + text + xml.substr(span.end);
}

}  // namespace mdmlab::testing::hostile
