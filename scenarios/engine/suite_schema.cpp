// The schema is built from the tables; only the file's skeleton (which keys a suite, a
// scenario, a device and a step have) is written here, because the parser writes it too.
// Where the parser is strict the schema is strict: additionalProperties false at every level,
// enums for closed sets, and an if/then per action so `with` is checked against the verb.
#include "scenarios/engine/suite_schema.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace mdmlab::scenarios {
using nlohmann::json;

namespace suite_format {

std::vector<std::string> service_parties() {
  std::vector<std::string> parties;
  for (const auto& a : action_table())
    if (!is_device_party(a.party) &&
        std::find(parties.begin(), parties.end(), a.party) == parties.end())
      parties.emplace_back(a.party);
  return parties;
}

std::vector<std::string> channel_subjects() {
  return {"server.device", "server.command"};
}

const KeySpec& channel_key() {
  for (const auto& a : action_table())
    for (const auto& k : a.with)
      if (std::string(k.name) == "channel") return k;
  throw std::logic_error("action_table() has no `channel` key");
}

std::string path_pattern() {
  // An index: an optional minus and at most 18 digits (parse_path says the same).
  const std::string step = R"((?:[^.\[]+|\[-?[0-9]{1,18}\]))";
  return "^" + step + "(?:\\.?" + step + ")*$";
}

std::string type_text(const KeySpec& spec) {
  std::string values;
  for (std::size_t i = 0; i < spec.one_of.size(); ++i)
    values += std::string(i == 0                        ? ""
                          : i + 1 == spec.one_of.size() ? " or "
                                                        : ", ") +
              "\"" + spec.one_of[i] + "\"";
  if (spec.kind == ValueKind::string_list)
    return values.empty() ? "an array of strings" : "an array of " + values;
  if (!values.empty()) return values;
  return std::string(describe(spec.kind));
}

}  // namespace suite_format

const std::vector<std::string>& parser_only_rules() {
  static const std::vector<std::string> rules = {
      "every device a step names (the party of `do`, device keys of `with`, expectation "
      "subjects, same_udid_as) is declared in the scenario's devices",
      "device ids are unique in a scenario, scenario names unique in a suite, and a device's "
      "same_udid_as is another device",
      "every \"$name\" / \"$name.uuid\" in server.command, `with` and matcher values is bound by "
      "the `as` of an earlier step (\"$$\" starts a literal $)",
      "a group name (the `group` setting) is not also a device id or a service; a range id "
      "\"mac[1..50]\" runs forwards and names at most 10,000 devices",
      "a fixture named by `use` exists, has only description, params and steps, and gets every "
      "param it declares",
      "`requires`, when given, lists every capability the steps use (the parser infers them)",
      "`matches` is a valid ECMAScript regular expression",
      "`between` is [low, high] with low <= high",
      "a duration is at most 100 years",
      "a path's [index] has at most 18 digits",
      "an integer is written without a fraction: JSON Schema counts 1.0 as an integer, the "
      "parser does not",
  };
  return rules;
}

namespace {
namespace fmt = suite_format;

std::string regex_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string_view(".^$|()[]{}*+?\\/").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string alternation(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : "|") + regex_escape(w);
  return "(?:" + out + ")";
}

// `do` values an action accepts: "server.push" for services, "<any id but a service>.enroll"
// for devices (the parser takes the text before the first dot as the party).
std::string do_alternatives(const std::string& party, const std::vector<std::string>& verbs) {
  if (!fmt::is_device_party(party)) return regex_escape(party) + "\\." + alternation(verbs);
  return "(?!" + alternation(fmt::service_parties()) + "\\.)[^.]+\\." + alternation(verbs);
}

std::string doc_of(const KeySpec& spec) {
  auto type = fmt::type_text(spec);
  return *spec.doc ? std::string(spec.doc) + " [" + type + "]" : type;
}

