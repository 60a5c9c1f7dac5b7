// The reference is prose around the tables: the prose says how a file is laid out (the parser's
// skeleton), the tables say every word it may contain. Anything listed in actions.cpp appears
// here by generation, never by hand.
#include "scenarios/engine/reference_doc.hpp"

#include <sstream>

#include "scenarios/engine/actions.hpp"
#include "scenarios/engine/suite_schema.hpp"

namespace mdmlab::scenarios {

namespace {
namespace fmt = suite_format;

// A Markdown table cell: `|` would end the cell, a newline the row.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out.empty() ? "—" : out;
}

// Table docs are phrases ("send CheckOut"); under a heading they read as sentences.
std::string sentence(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

std::string code(const std::string& text) {
  return "`" + text + "`";
}

void key_table(std::ostringstream& out, const std::vector<KeySpec>& keys, const char* first) {
  out << "| " << first << " | value | meaning |\n|---|---|---|\n";
  for (const auto& k : keys)
    out << "| " << code(k.name) << " | " << cell(fmt::type_text(k)) << " | " << cell(k.doc)
        << " |\n";
}

void layout(std::ostringstream& out) {
  out << R"(## File layout

A suite is one JSON file in `scenarios/suites/`. Every object is closed: a key the parser does
not know is an error naming its JSON pointer, the scenario, the step and the closest known key.

```json
{
  "name": "apple-smoke",
  "description": "optional",
  "scenarios": [
    {
      "name": "enrolls and answers a command",
      "description": "optional",
      "tags": ["apple", "smoke"],
      "requires": ["admin_api", "apns"],
      "devices": [{"id": "mac1", "type": "mac", "os": "14.5"}],
      "server": {"cert_binding": ["strict"]},
      "steps": [
        {"do": "mac1.enroll"},
        {"do": "server.enqueue", "with": {"device": "mac1", "type": "ProfileList"}, "as": "list"},
        {"expect": {"server.command": "$list", "field": "status", "equals": "Acknowledged"}, "within": "5s"}
      ]
    }
  ]
}
```

| level | keys |
|---|---|
| suite | `scenarios` (required, an array), `name`, `description` |
| scenario | `name` (required, unique in the suite), `steps` (required, not empty), `description`, `tags` (strings), `requires` ([capabilities](#capabilities-requires)), `devices`, `server` ([server settings](#server-settings)) |
| device | `id` (required, unique, not a service name), `type` (`)"
      << fmt::device_type
      << R"(`, the default, or `windows`), and the [device settings](#device-settings) |
| do step | `do` (`party.action`), `with` (the action's keys), `expect` (`"ok"`, `"fail"` or `{"fail": {...}}`, see [failure assertions](#failure-assertions)), `timeout`, `as` (only on `)"
      << fmt::as_action << "` or `" << fmt::windows_as_action
      << R"(`: names its command's uuid, read later as `"$name"`) |
| expect step | `expect` (an [expectation](#expectations)), then `within` (poll until it holds, at most this long) or `stays` (it holds at once and throughout), not both; `"clock": "virtual"` counts them on the scenario's virtual clock, which the runner advances while it polls (needs `virtual_clock`) |

The party of a `do` is a device id of the scenario or a service (`)";
  auto services = fmt::service_parties();
  for (std::size_t i = 0; i < services.size(); ++i) out << (i ? "`, `" : "") << services[i];
  out << "`). A do step fails the scenario when its action fails, unless `expect` says it must "
         "fail.\n\n";
}

void actions(std::ostringstream& out) {
  out << "## Actions\n\n";
  std::string party;
  for (const auto& a : action_table()) {
    if (party != a.party) {
      party = a.party;
      out << "### "
          << (party == fmt::device_party ? "Macs (`<device>` is a Mac's id)"
              : party == "windows"       ? "Windows PCs (`<device>` is a PC's id)"
                                         : party)
          << "\n\n";
    }
    auto name = (fmt::is_device_party(party) ? std::string("<device>") : party) + "." + a.verb;
    out << "#### `" << name << "`\n\n" << sentence(a.doc) << ".\n\n";
    if (a.with.empty())
      out << "No `with` keys.\n\n";
    else
      key_table(out, a.with, "`with` key"), out << "\n";
  }
}

void settings(std::ostringstream& out) {
  out << "## Device settings\n\nBeside `id` and `type`, a device takes:\n\n";
  key_table(out, device_settings(), "setting");
  out << "\n## Server settings\n\nA scenario's `server` object configures the embedded "
         "reference server; runs against a target skip such scenarios.\n\n";
  key_table(out, server_settings(), "setting");
  out << "\n";
}

void expectations(std::ostringstream& out) {
  out << "## Expectations\n\nAn expectation reads one subject's report at a `field` (a "
         "[path](#paths)) and applies matchers, which must all hold:\n\n"
         "```json\n{\"expect\": {\"server.device\": \"mac1\", \"field\": \"state\", "
         "\"equals\": \"enrolled\"}, \"within\": \"5s\"}\n```\n\n"
         "### Subjects\n\n"
         "| subject | names | fields | what it reads | needs |\n|---|---|---|---|---|\n";
  for (const auto& s : subject_table())
    out << "| " << code(s.key) << " | " << cell(s.names) << " | " << cell(s.fields) << " | "
        << cell(s.doc) << " | " << (*s.needs ? code(s.needs) : "—") << " |\n";
  auto channel = fmt::channel_key();
  out << "\n`" << fmt::qualifier_subject << "` also goes beside `server.command` to pick whose "
      << "result is read. `channel` (" << cell(fmt::type_text(channel)) << ") goes with ";
  auto subjects = fmt::channel_subjects();
  for (std::size_t i = 0; i < subjects.size(); ++i) out << (i ? " or " : "") << code(subjects[i]);
  out << ".\n\n### Matchers\n\nAt least one; `present` and `absent` not together. `any`, `all` "
         "and an object `count` hold matchers of their own (`any` and `all` with an optional "
         "`field` read inside each element).\n\n";
  key_table(out, matcher_table(), "matcher");
  out << "\n## Failure assertions\n\nOn a do step, `\"expect\": \"fail\"` accepts any failure; "
         "`{\"fail\": {...}}` says what it must have been (every key given must hold):\n\n";
  key_table(out, failure_table(), "key");
  out << "\n";
}

void capabilities_and_syntax(std::ostringstream& out) {
  out << "## Capabilities (`requires`)\n\nWhat a scenario needs of where it runs. The parser "
         "infers them from the steps; when `requires` is given it must list every inferred "
         "one. Against a target that lacks one, the scenario is skipped with the reason.\n\n"
         "| capability | meaning |\n|---|---|\n";
  for (const auto& c : capability_table())
    out << "| " << code(c.name) << " | " << cell(c.doc) << " |\n";
  out << "\n## Durations\n\n`within`, `stays`, `timeout` and duration values of `with` are "
         "a decimal number and a unit: `250ms`, `5s`, `1.5m`, `2h`, `400d` (pattern `"
      << fmt::duration_pattern << "`), at most 100 years.\n\n"
      << R"(## Paths

A `field` walks into the subject's report: names separated by `.`, and `[i]` indexes into
arrays (negative ones count from the end). A string holding an XML plist (a command result
as the admin API keeps it) is decoded when the path goes on into it.

    state    result.QueryResponses.OSVersion    result.ErrorChain[0].ErrorCode
    deliveries[-1].status    commands[0].request_type    [0]

)";
}

void boundary_and_editors(std::ostringstream& out) {
  out << "## What only the parser checks\n\n`scenarios/schema/suite.schema.json` (JSON Schema "
         "draft 2020-12) says everything above that a schema can say. The parser "
         "(`mdmlab run`) also checks:\n\n";
  for (const auto& rule : parser_only_rules()) out << "- " << rule << "\n";
  out << R"(
## Point your editor at the schema

VS Code: in `.vscode/settings.json` (or the user settings)

```json
{
  "json.schemas": [
    {"fileMatch": ["scenarios/suites/*.json"], "url": "./scenarios/schema/suite.schema.json"}
  ]
}
```

Other editors with a JSON language server take the same mapping. Do not add a `"$schema"` key
to suite files: the parser refuses keys it does not know.
)";
}
}  // namespace

std::string scenario_reference_markdown() {
  std::ostringstream out;
  out << "# Scenario files\n\n<!-- Generated by `mdmlab schema --markdown` from "
         "scenarios/engine/actions.cpp; edit the tables there, then regenerate. -->\n\n"
         "Scenarios describe what devices, the server, APNs and the clock do, and what must "
         "then be true. `mdmlab run scenarios/suites/apple-smoke.json` runs a suite against the "
         "embedded reference server (or `--target`).\n\n";
  layout(out);
  actions(out);
  settings(out);
  expectations(out);
  capabilities_and_syntax(out);
  boundary_and_editors(out);
  return out.str();
}

}  // namespace mdmlab::scenarios
