// The suite parser, steps: plain steps (do / expect), their expectations and failure
// assertions, variables, and the blocks that make more steps: repeat, parallel, use.
#include <fstream>
#include <regex>

#include "core/files/private_file.hpp"
#include "scenarios/engine/matchers.hpp"
#include "scenarios/engine/parse_support.hpp"
#include "scenarios/engine/variables.hpp"

namespace mdmlab::scenarios::parse {

namespace {
// "$name" and "$name.uuid" anywhere in a value must be bound by an earlier `as`.
Result<void> check_variables(const json& v, const Where& w, const ScenarioScope& scope) {
  if (v.is_string()) {
    auto name = variable_name(v.get<std::string>());
    if (name && !scope.vars.count(*name))
      return w.error("`" + v.get<std::string>() +
                     "` is not bound by an earlier step's `as` (write $$ for a literal $)");
    return success();
  }
  if (v.is_object()) {
    for (const auto& [key, item] : v.items())
      if (auto r = check_variables(item, w.at(key), scope); !r) return r;
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (auto r = check_variables(v[i], w.at(i), scope); !r) return r;
  }
  return success();
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
  for (const char* s : {"server.device", "server.command", "server.ddm", "apns.deliveries",
                        "abm.device", "abm.api", "server.windows_command", "server.windows_device"})
    subjects += e.contains(s);
  if (subjects > 1)
    return w.error(
        "an expectation reads one subject: server.device, server.command, server.ddm, "
        "server.windows_command, server.windows_device, apns.deliveries, abm.device, abm.api or "
        "device");
  if (subjects == 0 && !e.contains("device"))
    return w.error(
        "an expectation needs a subject: server.device, server.command, server.ddm, "
        "server.windows_command, server.windows_device, apns.deliveries, abm.device, abm.api or "
        "device");
  if (e.contains("abm.api") && e["abm.api"] != "dep")
    return w.at("abm.api").error("abm.api names the DEP API: \"dep\"");
  // A group as subject: the expectation holds for every member.
  for (const char* s : {"server.device", "server.ddm", "apns.deliveries", "abm.device",
                        "server.windows_device", "device"})
    if (e.contains(s)) {
      KeySpec spec{s, ValueKind::device};
      if (auto r = check_value(spec, e[s], w.at(s), scope, true); !r) return r;
    }
  for (const char* key : {"server.command", "server.windows_command"}) {
    if (!e.contains(key)) continue;
    const auto& c = e[key];
    if (!c.is_string())
      return w.at(key).error(std::string(key) + " is a CommandUUID or $name; got " + short_dump(c));
    if (auto r = check_variables(c, w.at(key), scope); !r) return r;
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
  for (const auto& m : names_of(matcher_table()))
    if (e.contains(m))
      if (auto r = check_variables(e[m], w.at(m), scope); !r) return r;
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
  if (auto r = only_keys(j, {"do", "with", "expect", "as", "within", "stays", "timeout", "clock"},
                         w, "a step");
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
    std::string kind = scope.is_party(party) ? scope.kind_of(party) : party;
    if (kind != "mac" && kind != "windows" && kind != "server" && kind != "apns" && kind != "abm" &&
        kind != "entra" && kind != "clock") {
      std::vector<std::string> parties(scope.devices.begin(), scope.devices.end());
      for (const auto& [g, members] : scope.groups) parties.push_back(g);
      for (const char* p : {"server", "apns", "abm", "entra", "clock"}) parties.emplace_back(p);
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
      if (auto r = check_variables(s.with, w.at("with"), scope); !r) return r.error();
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
    for (const char* key : {"within", "stays", "clock"})
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
    if (j.contains("clock")) {
      if (j["clock"] != "virtual")
        return w.at("clock").error(
            "clock is \"virtual\" (within/stays on the scenario's virtual clock)");
      s.virtual_time = true;
    }
  } else {
    return w.error("a step has 'do' or 'expect'");
  }
  if (j.contains("as")) {
    if (!j["as"].is_string() || j["as"].get<std::string>().empty())
      return w.at("as").error("'as' is a name for what the step returns");
    if (s.action != "server.enqueue" && s.action != "server.windows_command")
      return w.at("as").error(
          "'as' names the CommandUUID of a server.enqueue step (or the command_uuid of a "
          "server.windows_command step)");
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

constexpr int kMaxIncludeDepth = 8;
constexpr std::size_t kMaxSteps = 100000;

// {"use": "fixtures/enrolled-mac.json", "with": {"device": "mac1"}}: the fixture's steps, with
// every "${param}" in its strings replaced by the argument. The fixture is
// {"description": "...", "params": ["device"], "steps": [...]}.
Result<std::vector<Step>> parse_use(const json& j, const Where& w, ScenarioScope& scope) {
  if (auto r = only_keys(j, {"use", "with"}, w, "a use block"); !r) return r.error();
  if (!j["use"].is_string()) return w.at("use").error("use is the path of a fixture file");
  if (scope.base.empty())
    return w.at("use").error("use needs a suite read from a file (fixtures are relative to it)");
  if (scope.include_depth >= kMaxIncludeDepth)
    return w.at("use").error("fixtures nest deeper than " + std::to_string(kMaxIncludeDepth));
  auto file = scope.base / j["use"].get<std::string>();
  auto text = files::read_text_file(file);
  if (!text) return w.at("use").error("cannot read " + file.string() + ": " + text.error().message);
  auto fixture = json::parse(*text, nullptr, false);
  Where fw{"", "fixture " + j["use"].get<std::string>()};
  if (fixture.is_discarded() || !fixture.is_object())
    return w.at("use").error(file.string() + " is not a JSON object");
  if (auto r = only_keys(fixture, {"description", "params", "steps"}, fw, "a fixture"); !r)
    return r.error();
  json args = j.value("with", json::object());
  if (!args.is_object()) return w.at("with").error("with is an object of the fixture's params");
  std::vector<std::string> params;
  if (fixture.contains("params")) {
    if (!fixture["params"].is_array()) return fw.at("params").error("params is an array of names");
    for (const auto& p : fixture["params"]) {
      if (!p.is_string()) return fw.at("params").error("a param is a name (a string)");
      params.push_back(p.get<std::string>());
    }
  }
  if (auto r = only_keys(args, params, w.at("with"), "the fixture's params"); !r) return r.error();
  for (const auto& p : params) {
    if (!args.contains(p)) return w.at("with").error("the fixture needs `" + p + "`");
    if (!args[p].is_string()) return w.at("with").at(p).error("a param's value is a string");
  }
  // Substitute in every string of the steps.
  std::function<void(json&)> substitute = [&](json& v) {
    if (v.is_string()) {
      auto s = v.get<std::string>();
      for (const auto& p : params)
        for (auto pos = s.find("${" + p + "}"); pos != std::string::npos;
             pos = s.find("${" + p + "}", pos))
          s.replace(pos, p.size() + 3, args[p].get<std::string>());
      v = s;
    } else if (v.is_structured()) {
      for (auto& item : v) substitute(item);
    }
  };
  json steps = fixture.value("steps", json());
  substitute(steps);
  ++scope.include_depth;
  auto parsed = parse_steps(steps, fw.at("steps"), scope);
  --scope.include_depth;
  return parsed;
}
}  // namespace

Result<std::vector<Step>> parse_steps(const json& steps, const Where& w, ScenarioScope& scope) {
  if (!steps.is_array() || steps.empty()) return w.error("steps is a non-empty array");
  std::vector<Step> out;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    Where sw = w.at(i);
    sw.context += ", step " + std::to_string(i);
    const auto& j = steps[i];
    if (j.is_object() && j.contains("repeat")) {
      if (auto r = only_keys(j, {"repeat", "steps"}, sw, "a repeat block"); !r) return r.error();
      if (!j["repeat"].is_number_integer() || j["repeat"] < 1 || j["repeat"] > 1000)
        return sw.at("repeat").error("repeat is a count from 1 to 1000");
      auto body = parse_steps(j.value("steps", json()), sw.at("steps"), scope);
      if (!body) return body.error();
      const int n = j["repeat"].get<int>();
      for (int k = 1; k <= n; ++k)
        for (auto st : *body) {
          st.text += " (repeat " + std::to_string(k) + "/" + std::to_string(n) + ")";
          out.push_back(std::move(st));
        }
    } else if (j.is_object() && j.contains("parallel")) {
      if (auto r = only_keys(j, {"parallel"}, sw, "a parallel block"); !r) return r.error();
      const auto& branches = j["parallel"];
      if (!branches.is_array() || branches.size() < 2)
        return sw.at("parallel").error("parallel is an array of two or more step arrays");
      Step block;
      block.action = "parallel";
      block.text = "parallel block of " + std::to_string(branches.size()) + " branches";
      for (std::size_t b = 0; b < branches.size(); ++b) {
        auto branch = parse_steps(branches[b], sw.at("parallel").at(b), scope);
        if (!branch) return branch.error();
        block.branches.push_back(std::move(*branch));
      }
      out.push_back(std::move(block));
    } else if (j.is_object() && j.contains("use")) {
      auto used = parse_use(j, sw, scope);
      if (!used) return used.error();
      for (auto& st : *used) out.push_back(std::move(st));
    } else {
      auto st = parse_step(j, sw, scope);
      if (!st) return st.error();
      out.push_back(std::move(*st));
    }
    if (out.size() > kMaxSteps)
      return sw.error("more than " + std::to_string(kMaxSteps) + " steps once unrolled");
  }
  return out;
}

}  // namespace mdmlab::scenarios::parse
