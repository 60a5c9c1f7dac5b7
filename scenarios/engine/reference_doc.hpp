// scenarios/README.md, generated from the same tables the parser and the schema use, so the
// reference cannot drift from what the parser accepts. `mdmlab schema --markdown` prints it;
// tests/scenarios/scenario_schema_test.cpp holds the committed copy to it byte for byte.
#pragma once

#include <string>

namespace mdmlab::scenarios {

std::string scenario_reference_markdown();

}  // namespace mdmlab::scenarios
