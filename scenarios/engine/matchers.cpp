#include "scenarios/engine/matchers.hpp"

#include <cctype>
#include <regex>

#include "protocol/plist/json.hpp"
#include "protocol/plist/xml.hpp"
#include "scenarios/engine/actions.hpp"

namespace mdmlab::scenarios {
using nlohmann::json;

Result<Path> parse_path(std::string_view text) {
  Path path;
  std::size_t i = 0;
  auto bad = [&](const std::string& why) {
    return make_error("bad_path", "path `" + std::string(text) + "`: " + why);
  };
  if (text.empty()) return bad("empty");
  while (i < text.size()) {
    if (text[i] == '[') {
      auto close = text.find(']', i);
      if (close == std::string_view::npos) return bad("`[` without `]`");
      auto number = std::string(text.substr(i + 1, close - i - 1));
      // Digits with an optional minus, nothing else (the schema's pattern says the same).
      bool digits = !number.empty() && number != "-" && number.size() <= 18;
      for (std::size_t k = 0; k < number.size(); ++k)
        digits = digits && (std::isdigit(static_cast<unsigned char>(number[k])) ||
                            (k == 0 && number[k] == '-'));
      if (!digits) return bad("`[" + number + "]` is not an index");
      const std::int64_t index = std::stoll(number);
      path.push_back({"", index, true});
      i = close + 1;
      if (i < text.size() && text[i] == '.') {
        ++i;
        if (i == text.size()) return bad("ends with `.`");
      }
      continue;
    }
    auto end = text.find_first_of(".[", i);
    auto key = text.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    if (key.empty()) return bad("an empty name");
    path.push_back({std::string(key), 0, false});
    if (end == std::string_view::npos) break;
    i = end;
    if (text[i] == '.') {
      ++i;
      if (i == text.size()) return bad("ends with `.`");
    }
  }
  return path;
}

namespace {
// A command result or a report body kept as XML plist text: decoded for paths into it.
std::optional<json> decoded(const json& v) {
  if (!v.is_string()) return std::nullopt;
  const auto& s = v.get_ref<const std::string&>();
  if (s.find("<plist") == std::string::npos) return std::nullopt;
  auto value = plist::from_xml(s);
  if (!value) return std::nullopt;
  return plist::to_json(*value);
}
}  // namespace

std::optional<json> lookup(const json& doc, const Path& path) {
  json current = doc;
  for (const auto& seg : path) {
    if (current.is_string())
      if (auto d = decoded(current)) current = std::move(*d);
    if (seg.is_index) {
      if (!current.is_array()) return std::nullopt;
      auto n = static_cast<std::int64_t>(current.size());
      auto at = seg.index < 0 ? n + seg.index : seg.index;
      if (at < 0 || at >= n) return std::nullopt;
      json next = current[static_cast<std::size_t>(at)];
      current = std::move(next);
    } else {
      if (!current.is_object() || !current.contains(seg.key)) return std::nullopt;
      json next = current[seg.key];
      current = std::move(next);
    }
  }
  return current;
}

std::vector<std::string> matcher_keys_in(const json& m) {
  std::vector<std::string> keys;
  for (const auto& spec : matcher_table())
    if (m.contains(spec.name)) keys.emplace_back(spec.name);
  return keys;
}

namespace {
bool equal(const json& want, const json& seen) {
  if (want.is_number() && seen.is_number()) return want.get<double>() == seen.get<double>();
  return want == seen;
}

std::string text_of(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

bool one(const std::string& name, const json& arg, const std::optional<json>& seen) {
  if (name == "present") return seen.has_value() == arg.get<bool>();
  if (name == "absent") return !seen.has_value() == arg.get<bool>();
  if (!seen) return false;
  const json& v = *seen;
  if (name == "equals") return equal(arg, v);
  if (name == "not_equals") return !equal(arg, v);
  if (name == "contains") {
    if (v.is_array())
      for (const auto& item : v)
        if (equal(arg, item)) return true;
    if (v.is_object() && arg.is_string() && v.contains(arg.get<std::string>())) return true;
    return text_of(v).find(text_of(arg)) != std::string::npos;
  }
  if (name == "matches") {
    // The pattern was compiled once by the parser, so it is valid here.
    return std::regex_search(text_of(v), std::regex(arg.get<std::string>()));
  }
  if (name == "gte") return v.is_number() && v.get<double>() >= arg.get<double>();
  if (name == "lte") return v.is_number() && v.get<double>() <= arg.get<double>();
  if (name == "between")
    return v.is_number() && v.get<double>() >= arg[0].get<double>() &&
           v.get<double>() <= arg[1].get<double>();
  if (name == "count") {
    if (!v.is_array() && !v.is_object()) return false;
    json size = v.size();
    return arg.is_object() ? matches(arg, size) : equal(arg, size);
  }
  if (name == "any" || name == "all") {
    if (!v.is_array() && !v.is_object()) return false;
    std::optional<Path> path;
    if (arg.contains("field")) path = parse_path(arg["field"].get<std::string>()).value();
    bool any = false, all = true;
    for (const auto& item : v) {
      auto inner = path ? lookup(item, *path) : std::optional<json>(item);
      bool ok = matches(arg, inner);
      any = any || ok;
      all = all && ok;
    }
    return name == "any" ? any : all;
  }
  return false;
}
}  // namespace

bool matches(const json& m, const std::optional<json>& seen) {
  for (const auto& key : matcher_keys_in(m))
    if (!one(key, m[key], seen)) return false;
  return true;
}

std::string describe_matchers(const json& m) {
  std::string out;
  for (const auto& key : matcher_keys_in(m)) {
    std::string arg;
    if (key == "any" || key == "all" || (key == "count" && m[key].is_object())) {
      json inner = m[key];
      arg = "(" + (inner.contains("field") ? inner["field"].get<std::string>() + " " : "") +
            describe_matchers(inner) + ")";
    } else {
      arg = m[key].dump();
    }
    out += (out.empty() ? "" : " and ") + key + " " + arg;
  }
  return out;
}

}  // namespace mdmlab::scenarios