json value_schema(const KeySpec& spec) {
  json s;
  switch (spec.kind) {
    case ValueKind::string:
      s = {{"type", "string"}};
      break;
    case ValueKind::integer:
      s = {{"type", "integer"}};
      break;
    case ValueKind::boolean:
    case ValueKind::flag:
      s = {{"type", "boolean"}};
      break;
    case ValueKind::object:
      s = {{"type", "object"}};
      break;
    case ValueKind::any:
      s = json::object();
      break;
    case ValueKind::duration:
      s = {{"type", "string"}, {"pattern", fmt::duration_pattern}};
      break;
    case ValueKind::device:
      s = {{"type", "string"}, {"minLength", 1}};
      break;
    case ValueKind::device_list:
      s = {{"type", "array"}, {"minItems", 1}, {"items", {{"type", "string"}, {"minLength", 1}}}};
      break;
    case ValueKind::number:
      s = {{"type", "number"}};
      break;
    case ValueKind::number_pair:
      s = {{"type", "array"}, {"minItems", 2}, {"maxItems", 2}, {"items", {{"type", "number"}}}};
      break;
    case ValueKind::regex:
      s = {{"type", "string"}};
      break;
    case ValueKind::matcher:
      s = {{"$ref", "#/$defs/element_matcher"}};
      break;
    case ValueKind::count:
      s = {{"anyOf", {{{"type", "integer"}}, {{"$ref", "#/$defs/size_matcher"}}}}};
      break;
    case ValueKind::string_list:
      s = {{"type", "array"}, {"items", {{"type", "string"}}}};
      break;
  }
  json values = json::array();
  for (const char* o : spec.one_of) values.push_back(o);
  if (spec.kind == ValueKind::string_list) {
    if (!values.empty()) s["items"]["enum"] = values;
  } else if (!values.empty()) {
    s["enum"] = values;
  }
  s["description"] = doc_of(spec);
  return s;
}

