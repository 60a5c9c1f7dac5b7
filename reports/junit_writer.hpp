// JUnit XML for CI systems: one <testcase> per scenario, failures with the step, what was
// expected and last seen, and the scenario's step log.
#pragma once

#include <string>

#include "scenarios/engine/runner.hpp"

namespace mdmlab::reports {

std::string junit_xml(const scenarios::SuiteResult& result);

}  // namespace mdmlab::reports
