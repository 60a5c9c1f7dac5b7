// Scenario variables: a step's `as` binds a name ("$lock" is the CommandUUID of the command
// queued as "lock"; "$lock.uuid" says the same explicitly). A string that is exactly "$name"
// or "$name.uuid" anywhere in `with` or in an expectation's values stands for the bound value;
// "$$text" is the literal "$text".
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace mdmlab::scenarios {

// The variable a string names, or nullopt when it is not a reference.
std::optional<std::string> variable_name(const std::string& text);
// `v` with every reference replaced by its value and "$$" literals unescaped. Unbound
// references stay as written (the parser refuses them before a run).
nlohmann::json substitute_variables(const nlohmann::json& v,
                                    const std::map<std::string, std::string>& vars);

}  // namespace mdmlab::scenarios
