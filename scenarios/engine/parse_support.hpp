// What the suite parser's files share (scenario.cpp: suites, scenarios, devices;
// scenario_steps.cpp: steps, expectations, blocks): where in the file we are, for errors with
// a JSON pointer; what the scenario has declared so far; the checks against the vocabulary
// tables (actions.hpp). Internal to the parser.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "scenarios/engine/actions.hpp"
#include "scenarios/engine/scenario.hpp"

namespace mdmlab::scenarios::parse {
using nlohmann::json;

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

struct ScenarioScope {
  std::set<std::string> devices;
  std::map<std::string, std::vector<std::string>> groups;  // group name -> device ids
  std::set<std::string> vars;                              // names bound by earlier `as`
  std::filesystem::path base;  // the suite file's folder, for `use` (empty: no includes)
  int include_depth = 0;
  std::map<std::string, std::string> types;  // device id -> "mac" or "windows"
  bool is_party(const std::string& id) const { return devices.count(id) || groups.count(id); }
  // The action table's party for a device or a group (a group takes its first member's type).
  std::string kind_of(const std::string& id) const {
    auto g = groups.find(id);
    const auto& device = g != groups.end() && !g->second.empty() ? g->second.front() : id;
    auto t = types.find(device);
    return t == types.end() ? "mac" : t->second;
  }
};

std::string short_dump(const json& j);
// Unknown keys are errors, with the closest known one as a hint.
Result<void> only_keys(const json& obj, const std::vector<std::string>& known, const Where& w,
                       const char* what);
// One value against its spec. Device ids may name a group where `groups_allowed`.
Result<void> check_value(const KeySpec& spec, const json& v, const Where& w,
                         const ScenarioScope& scope, bool groups_allowed = false);
// Keys of `obj` checked against `specs` (unknown keys refused, types checked).
Result<void> check_keys(const json& obj, const std::vector<KeySpec>& specs,
                        const std::vector<std::string>& extra_known, const Where& w,
                        const char* what, const ScenarioScope& scope);
std::vector<std::string> names_of(const std::vector<KeySpec>& specs);

// A "steps" array: plain steps and blocks (repeat, parallel, use) into the steps the runner
// runs; repeat and use are unrolled here, parallel keeps its branches.
Result<std::vector<Step>> parse_steps(const json& steps, const Where& w, ScenarioScope& scope);

}  // namespace mdmlab::scenarios::parse
