// What a scenario needs of where it runs (capability_table() in actions.hpp): declared in its
// `requires`, and inferred from its steps so a declaration cannot forget one. Against a target
// that lacks one, the scenario is skipped with the reason, never run to a confusing failure.
#pragma once

#include <set>
#include <string>

#include "scenarios/engine/environment.hpp"
#include "scenarios/engine/scenario.hpp"

namespace mdmlab::scenarios {

// The capabilities the scenario's devices, steps and settings use.
std::set<std::string> inferred_needs(const Scenario& scenario);
// What it needs: inferred, plus what it says it requires.
std::set<std::string> needs_of(const Scenario& scenario);
// What a scenario needs (declared and inferred) that the endpoints lack, as a sentence ("" when
// it can run).
std::string missing_capability(const Scenario& scenario, const Endpoints& endpoints);

}  // namespace mdmlab::scenarios
