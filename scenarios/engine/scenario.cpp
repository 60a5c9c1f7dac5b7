// The suite parser: strict at every level (suite, scenario, device, step, `with`, expect).
// Every refusal names the JSON pointer of the offending value, the scenario and the step, and
// where it can, the closest known key ("did you mean").
#include "scenarios/engine/scenario.hpp"

#include <cmath>
#include <set>

#include <regex>

#include "scenarios/engine/actions.hpp"
#include "scenarios/engine/capabilities.hpp"
#include "scenarios/engine/matchers.hpp"

namespace mdmlab::scenarios {
using nlohmann::json;

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
// Where we are in the file, for error messages.
struct Where {
  std::string pointer;  // RFC 6901, e.g. /scenarios/0/steps/2/with/udid_of
  std::string context;  // e.g. "scenario 'x', step 2"
  Where at(const std::string& key) const {
    std::string escaped;
    for (char c : key) {
      if (c == '~')
        escaped += "~0";
      else if (c == '/')
        escaped += "~1";
      else
        escaped += c;
    }
    return {pointer + "/" + escaped, context};
  }
  Where at(std::size_t i) const { return {pointer + "/" + std::to_string(i), context}; }
  Error error(const std::string& what) const {
    return make_error("bad_suite", (pointer.empty() ? std::string("/") : pointer) +
                                       (context.empty() ? "" : " (" + context + ")") + ": " + what);
  }
};

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

struct ScenarioScope {
  std::set<std::string> devices;
  std::set<std::string> vars;  // names bound by `as` in earlier steps
};

Result<void> check_value(const KeySpec& spec, const json& v, const Where& w,
                         const ScenarioScope& scope) {
  auto wrong = [&] {
    return w.error(std::string(spec.name) + " must be " + std::string(describe(spec.kind)) +
                   "; got " + short_dump(v));
  };
  auto known_device = [&](const json& id) -> Result<void> {
    if (!id.is_string()) return wrong();
    if (!scope.devices.count(id.get<std::string>())) {
      std::vector<std::string> ids(scope.devices.begin(), scope.devices.end());
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
      return known_device(v);
    case ValueKind::device_list:
      if (!v.is_array() || v.empty()) return wrong();
      for (std::size_t i = 0; i < v.size(); ++i)
        if (auto r = known_device(v[i]); !r) return r;
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

Result<void> check_path(const json& field, const Where& w) {
  if (!field.is_string())
    return w.error(
        "field is a path (a string), e.g. \"status\" or \"result.QueryResponses.OSVersion\"");
  auto path = parse_path(field.get<std::string>());
  if (!path) return w.error(path.error().message);
  return success();
}

// The matchers of an expectation or of a nested any / all / count object: at least one, each
// of the right type, nested ones checked the same way.
Result<void> check_matchers(const json& m, const Where& w, const ScenarioScope& scope) {
  auto present = matcher_keys_in(m);
  if (present.empty()) {
    std::string list;
    for (const auto& k : names_of(matcher_table())) list += (list.empty() ? "" : ", ") + k;
    return w.error("no matcher; use one or more of " + list);
  }
  for (const auto& spec : matcher_table()) {
    if (!m.contains(spec.name)) continue;
    if (auto r = check_value(spec, m[spec.name], w.at(spec.name), scope); !r) return r;
    const auto& arg = m[spec.name];
    if (spec.kind == ValueKind::matcher || (spec.kind == ValueKind::count && arg.is_object())) {
      auto inner = names_of(matcher_table());
      if (spec.kind == ValueKind::matcher) inner.emplace_back("field");
      if (auto r = only_keys(arg, inner, w.at(spec.name), "a matcher"); !r) return r;
      if (arg.contains("field"))
        if (auto r = check_path(arg["field"], w.at(spec.name).at("field")); !r) return r;
      if (auto r = check_matchers(arg, w.at(spec.name), scope); !r) return r;
    }
  }
  if (m.contains("present") && m.contains("absent"))
    return w.error("present and absent together say the same thing twice; keep one");
  return success();
}

Result<void> check_expect(const json& e, const Where& w, const ScenarioScope& scope) {
  if (!e.is_object())
    return w.error(
        "expect is an object like {\"device\": \"mac1\", \"field\": \"state\", \"equals\": "
        "\"enrolled\"}");
  std::vector<std::string> known = {"channel", "field"};
  for (const auto& subject : subject_table()) known.emplace_back(subject.key);
  for (const auto& m : names_of(matcher_table())) known.push_back(m);
  if (auto r = only_keys(e, known, w, "an expectation"); !r) return r;
  int subjects = 0;
  for (const char* s : {"server.device", "server.command", "apns.deliveries"})
    subjects += e.contains(s);
  if (subjects > 1)
    return w.error(
        "an expectation reads one subject: server.device, server.command, apns.deliveries or "
        "device");
  if (subjects == 0 && !e.contains("device"))
    return w.error(
        "an expectation needs a subject: server.device, server.command, apns.deliveries or device");
  for (const char* s : {"server.device", "apns.deliveries", "device"})
    if (e.contains(s)) {
      KeySpec spec{s, ValueKind::device};
      if (auto r = check_value(spec, e[s], w.at(s), scope); !r) return r;
    }
  if (e.contains("server.command")) {
    const auto& c = e["server.command"];
    if (!c.is_string())
      return w.at("server.command")
          .error("server.command is a CommandUUID or $name; got " + short_dump(c));
    auto name = c.get<std::string>();
    if (!name.empty() && name[0] == '$' && !scope.vars.count(name.substr(1)))
      return w.at("server.command").error("`" + name + "` is not bound by an earlier step's `as`");
  }
  if (e.contains("device") && subjects == 1 && !e.contains("server.command"))
    return w.at("device").error(
        "`device` picks the device of a server.command; with another subject it means nothing");
  if (e.contains("channel")) {
    KeySpec spec{"channel", ValueKind::string, {"device", "user"}};
    if (auto r = check_value(spec, e["channel"], w.at("channel"), scope); !r) return r;
    if (!e.contains("server.device") && !e.contains("server.command"))
      return w.at("channel").error("channel goes with server.device or server.command");
  }
  if (!e.contains("field"))
    return w.error("expect needs a field (a path), e.g. \"field\": \"status\"");
  if (auto r = check_path(e["field"], w.at("field")); !r) return r;
  return check_matchers(e, w, scope);
}

// {"fail": {...}} on a do step: what the failure must have been.
Result<json> check_failure(const json& f, const Where& w, const ScenarioScope& scope) {
  if (!f.is_object() || f.size() != 1 || !f.contains("fail") || !f["fail"].is_object())
    return w.error(
        "on a do step, expect is \"ok\", \"fail\" or {\"fail\": {...}} (e.g. {\"fail\": "
        "{\"status\": 403}})");
  if (auto r = check_keys(f["fail"], failure_table(), {}, w.at("fail"), "a failure", scope); !r)
    return r.error();
  return f["fail"];
}

Result<Step> parse_step(const json& j, const Where& w, ScenarioScope& scope) {
  if (!j.is_object()) return w.error("a step is an object with \"do\" or \"expect\"");
  if (auto r =
          only_keys(j, {"do", "with", "expect", "as", "within", "stays", "timeout"}, w, "a step");
      !r)
    return r.error();
  Step s;
  s.text = j.dump();
  if (j.contains("do")) {
    if (!j["do"].is_string()) return w.at("do").error("'do' is a string like \"mac1.enroll\"");
    s.action = j["do"].get<std::string>();
    auto dot = s.action.find('.');
    if (dot == std::string::npos)
      return w.at("do").error("'do' must name party.action, got '" + s.action + "'");
    auto party = s.action.substr(0, dot), verb = s.action.substr(dot + 1);
    std::string kind = scope.devices.count(party) ? "mac" : party;
    if (kind != "mac" && kind != "server" && kind != "apns" && kind != "clock") {
      std::vector<std::string> parties(scope.devices.begin(), scope.devices.end());
      for (const char* p : {"server", "apns", "clock"}) parties.emplace_back(p);
      auto hint = closest(party, parties);
      return w.at("do").error("no device or service named `" + party + "`" +
                              (hint.empty() ? "" : "; did you mean `" + hint + "`?"));
    }
    const auto* spec = find_action(kind, verb);
    if (!spec) {
      std::vector<std::string> verbs;
      for (const auto& a : action_table())
        if (kind == a.party) verbs.emplace_back(a.verb);
      auto hint = closest(verb, verbs);
      return w.at("do").error("`" + party + "` cannot `" + verb + "`" +
                              (hint.empty() ? "" : "; did you mean `" + hint + "`?"));
    }
    if (j.contains("with")) {
      if (!j["with"].is_object()) return w.at("with").error("'with' is an object");
      s.with = j["with"];
      if (auto r = check_keys(s.with, spec->with, {}, w.at("with"), "`with`", scope); !r)
        return r.error();
    } else {
      s.with = json::object();
    }
    if (j.contains("expect")) {
      const auto& e = j["expect"];
      if (e.is_string() && (e == "fail" || e == "ok")) {
        s.expect_failure = e == "fail";
      } else {
        auto f = check_failure(e, w.at("expect"), scope);
        if (!f) return f.error();
        s.expect_failure = true;
        s.fail = *f;
      }
    }
    for (const char* key : {"within", "stays"})
      if (j.contains(key))
        return w.at(key).error(std::string("`") + key +
                               "` applies to expect steps; a do step runs once (use `timeout`)");
  } else if (j.contains("expect")) {
    s.action = "expect";
    s.expect = j["expect"];
    if (auto r = check_expect(s.expect, w.at("expect"), scope); !r) return r.error();
    if (j.contains("with")) return w.at("with").error("'with' belongs to do steps");
    if (j.contains("timeout"))
      return w.at("timeout").error("`timeout` applies to do steps; expect steps use `within`");
    if (j.contains("within") && j.contains("stays"))
      return w.error("`within` (eventually) and `stays` (throughout) exclude each other");
  } else {
    return w.error("a step has 'do' or 'expect'");
  }
  if (j.contains("as")) {
    if (!j["as"].is_string() || j["as"].get<std::string>().empty())
      return w.at("as").error("'as' is a name for what the step returns");
    if (s.action != "server.enqueue")
      return w.at("as").error("'as' names the CommandUUID of a server.enqueue step");
    s.as = j["as"].get<std::string>();
    scope.vars.insert(s.as);
  }
  for (auto [key, out] : {std::pair{"within", &s.within}, std::pair{"stays", &s.stays},
                          std::pair{"timeout", &s.timeout}}) {
    if (!j.contains(key)) continue;
    if (!j[key].is_string()) return w.at(key).error(std::string(key) + " is like \"5s\"");
    auto d = parse_duration(j[key].get<std::string>());
    if (!d) return w.at(key).error(d.error().message);
    *out = *d;
  }
  return s;
}

Result<DeviceSpec> parse_device(const json& dj, const Where& w) {
  if (!dj.is_object())
    return w.error("a device is an object like {\"id\": \"mac1\", \"type\": \"mac\"}");
  if (!dj.contains("id") || !dj["id"].is_string() || dj["id"].get<std::string>().empty())
    return w.error("a device needs an id (a string)");
  DeviceSpec d{dj["id"].get<std::string>(), "mac", dj};
  if (dj.contains("type")) {
    if (!dj["type"].is_string()) return w.at("type").error("type is a string");
    d.type = dj["type"].get<std::string>();
  }
  if (d.type != "mac")
    return w.at("type").error("device type '" + d.type + "' is not supported yet (mac)");
  return d;
}
}  // namespace

Result<Suite> parse_suite(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return make_error("bad_suite", "suite is not valid JSON");
  Where root;
  if (!j.is_object()) return root.error("a suite is an object with a 'scenarios' array");
  if (auto r = only_keys(j, {"name", "description", "scenarios"}, root, "the suite"); !r)
    return r.error();
  if (!j.contains("scenarios") || !j["scenarios"].is_array())
    return root.error("suite needs a 'scenarios' array");
  if (j.contains("name") && !j["name"].is_string())
    return root.at("name").error("name is a string");
  if (j.contains("description") && !j["description"].is_string())
    return root.at("description").error("description is a string");
  Suite suite;
  suite.name = j.value("name", std::string("suite"));
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
    if (auto r =
            only_keys(sj, {"name", "description", "tags", "requires", "devices", "steps", "server"},
                      w, "a scenario");
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
    ScenarioScope scope;
    if (sj.contains("devices")) {
      if (!sj["devices"].is_array()) return w.at("devices").error("devices is an array");
      for (std::size_t i = 0; i < sj["devices"].size(); ++i) {
        auto d = parse_device(sj["devices"][i], w.at("devices").at(i));
        if (!d) return d.error();
        if (!scope.devices.insert(d->id).second)
          return w.at("devices").at(i).at("id").error("two devices have the id `" + d->id + "`");
        if (d->id == "server" || d->id == "apns" || d->id == "clock")
          return w.at("devices").at(i).at("id").error("`" + d->id + "` names a service");
        sc.devices.push_back(std::move(*d));
      }
      // Settings are checked once every id is known (same_udid_as refers to another device).
      for (std::size_t i = 0; i < sc.devices.size(); ++i) {
        const auto& d = sc.devices[i];
        auto dw = w.at("devices").at(i);
        if (auto r =
                check_keys(d.settings, device_settings(), {"id", "type"}, dw, "a device", scope);
            !r)
          return r.error();
        if (d.settings.value("same_udid_as", json()) == d.id)
          return dw.at("same_udid_as").error("a device cannot share its own UDID");
      }
    }
    if (sj.contains("server")) {
      const auto& server = sj["server"];
      if (!server.is_object()) return w.at("server").error("server is an object of settings");
      if (auto r =
              check_keys(server, server_settings(), {}, w.at("server"), "server settings", scope);
          !r)
        return r.error();
      sc.server = server;
    }
    if (!sj.contains("steps") || !sj["steps"].is_array() || sj["steps"].empty())
      return w.error("a scenario needs steps (a non-empty array)");
    for (std::size_t i = 0; i < sj["steps"].size(); ++i) {
      Where sw = w.at("steps").at(i);
      sw.context += ", step " + std::to_string(i);
      auto st = parse_step(sj["steps"][i], sw, scope);
      if (!st) return st.error();
      sc.steps.push_back(std::move(*st));
    }
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

}  // namespace mdmlab::scenarios
