// The suite parser: strict at every level (suite, scenario, device, step, `with`, expect).
// Every refusal names the JSON pointer of the offending value, the scenario and the step, and
// where it can, the closest known key ("did you mean"). This file reads suites, scenarios and
// devices; scenario_steps.cpp reads steps.
#include "scenarios/engine/scenario.hpp"

#include <algorithm>
#include <regex>

#include "core/files/private_file.hpp"
#include "scenarios/engine/capabilities.hpp"
#include "scenarios/engine/parse_support.hpp"

namespace mdmlab::scenarios {
using nlohmann::json;
using parse::Where;

Result<std::chrono::milliseconds> parse_duration(const std::string& text) {
  // The documented form only (the schema's pattern): digits, an optional fraction, a unit.
  static const std::regex form(R"(^[0-9]+(\.[0-9]+)?(ms|s|m|h|d)$)");
  if (!std::regex_match(text, form))
    return make_error(
        "bad_duration",
        "duration '" + text + "' is not like \"250ms\", \"5s\", \"1.5m\", \"2h\" or \"400d\"");
  std::size_t pos = 0;
  double value = std::stod(text, &pos);
  auto unit = text.substr(pos);
  double ms = 0;
  if (unit == "ms")
    ms = value;
  else if (unit == "s")
    ms = value * 1000;
  else if (unit == "m")
    ms = value * 60000;
  else if (unit == "h")
    ms = value * 3600000;
  else if (unit == "d")
    ms = value * 86400000;
  else
    return make_error("bad_duration", "duration '" + text + "' needs a unit: ms, s, m, h or d");
  // 100 years is more than any scenario needs and far from int64 milliseconds' limit.
  if (ms > 100.0 * 365 * 86400000)
    return make_error("bad_duration", "duration '" + text + "' is too long");
  return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

namespace {
constexpr std::size_t kMaxDevices = 10000;

// One declaration, one device or a range: {"id": "mac[1..50]", "group": "sales", ...}.
Result<std::vector<DeviceSpec>> parse_devices(const json& dj, const Where& w,
                                              const json& defaults) {
  if (!dj.is_object())
    return w.error("a device is an object like {\"id\": \"mac1\", \"type\": \"mac\"}");
  if (!dj.contains("id") || !dj["id"].is_string() || dj["id"].get<std::string>().empty())
    return w.error("a device needs an id (a string)");
  std::string type = "mac";
  if (dj.contains("type")) {
    if (!dj["type"].is_string()) return w.at("type").error("type is a string");
    type = dj["type"].get<std::string>();
  }
  if (type != "mac" && type != "windows")
    return w.at("type").error("device type '" + type + "' is not supported (mac, windows)");
  json settings = defaults;  // suite defaults, then the device's own
  for (const auto& [key, value] : dj.items()) settings[key] = value;
  const auto id = dj["id"].get<std::string>();
  static const std::regex range(R"(^([A-Za-z_][A-Za-z0-9_-]*)\[([0-9]{1,5})\.\.([0-9]{1,5})\]$)");
  std::smatch m;
  if (!std::regex_match(id, m, range)) {
    if (id.find('[') != std::string::npos || id.find('.') != std::string::npos)
      return w.at("id").error("`" + id + "` is neither an id nor a range like \"mac[1..50]\"");
    return std::vector<DeviceSpec>{{id, type, settings}};
  }
  const int first = std::stoi(m[2].str()), last = std::stoi(m[3].str());
  if (first > last) return w.at("id").error("range `" + id + "` runs backwards");
  if (static_cast<std::size_t>(last - first + 1) > kMaxDevices)
    return w.at("id").error("more than " + std::to_string(kMaxDevices) + " devices");
  std::vector<DeviceSpec> out;
  for (int n = first; n <= last; ++n) {
    DeviceSpec d{m[1].str() + std::to_string(n), type, settings};
    d.settings["id"] = d.id;
    out.push_back(std::move(d));
  }
  return out;
}

Result<void> parse_scenario_devices(const json& sj, const Where& w, const json& defaults,
                                    Scenario& sc, parse::ScenarioScope& scope) {
  if (!sj["devices"].is_array()) return w.at("devices").error("devices is an array");
  std::vector<std::size_t> declared_at;  // which declaration each device came from
  for (std::size_t i = 0; i < sj["devices"].size(); ++i) {
    auto dw = w.at("devices").at(i);
    auto ds = parse_devices(sj["devices"][i], dw, defaults);
    if (!ds) return ds.error();
    for (auto& d : *ds) {
      if (!scope.devices.insert(d.id).second)
        return dw.at("id").error("two devices have the id `" + d.id + "`");
      scope.types[d.id] = d.type;
      if (d.id == "server" || d.id == "apns" || d.id == "clock")
        return dw.at("id").error("`" + d.id + "` names a service");
      if (sc.devices.size() >= kMaxDevices)
        return dw.at("id").error("more than " + std::to_string(kMaxDevices) + " devices");
      sc.devices.push_back(std::move(d));
      declared_at.push_back(i);
    }
  }
  // Groups, once every id is known: a group shares no name with a device or a service.
  for (std::size_t k = 0; k < sc.devices.size(); ++k) {
    const auto& d = sc.devices[k];
    if (!d.settings.contains("group") || !d.settings["group"].is_string()) continue;
    auto g = d.settings["group"].get<std::string>();
    auto gw = w.at("devices").at(declared_at[k]).at("group");
    if (scope.devices.count(g) || g == "server" || g == "apns" || g == "clock" || g.empty() ||
        g.find('.') != std::string::npos)
      return gw.error("group `" + g + "` needs a name of its own (not a device or a service)");
    auto& members = scope.groups[g];
    if (!members.empty() && scope.types[members.front()] != d.type)
      return gw.error("group `" + g + "` mixes device types: a step on it would mean two things");
    members.push_back(d.id);
  }
  sc.groups = scope.groups;
  // Settings are checked once every id is known (same_udid_as refers to another device).
  for (std::size_t k = 0; k < sc.devices.size(); ++k) {
    const auto& d = sc.devices[k];
    auto dw = w.at("devices").at(declared_at[k]);
    if (auto r =
            parse::check_keys(d.settings, device_settings(), {"id", "type"}, dw, "a device", scope);
        !r)
      return r.error();
    if (d.settings.value("same_udid_as", json()) == d.id)
      return dw.at("same_udid_as").error("a device cannot share its own UDID");
  }
  return success();
}

// Suite-level defaults: {"within": "10s", "device": {"model": "Mac14,2", "os": "14.5"}}.
Result<void> parse_defaults(const json& j, const Where& w, Suite& suite) {
  if (!j.is_object()) return w.error("defaults is an object");
  if (auto r = parse::only_keys(j, {"within", "device"}, w, "the defaults"); !r) return r;
  if (j.contains("within")) {
    if (!j["within"].is_string()) return w.at("within").error("within is like \"5s\"");
    auto d = parse_duration(j["within"].get<std::string>());
    if (!d) return w.at("within").error(d.error().message);
    suite.default_within = *d;
  }
  if (j.contains("device")) {
    const auto& d = j["device"];
    if (!d.is_object()) return w.at("device").error("device is an object of device settings");
    parse::ScenarioScope none;
    for (const char* key : {"same_udid_as", "group"})
      if (d.contains(key)) return w.at("device").at(key).error("names one device; not a default");
    if (auto r =
            parse::check_keys(d, device_settings(), {}, w.at("device"), "device defaults", none);
        !r)
      return r;
    suite.device_defaults = d;
  }
  return success();
}
}  // namespace

Result<Suite> parse_suite(const std::string& text, const std::filesystem::path& base) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return make_error("bad_suite", "suite is not valid JSON");
  Where root;
  if (!j.is_object()) return root.error("a suite is an object with a 'scenarios' array");
  if (auto r =
          parse::only_keys(j, {"name", "description", "defaults", "scenarios"}, root, "the suite");
      !r)
    return r.error();
  if (!j.contains("scenarios") || !j["scenarios"].is_array())
    return root.error("suite needs a 'scenarios' array");
  if (j.contains("name") && !j["name"].is_string())
    return root.at("name").error("name is a string");
  if (j.contains("description") && !j["description"].is_string())
    return root.at("description").error("description is a string");
  Suite suite;
  suite.name = j.value("name", std::string("suite"));
  if (j.contains("defaults"))
    if (auto r = parse_defaults(j["defaults"], root.at("defaults"), suite); !r) return r.error();
  std::set<std::string> names;
  for (std::size_t si = 0; si < j["scenarios"].size(); ++si) {
    const auto& sj = j["scenarios"][si];
    Where w = root.at("scenarios").at(si);
    if (!sj.is_object() || !sj.contains("name") || !sj["name"].is_string())
      return w.error("a scenario is an object with a name (a string)");
    Scenario sc;
    sc.name = sj["name"].get<std::string>();
    w.context = "scenario '" + sc.name + "'";
    if (!names.insert(sc.name).second) return w.at("name").error("two scenarios have this name");
    if (auto r = parse::only_keys(
            sj, {"name", "description", "tags", "requires", "devices", "steps", "server"}, w,
            "a scenario");
        !r)
      return r.error();
    if (sj.contains("description") && !sj["description"].is_string())
      return w.at("description").error("description is a string");
    if (sj.contains("tags")) {
      if (!sj["tags"].is_array()) return w.at("tags").error("tags is an array of strings");
      for (std::size_t i = 0; i < sj["tags"].size(); ++i) {
        if (!sj["tags"][i].is_string()) return w.at("tags").at(i).error("a tag is a string");
        sc.tags.push_back(sj["tags"][i].get<std::string>());
      }
    }
    parse::ScenarioScope scope;
    scope.base = base;
    if (sj.contains("devices"))
      if (auto r = parse_scenario_devices(sj, w, suite.device_defaults, sc, scope); !r)
        return r.error();
    if (sj.contains("server")) {
      const auto& server = sj["server"];
      if (!server.is_object()) return w.at("server").error("server is an object of settings");
      if (auto r = parse::check_keys(server, server_settings(), {}, w.at("server"),
                                     "server settings", scope);
          !r)
        return r.error();
      sc.server = server;
    }
    if (!sj.contains("steps") || !sj["steps"].is_array() || sj["steps"].empty())
      return w.error("a scenario needs steps (a non-empty array)");
    auto steps = parse::parse_steps(sj["steps"], w.at("steps"), scope);
    if (!steps) return steps.error();
    sc.steps = std::move(*steps);
    if (sj.contains("requires")) {
      auto rw = w.at("requires");
      if (!sj["requires"].is_array()) return rw.error("requires is an array of capabilities");
      std::vector<std::string> known;
      for (const auto& c : capability_table()) known.emplace_back(c.name);
      for (std::size_t i = 0; i < sj["requires"].size(); ++i) {
        const auto& c = sj["requires"][i];
        if (!c.is_string()) return rw.at(i).error("a capability is a string");
        auto name = c.get<std::string>();
        if (std::find(known.begin(), known.end(), name) == known.end()) {
          auto hint = closest(name, known);
          return rw.at(i).error("unknown capability `" + name + "`" +
                                (hint.empty() ? "" : "; did you mean `" + hint + "`?"));
        }
        sc.required.push_back(name);
      }
      // A declaration that forgets what the steps use would let a target run fail instead of
      // skip: the parser holds the list to what it can see.
      for (const auto& need : inferred_needs(sc))
        if (std::find(sc.required.begin(), sc.required.end(), need) == sc.required.end())
          return rw.error("the steps need `" + need + "`; add it to requires");
    }
    suite.scenarios.push_back(std::move(sc));
  }
  return suite;
}

Result<Suite> parse_suite_file(const std::filesystem::path& file) {
  auto text = files::read_text_file(file);
  if (!text)
    return make_error("bad_suite", "cannot read " + file.string() + ": " + text.error().message);
  return parse_suite(*text,
                     file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path());
}

}  // namespace mdmlab::scenarios