// Conformance rules: what a device may rely on in what a server sends, each with an id, one
// sentence and where it is written. The simulated devices check them on every message they
// receive (simulators/conformance) and a broken rule fails the scenario with its id, in the
// JUnit failure text, report.html and report.md, whichever server was under test.
#pragma once

#include <string_view>
#include <vector>

namespace mdmlab::conformance {

struct Rule {
  const char* id;      // e.g. "scep.certrep.recipient-nonce"
  const char* says;    // the rule in one sentence
  const char* source;  // where it is written
};

const std::vector<Rule>& rule_table();
// nullptr for an unknown id.
const Rule* find_rule(std::string_view id);

}  // namespace mdmlab::conformance
