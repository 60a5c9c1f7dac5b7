#include "scenarios/engine/scenario.hpp"

namespace mdmlab::scenarios {
using nlohmann::json;

Result<std::chrono::milliseconds> parse_duration(const std::string& text) {
  std::size_t pos = 0;
  double value = 0;
  try {
    value = std::stod(text, &pos);
  } catch (...) {
    return make_error("bad_duration", "cannot read duration '" + text + "'");
  }
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
  if (ms < 0) return make_error("bad_duration", "negative duration '" + text + "'");
  return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

namespace {
Result<Step> parse_step(const json& j, const std::string& where) {
  if (!j.is_object()) return make_error("bad_suite", where + ": a step is an object");
  Step s;
  s.text = j.dump();
  for (const auto& [key, value] : j.items()) {
    if (key != "do" && key != "with" && key != "expect" && key != "as" && key != "within")
      return make_error("bad_suite", where + ": unknown key '" + key + "'");
  }
  if (j.contains("do")) {
    if (!j["do"].is_string())
      return make_error("bad_suite", where + ": 'do' is a string like mac1.enroll");
    s.action = j["do"].get<std::string>();
    if (s.action.find('.') == std::string::npos)
      return make_error("bad_suite",
                        where + ": 'do' must name party.action, got '" + s.action + "'");
    if (j.contains("with")) {
      if (!j["with"].is_object()) return make_error("bad_suite", where + ": 'with' is an object");
      s.with = j["with"];
    } else {
      s.with = json::object();
    }
    if (j.contains("expect")) {
      if (!j["expect"].is_string() || (j["expect"] != "fail" && j["expect"] != "ok"))
        return make_error("bad_suite", where + ": on a 'do' step, expect is \"ok\" or \"fail\"");
      s.expect_failure = j["expect"] == "fail";
    }
  } else if (j.contains("expect")) {
    s.action = "expect";
    s.expect = j["expect"];
    if (!s.expect.is_object()) return make_error("bad_suite", where + ": expect is an object");
    if (!s.expect.contains("field"))
      return make_error("bad_suite", where + ": expect needs a field");
    if (!s.expect.contains("equals") && !s.expect.contains("contains"))
      return make_error("bad_suite", where + ": expect needs equals or contains");
  } else {
    return make_error("bad_suite", where + ": a step has 'do' or 'expect'");
  }
  if (j.contains("as")) {
    if (!j["as"].is_string()) return make_error("bad_suite", where + ": 'as' is a name");
    s.as = j["as"].get<std::string>();
  }
  if (j.contains("within")) {
    if (!j["within"].is_string()) return make_error("bad_suite", where + ": within is like \"5s\"");
    auto d = parse_duration(j["within"].get<std::string>());
    if (!d) return make_error("bad_suite", where + ": " + d.error().message);
    s.within = *d;
  }
  return s;
}
}  // namespace

Result<Suite> parse_suite(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return make_error("bad_suite", "suite is not valid JSON");
  if (!j.is_object() || !j.contains("scenarios") || !j["scenarios"].is_array())
    return make_error("bad_suite", "suite needs a 'scenarios' array");
  Suite suite;
  suite.name = j.value("name", std::string("suite"));
  int si = 0;
  for (const auto& sj : j["scenarios"]) {
    std::string where = "scenarios[" + std::to_string(si++) + "]";
    if (!sj.is_object() || !sj.contains("name") || !sj["name"].is_string())
      return make_error("bad_suite", where + ": a scenario needs a name");
    Scenario sc;
    sc.name = sj["name"].get<std::string>();
    where += " (" + sc.name + ")";
    if (sj.contains("tags"))
      for (const auto& t : sj["tags"])
        if (t.is_string()) sc.tags.push_back(t.get<std::string>());
    if (sj.contains("devices")) {
      for (const auto& dj : sj["devices"]) {
        if (!dj.is_object() || !dj.contains("id") || !dj["id"].is_string())
          return make_error("bad_suite", where + ": a device needs an id");
        DeviceSpec d{dj["id"].get<std::string>(), dj.value("type", std::string("mac")), dj};
        if (d.type != "mac")
          return make_error("bad_suite",
                            where + ": device type '" + d.type + "' is not supported yet");
        sc.devices.push_back(std::move(d));
      }
    }
    if (!sj.contains("steps") || !sj["steps"].is_array() || sj["steps"].empty())
      return make_error("bad_suite", where + ": a scenario needs steps");
    int i = 0;
    for (const auto& stj : sj["steps"]) {
      auto st = parse_step(stj, where + ".steps[" + std::to_string(i++) + "]");
      if (!st) return st.error();
      sc.steps.push_back(std::move(*st));
    }
    suite.scenarios.push_back(std::move(sc));
  }
  return suite;
}

}  // namespace mdmlab::scenarios
