// `mdmlab schema [--markdown]`: the JSON Schema of suite files (2-space JSON) or the scenario
// reference (Markdown), both generated from the parser's tables. The repository keeps their
// output as scenarios/schema/suite.schema.json and scenarios/README.md; a test holds them equal.
#include <iostream>
#include <memory>

#include "apps/commands/commands.hpp"
#include "scenarios/engine/reference_doc.hpp"
#include "scenarios/engine/suite_schema.hpp"

namespace mdmlab::apps {

Action add_schema_command(CLI::App& app) {
  auto markdown = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "schema", "Print the JSON Schema of scenario suites (or, with --markdown, their reference)");
  cmd->add_flag("--markdown", *markdown, "Print scenarios/README.md instead of the schema");
  return [markdown] {
    if (*markdown)
      std::cout << scenarios::scenario_reference_markdown();
    else
      std::cout << scenarios::suite_schema().dump(2) << "\n";
    return std::cout.flush() ? 0 : 1;
  };
}

}  // namespace mdmlab::apps