json object_of(const std::vector<KeySpec>& specs) {
  json props = json::object();
  for (const auto& k : specs) props[k.name] = value_schema(k);
  return {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
}

json any_required(const std::vector<std::string>& keys) {
  json any = json::array();
  for (const auto& k : keys) any.push_back({{"required", {k}}});
  return any;
}

std::vector<std::string> matcher_names() {
  std::vector<std::string> names;
  for (const auto& m : matcher_table()) names.emplace_back(m.name);
  return names;
}

json field_schema(const std::string& doc) {
  return {{"type", "string"}, {"pattern", fmt::path_pattern()}, {"description", doc}};
}

// Matchers as an object: at least one, and present / absent not both (check_matchers).
json matcher_object(bool with_field) {
  auto o = object_of(matcher_table());
  if (with_field)
    o["properties"]["field"] = field_schema("a path inside each element (default: the element)");
  o["anyOf"] = any_required(matcher_names());
  o["not"] = {{"required", {"present", "absent"}}};
  return o;
}

json expectation_schema() {
  auto o = matcher_object(false);
  o["description"] = "one subject, a field (a path) and one or more matchers that must all hold";
  auto& props = o["properties"];
  std::vector<std::string> subjects, exclusive;
  for (const auto& s : subject_table()) {
    props[s.key] = {
        {"type", "string"},
        {"minLength", 1},
        {"description", std::string(s.doc) + ". Names " + s.names + ". Fields: " + s.fields}};
    subjects.emplace_back(s.key);
    if (std::string(s.key) != fmt::qualifier_subject) exclusive.emplace_back(s.key);
  }
  props[fmt::qualifier_subject]["description"] =
      props[fmt::qualifier_subject]["description"].get<std::string>() +
      " (beside server.command: which device's result)";
  auto channel = value_schema(fmt::channel_key());
  channel["description"] = "the device or the user channel of server.device / server.command";
  props["channel"] = channel;
  props["field"] = field_schema(
      "where to read in the subject's report: names and [index] (negative from the end), "
      "e.g. result.QueryResponses.OSVersion or deliveries[-1].status");
  o["required"] = {"field"};
  json all = json::array();
  all.push_back({{"anyOf", any_required(subjects)}});
  all.push_back({{"anyOf", o["anyOf"]}});  // the matchers' own anyOf, kept beside the subjects'
  o.erase("anyOf");
  // One subject: the exclusive ones exclude each other (the qualifier goes with any).
  json dependent = json::object();
  for (const auto& s : exclusive) {
    std::vector<std::string> others;
    for (const auto& t : exclusive)
      if (t != s) others.push_back(t);
    dependent[s] = {{"not", {{"anyOf", any_required(others)}}}};
  }
  dependent["channel"] = {{"anyOf", any_required(fmt::channel_subjects())}};
  o["dependentSchemas"] = dependent;
  o["allOf"] = all;
  return o;
}

json do_expect_schema() {
  json fail = object_of(failure_table());
  fail["description"] = "what the failure must have been";
  return {
      {"description", "\"ok\" (default), \"fail\", or {\"fail\": {...}} saying how it must fail"},
      {"anyOf",
       {{{"enum", {"ok", "fail"}}},
        {{"type", "object"},
         {"properties", {{"fail", fail}}},
         {"required", {"fail"}},
         {"additionalProperties", false}}}}};
}

// One if/then per action: a step whose `do` names it gets that action's `with` keys.
json action_rules() {
  json rules = json::array();
  std::set<std::string> device_verbs_done;
  for (const auto& a : action_table()) {
    const bool device = fmt::is_device_party(a.party);
    if (device && !device_verbs_done.insert(a.verb).second) continue;
    auto pattern = "^" + do_alternatives(a.party, {a.verb}) + "$";
    // A device verb takes the `with` keys of every device type that has it.
    std::vector<KeySpec> keys = a.with;
    std::string doc = a.doc;
    if (device)
      for (const auto& other : action_table())
        if (&other != &a && fmt::is_device_party(other.party) &&
            std::string(other.verb) == a.verb) {
          for (const auto& k : other.with)
            if (std::none_of(keys.begin(), keys.end(),
                             [&](const KeySpec& x) { return std::string(x.name) == k.name; }))
              keys.push_back(k);
          doc += "; " + std::string(other.party) + ": " + other.doc;
        }
    auto with = object_of(keys);
    auto party = device ? std::string("<device>") : std::string(a.party);
    with["description"] = party + "." + a.verb + ": " + doc;
    rules.push_back(
        {{"if", {{"properties", {{"do", {{"pattern", pattern}}}}}, {"required", {"do"}}}},
         {"then", {{"properties", {{"with", with}}}}}});
  }
  return rules;
}

json step_schema() {
  std::vector<std::string> parties;
  std::string do_doc = "party.action; the party is a device id of the scenario or a service:";
  json examples = json::array();
  for (const auto& a : action_table()) {
    if (std::find(parties.begin(), parties.end(), a.party) == parties.end())
      parties.emplace_back(a.party);
    auto party = fmt::is_device_party(a.party) ? std::string("<device>") : std::string(a.party);
    do_doc += "\n" + party + "." + a.verb + ": " + a.doc;
    examples.push_back((party == "<device>" ? "mac1" : party) + "." + a.verb);
  }
  std::string pattern;
  for (const auto& p : parties) {
    std::vector<std::string> verbs;
    for (const auto& a : action_table())
      if (p == a.party) verbs.emplace_back(a.verb);
    pattern += (pattern.empty() ? "" : "|") + do_alternatives(p, verbs);
  }
  KeySpec duration{"", ValueKind::duration};
  auto dur = [&](const char* doc) {
    auto d = value_schema(duration);
    d["description"] = std::string(doc) + " [" + std::string(describe(ValueKind::duration)) + "]";
    return d;
  };
  json props = {
      {"do",
       {{"type", "string"},
        {"pattern", "^(?:" + pattern + ")$"},
        {"description", do_doc},
        {"examples", examples}}},
      {"with", {{"type", "object"}, {"description", "the action's parameters"}}},
      {"expect",
       {{"description", "on a do step: ok / fail / {\"fail\": {...}}; alone: an expectation"}}},
      {"as",
       {{"type", "string"},
        {"minLength", 1},
        {"description", std::string("a name for the CommandUUID of a ") + fmt::as_action +
                            " step (or the command_uuid of a " + fmt::windows_as_action +
                            " step); later steps read it as \"$name\""}}},
      {"within", dur("expect steps: poll until the expectation holds, at most this long")},
      {"stays", dur("expect steps: holds at once and throughout this long")},
      {"timeout", dur("do steps: give up after this long")},
      {"clock",
       {{"const", "virtual"},
        {"description",
         "expect steps: within/stays count the scenario's virtual clock, advanced by the runner "
         "while it polls (needs virtual_clock)"}}},
  };
  json do_step = {
      {"properties",
       {{"expect", do_expect_schema()}, {"within", false}, {"stays", false}, {"clock", false}}},
      {"allOf", action_rules()}};
  json expect_step = {{"required", {"expect"}},
                      {"properties",
                       {{"expect", {{"$ref", "#/$defs/expectation"}}},
                        {"with", false},
                        {"timeout", false},
                        {"as", false}}},
                      {"not", {{"required", {"within", "stays"}}}}};
  json as_rule = {{"required", {"do"}},
                  {"properties",
                   {{"do",
                     {{"pattern", "^(?:" + regex_escape(fmt::as_action) + "|" +
                                      regex_escape(fmt::windows_as_action) + ")$"}}}}}};
  return {{"type", "object"},
          {"description", "a do step (an action) or an expect step (an expectation)"},
          {"properties", props},
          {"additionalProperties", false},
          {"if", {{"required", {"do"}}}},
          {"then", do_step},
          {"else", expect_step},
          {"dependentSchemas", {{"as", as_rule}}}};
}

json device_schema() {
  auto o = object_of(device_settings());
  json services = json::array();
  for (const auto& s : fmt::service_parties()) services.push_back(s);
  o["properties"]["id"] = {{"type", "string"},
                           {"minLength", 1},
                           {"not", {{"enum", services}}},
                           {"description", "the device's name in this scenario, e.g. mac1"}};
  o["properties"]["type"] = {{"enum", {fmt::device_type, "windows"}},
                             {"description", "the kind of device: mac (default) or windows"}};
  o["required"] = {"id"};
  o["description"] = "a simulated device: its id, type and behaviour settings";
  return o;
}

json steps_of() {
  return {{"type", "array"}, {"minItems", 1}, {"items", {{"$ref", "#/$defs/step_or_block"}}}};
}

json scenario_schema() {
  json capabilities = json::array();
  std::string cap_doc = "what the scenario needs of where it runs:";
  for (const auto& c : capability_table()) {
    capabilities.push_back(c.name);
    cap_doc += "\n" + std::string(c.name) + ": " + c.doc;
  }
  auto server = object_of(server_settings());
  server["description"] = "settings of the embedded reference server (target runs skip these)";
  json strings = {{"type", "array"}, {"items", {{"type", "string"}}}};
  return {{"type", "object"},
          {"required", {"name", "steps"}},
          {"additionalProperties", false},
          {"properties",
           {{"name", {{"type", "string"}, {"description", "unique in the suite"}}},
            {"description", {{"type", "string"}}},
            {"tags", strings},
            {"requires",
             {{"type", "array"}, {"items", {{"enum", capabilities}}}, {"description", cap_doc}}},
            {"devices", {{"type", "array"}, {"items", {{"$ref", "#/$defs/device"}}}}},
            {"steps", steps_of()},
            {"server", server}}}};
}

// Blocks beside plain steps: repeat, parallel (branches of steps) and use (a fixture file).
json block_schemas() {
  json repeat = {{"type", "object"},
                 {"required", {"repeat", "steps"}},
                 {"additionalProperties", false},
                 {"description", "the steps, this many times in a row"},
                 {"properties",
                  {{"repeat", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}}},
                   {"steps", steps_of()}}}};
  json parallel = {
      {"type", "object"},
      {"required", {"parallel"}},
      {"additionalProperties", false},
      {"description", "branches that run at the same time, each one's steps in order"},
      {"properties", {{"parallel", {{"type", "array"}, {"minItems", 2}, {"items", steps_of()}}}}}};
  json use = {{"type", "object"},
              {"required", {"use"}},
              {"additionalProperties", false},
              {"description",
               "the steps of a fixture file (relative to the suite), its ${params} replaced"},
              {"properties",
               {{"use", {{"type", "string"}, {"minLength", 1}}},
                {"with", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}}}};
  return {{"anyOf", {{{"$ref", "#/$defs/step"}}, repeat, parallel, use}}};
}

