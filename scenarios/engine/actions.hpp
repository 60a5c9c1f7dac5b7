// The vocabulary of scenario files, as one table: every party's actions with the `with` keys
// each takes (and their types), every device setting, every expectation subject. The suite
// parser checks files against it, so a typo or a wrong type is an error with a JSON pointer
// and a hint, never an exception or a silently ignored key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mdmlab::scenarios {

// What a value must be.
enum class ValueKind {
  string,
  integer,
  boolean,
  object,
  any,          // any JSON value
  duration,     // "250ms", "5s", "2m", "1h", "400d"
  device,       // the id of a device the scenario declares
  device_list,  // a non-empty array of such ids
  number,       // an integer or a real
  number_pair,  // [low, high]
  regex,        // an ECMAScript regular expression
  flag,         // true or false
  matcher,      // an object of matchers, with an optional "field" path
  count,        // an integer, or a matcher object for the size
  string_list   // an array of strings (of one_of, when that is given)
};
std::string_view describe(ValueKind k);

struct KeySpec {
  const char* name;
  ValueKind kind;
  std::vector<const char*> one_of = {};  // allowed strings, when it is a closed set
  const char* doc = "";
};

struct ActionSpec {
  const char* party;  // "mac" (any declared device), "server", "apns", "abm", "clock"
  const char* verb;
  std::vector<KeySpec> with;
  const char* doc;
};

const std::vector<ActionSpec>& action_table();
const ActionSpec* find_action(std::string_view party, std::string_view verb);
// Device settings beside "id" and "type".
const std::vector<KeySpec>& device_settings();
// Scenario-level "server" settings (embedded server only; target runs skip such scenarios).
const std::vector<KeySpec>& server_settings();

// Expectation matchers (matchers.hpp evaluates them).
const std::vector<KeySpec>& matcher_table();
// The keys of {"fail": {...}} on a do step: what the failure must have been.
const std::vector<KeySpec>& failure_table();

// What expectations can read: each subject, what it names and the fields it reports.
struct SubjectSpec {
  const char* key;  // "server.device", "server.command", "apns.deliveries", "device"
  const char* names;
  const char* fields;  // documented fields (paths reach further into decoded values)
  const char* doc;
  const char* needs;  // the capability the subject needs ("" for none)
};
const std::vector<SubjectSpec>& subject_table();

// What a scenario can require of its environment (`requires`), with what it means.
struct CapabilitySpec {
  const char* name;
  const char* doc;
};
const std::vector<CapabilitySpec>& capability_table();

// The closest of `candidates` to `word` (edit distance at most 3), or "" — for "did you mean".
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace mdmlab::scenarios
