#include "scenarios/engine/parse_support.hpp"

#include <regex>

namespace mdmlab::scenarios::parse {

std::string short_dump(const json& j) {
  auto s = j.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

// Unknown keys are errors, with the closest known one as a hint.
Result<void> only_keys(const json& obj, const std::vector<std::string>& known, const Where& w,
                       const char* what) {
  for (const auto& [key, value] : obj.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    auto hint = closest(key, known);
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    return w.at(key).error("unknown key `" + key + "` in " + what +
                           (hint.empty() ? "" : "; did you mean `" + hint + "`?") +
                           " (known: " + list + ")");
  }
  return success();
}

Result<void> check_value(const KeySpec& spec, const json& v, const Where& w,
                         const ScenarioScope& scope, bool groups_allowed) {
  auto wrong = [&] {
    return w.error(std::string(spec.name) + " must be " + std::string(describe(spec.kind)) +
                   "; got " + short_dump(v));
  };
  auto known_device = [&](const json& id, bool group_ok) -> Result<void> {
    if (!id.is_string()) return wrong();
    const auto name = id.get<std::string>();
    if (group_ok && scope.groups.count(name)) return success();
    if (!scope.devices.count(name)) {
      std::vector<std::string> ids(scope.devices.begin(), scope.devices.end());
      if (group_ok)
        for (const auto& [g, members] : scope.groups) ids.push_back(g);
      auto hint = closest(id.get<std::string>(), ids);
      return w.error("no device `" + id.get<std::string>() + "` in this scenario" +
                     (hint.empty() ? "" : "; did you mean `" + hint + "`?"));
    }
    return success();
  };
  switch (spec.kind) {
    case ValueKind::string:
      if (!v.is_string()) return wrong();
      if (!spec.one_of.empty()) {
        auto s = v.get<std::string>();
        bool ok = false;
        std::string list;
        for (const char* o : spec.one_of) {
          ok = ok || s == o;
          list += (list.empty() ? "" : ", ") + std::string(o);
        }
        if (!ok)
          return w.error(std::string(spec.name) + " is one of " + list + "; got " + short_dump(v));
      }
      return success();
    case ValueKind::integer:
      return v.is_number_integer() ? success() : wrong();
    case ValueKind::boolean:
      return v.is_boolean() ? success() : wrong();
    case ValueKind::object:
      return v.is_object() ? success() : wrong();
    case ValueKind::any:
      return success();
    case ValueKind::duration: {
      if (!v.is_string()) return wrong();
      auto d = parse_duration(v.get<std::string>());
      if (!d) return w.error(d.error().message);
      return success();
    }
    case ValueKind::device:
      return known_device(v, groups_allowed);
    case ValueKind::device_list:
      if (!v.is_array() || v.empty()) return wrong();
      // A list of devices may name groups: they stand for their members.
      for (std::size_t i = 0; i < v.size(); ++i)
        if (auto r = known_device(v[i], true); !r) return r;
      return success();
    case ValueKind::number:
      return v.is_number() ? success() : wrong();
    case ValueKind::number_pair:
      if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number()) return wrong();
      if (v[0].get<double>() > v[1].get<double>())
        return w.error(std::string(spec.name) + " needs low <= high; got " + short_dump(v));
      return success();
    case ValueKind::regex:
      if (!v.is_string()) return wrong();
      try {
        std::regex compiled(v.get<std::string>());
      } catch (const std::regex_error& e) {
        return w.error("`" + v.get<std::string>() + "` is not a regular expression: " + e.what());
      }
      return success();
    case ValueKind::flag:
      return v.is_boolean() ? success() : wrong();
    case ValueKind::matcher:
      return v.is_object() ? success() : wrong();
    case ValueKind::count:
      return v.is_number_integer() || v.is_object() ? success() : wrong();
    case ValueKind::string_list: {
      if (!v.is_array()) return wrong();
      KeySpec item = spec;
      item.kind = ValueKind::string;
      for (std::size_t i = 0; i < v.size(); ++i)
        if (auto r = check_value(item, v[i], w.at(i), scope); !r) return r;
      return success();
    }
  }
  return wrong();
}

// Keys of `obj` checked against `specs` (unknown keys refused, types checked).
Result<void> check_keys(const json& obj, const std::vector<KeySpec>& specs,
                        const std::vector<std::string>& extra_known, const Where& w,
                        const char* what, const ScenarioScope& scope) {
  std::vector<std::string> known = extra_known;
  for (const auto& s : specs) known.push_back(s.name);
  if (auto r = only_keys(obj, known, w, what); !r) return r;
  for (const auto& s : specs)
    if (obj.contains(s.name))
      if (auto r = check_value(s, obj[s.name], w.at(s.name), scope); !r) return r;
  return success();
}

std::vector<std::string> names_of(const std::vector<KeySpec>& specs) {
  std::vector<std::string> names;
  for (const auto& s : specs) names.emplace_back(s.name);
  return names;
}

}  // namespace mdmlab::scenarios::parse