json defaults_schema() {
  auto device = object_of(device_settings());
  for (const char* one_device_only : {"same_udid_as", "group"})
    device["properties"].erase(one_device_only);
  device["description"] = "settings every device starts from (its own win)";
  KeySpec duration{"within", ValueKind::duration, {}, "the default `within` of expect steps"};
  return {{"type", "object"},
          {"additionalProperties", false},
          {"properties", {{"within", value_schema(duration)}, {"device", device}}}};
}
}  // namespace

json suite_schema() {
  std::string description =
      "An mdmlab scenario suite (scenarios/README.md). Generated from the parser's tables by "
      "`mdmlab schema`. The parser also checks what a schema cannot:";
  for (const auto& rule : parser_only_rules()) description += "\n- " + rule;
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"title", "mdmlab scenario suite"},
          {"description", description},
          {"type", "object"},
          {"required", {"scenarios"}},
          {"additionalProperties", false},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"description", {{"type", "string"}}},
            {"defaults", defaults_schema()},
            {"scenarios", {{"type", "array"}, {"items", {{"$ref", "#/$defs/scenario"}}}}}}},
          {"$defs",
           {{"scenario", scenario_schema()},
            {"device", device_schema()},
            {"step", step_schema()},
            {"step_or_block", block_schemas()},
            {"expectation", expectation_schema()},
            {"element_matcher", matcher_object(true)},
            {"size_matcher", matcher_object(false)}}}};
}

}  // namespace mdmlab::scenarios
