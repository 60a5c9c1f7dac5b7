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
  any,         // any JSON value
  duration,    // "250ms", "5s", "2m", "1h", "400d"
  device,      // the id of a device the scenario declares
  device_list  // a non-empty array of such ids
};
std::string_view describe(ValueKind k);

struct KeySpec {
  const char* name;
  ValueKind kind;
  std::vector<const char*> one_of = {};  // allowed strings, when it is a closed set
  const char* doc = "";
};

struct ActionSpec {
  const char* party;  // "mac" (any declared device), "server", "apns", "clock"
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

// The closest of `candidates` to `word` (edit distance at most 3), or "" — for "did you mean".
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace mdmlab::scenarios
