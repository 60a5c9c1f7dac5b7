// A JSON Schema (draft 2020-12) for suite files, generated from the vocabulary tables of
// actions.hpp, so editors can complete and check scenario files with the same words the parser
// knows. The parser (scenario.cpp) stays the authority: what the schema cannot say (declared
// device ids, $names bound by `as`, `requires` against the steps, ...) is listed by
// parser_only_rules() and repeated in the schema's description and in scenarios/README.md.
// `mdmlab schema` prints it; tests/scenarios/scenario_schema_test.cpp holds the committed copy
// (scenarios/schema/suite.schema.json) to it and both checkers to the same verdicts.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "scenarios/engine/actions.hpp"

namespace mdmlab::scenarios {

nlohmann::json suite_schema();

// What only the parser checks, one sentence each.
const std::vector<std::string>& parser_only_rules();

// Facts the parser holds outside the tables (scenario.cpp), shared by the schema and the
// reference so neither spells them a second time.
namespace suite_format {
// Parties that are services; any other party of a `do` is a declared device of type "mac".
std::vector<std::string> service_parties();
inline constexpr const char* device_type = "mac";
inline constexpr const char* device_party = "mac";  // action_table()'s party for devices
// Macs and Windows PCs: the schema cannot tell a device's type from its id, so a device's
// verbs are those of both.
inline bool is_device_party(std::string_view party) {
  return party == "mac" || party == "windows";
}
// The only action whose step may carry `as`.
inline constexpr const char* as_action = "server.enqueue";
inline constexpr const char* windows_as_action = "server.windows_command";
// The subject that also picks the device of a server.command expectation.
inline constexpr const char* qualifier_subject = "device";
// Subjects an expectation's "channel" goes with.
std::vector<std::string> channel_subjects();
// The "channel" key as actions take it (values device | user).
const KeySpec& channel_key();
// A duration as documented: a decimal number and a unit.
inline constexpr const char* duration_pattern = "^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)$";
// parse_path()'s grammar: names (no `.` or `[`) and [integer] indexes, `.` between.
std::string path_pattern();
// "a string", "\"signed\" or \"unsigned\"", "an array of strings", ... for docs.
std::string type_text(const KeySpec& spec);
}  // namespace suite_format

}  // namespace mdmlab::scenarios
