// Scenario files: the product's main user interface. A suite is JSON:
//   {"name", "description", "defaults": {"within", "device"}, "scenarios": [{"name", "tags",
//    "requires", "devices": [...], "server": {...}, "steps": [...]}]}
// Steps name a party (a device, a group of devices, server, apns, clock) and an action, or an
// expectation read by path and matchers; blocks (repeat, parallel, use) make more steps. The
// whole vocabulary is one table (actions.hpp) the parser checks files against; the schema
// (scenarios/schema/suite.schema.json) and the reference (scenarios/README.md) are generated
// from it: `mdmlab schema [--markdown]`.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace mdmlab::scenarios {

struct DeviceSpec {
  std::string id;           // e.g. "mac1"
  std::string type;         // "mac"
  nlohmann::json settings;  // model, os, knobs: not_now_polls, error_for, slow_ms
};

struct Step {
  std::string text;    // the step as written, for failure messages
  std::string action;  // "do" target (party.action) or "expect"
  nlohmann::json with;
  nlohmann::json expect;
  std::string as;
  bool expect_failure = false;
  // {"expect": {"fail": {...}}}: what the failure must have been (failure_table()); empty: any.
  nlohmann::json fail = nlohmann::json::object();
  std::chrono::milliseconds within{0};  // expect: poll until it holds, at most this long
  std::chrono::milliseconds stays{0};   // expect: holds at once and for this whole duration
  // expect, "clock": "virtual": within/stays count the scenario's virtual clock, which the
  // runner advances while it polls (days pass in moments).
  bool virtual_time = false;
  std::chrono::milliseconds timeout{0};  // do: give up after this long (0: no limit)
  // action "parallel": branches that run at the same time, each one's steps in order.
  std::vector<std::vector<Step>> branches;
};

struct Scenario {
  std::string name;
  std::vector<std::string> tags;
  std::vector<DeviceSpec> devices;  // ranges ("mac[1..50]") already expanded
  // "group": "sales" on devices: a step or expectation naming the group applies to every member.
  std::map<std::string, std::vector<std::string>> groups;
  std::vector<Step> steps;
  // Settings for the embedded reference server ({"cert_binding": [...]}); a target cannot be
  // reconfigured, so target runs skip scenarios that have any.
  nlohmann::json server = nlohmann::json::object();
  // Capabilities it needs of where it runs (capability_table()); inferred ones are checked
  // against this list by the parser when it is given.
  std::vector<std::string> required;
};

struct Suite {
  std::string name;
  std::vector<Scenario> scenarios;
  // "defaults": {"within": "10s", "device": {settings}}: every device starts from these.
  std::optional<std::chrono::milliseconds> default_within;
  nlohmann::json device_defaults = nlohmann::json::object();
};

// Parses and validates a suite: unknown keys, wrong types, undeclared devices and unbound
// $names are errors naming the JSON pointer, the scenario and the step.
// `base` is the folder fixtures (`use`) are read from; without one, `use` is refused.
Result<Suite> parse_suite(const std::string& text, const std::filesystem::path& base = {});
Result<Suite> parse_suite_file(const std::filesystem::path& file);
// "5s", "250ms", "2m" -> duration.
Result<std::chrono::milliseconds> parse_duration(const std::string& text);

}  // namespace mdmlab::scenarios
