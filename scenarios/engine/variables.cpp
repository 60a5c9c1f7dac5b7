#include "scenarios/engine/variables.hpp"

#include <regex>

namespace mdmlab::scenarios {

std::optional<std::string> variable_name(const std::string& text) {
  static const std::regex reference(R"(^\$([A-Za-z_][A-Za-z0-9_]*)(\.uuid)?$)");
  std::smatch m;
  if (!std::regex_match(text, m, reference)) return std::nullopt;
  return m[1].str();
}

nlohmann::json substitute_variables(const nlohmann::json& v,
                                    const std::map<std::string, std::string>& vars) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s.rfind("$$", 0) == 0) return s.substr(1);
    if (auto name = variable_name(s))
      if (auto it = vars.find(*name); it != vars.end()) return it->second;
    return v;
  }
  if (v.is_object()) {
    auto out = nlohmann::json::object();
    for (const auto& [key, item] : v.items()) out[key] = substitute_variables(item, vars);
    return out;
  }
  if (v.is_array()) {
    auto out = nlohmann::json::array();
    for (const auto& item : v) out.push_back(substitute_variables(item, vars));
    return out;
  }
  return v;
}

}  // namespace mdmlab::scenarios
