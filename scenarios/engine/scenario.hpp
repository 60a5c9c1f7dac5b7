// Scenario files: the product's main user interface. A suite is JSON:
//   {"name": "...", "scenarios": [{"name", "tags", "devices": [...], "server": {...},
//                                  "steps": [...]}]}
// Every step names one party and one action; expectations poll with a deadline. The actions,
// their `with` keys, device settings and server settings are one table (actions.hpp) that the
// parser checks files against: unknown keys and wrong types are errors with a JSON pointer.
//   {"do": "mac1.enroll", "with": {"profile": "unsigned", "challenge": "wrong"}, "expect": "fail"}
//   {"do": "mac1.enroll", "with": {"until": "identity"}}     (SCEP only, no check-in)
//   {"do": "mac1.poll"}   {"do": "mac1.checkout"}   {"do": "mac1.token_update"}
//   {"do": "mac1.authenticate", "with": {"udid_of": "mac2"}}  (claims mac2's UDID)
//   {"do": "mac1.set_bootstrap_token", "with": {"token": "..."}}
//   {"do": "mac1.get_bootstrap_token"}          (device field bootstrap_token: the answer)
//   {"do": "server.enqueue", "with": {"device": "mac1", "command": {...}}, "as": "cmd"}
//   {"do": "server.enqueue", "with": {"device": "mac1", "type": "DeviceLock", "params": {...}}}
//   {"do": "server.push", "with": {"device": "mac1"}}
//   {"do": "server.unbind_certificate", "with": {"device": "mac1"}}
//   {"do": "apns.fault", "with": {"device": "mac1", "status": 429, "reason": "TooManyRequests",
//   "count": 1}}   {"do": "apns.unregister", "with": {"device": "mac1"}}
//   {"do": "apns.clear_faults"}   {"do": "clock.advance", "with": {"by": "400d"}}
//   {"expect": {"server.device": "mac1", "field": "state", "equals": "enrolled"}, "within": "5s"}
//   {"expect": {"server.command": "$cmd", "device": "mac1", "field": "status", "equals":
//   "Acknowledged"}}
//   {"expect": {"device": "mac1", "field": "state", "equals": "enrolled"}}
//     device fields: state, profiles, last_error, pushes_received, online, bootstrap_token
//   {"expect": {"apns.deliveries": "mac1", "field": "coalesced", "equals": 2}}
//     fields: count, delivered, stored, coalesced, expired, rejected, queued, last_state,
//     last_status, last_reason
// Device settings: model, os, not_now_polls, error_for, slow_ms, apns (online|offline|none),
// same_udid_as. Server settings (embedded only): cert_binding.
// Matchers: "equals" (string, number or bool) or "contains" (substring).
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
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
  std::chrono::milliseconds within{0};   // expect: poll until it holds, at most this long
  std::chrono::milliseconds stays{0};    // expect: holds at once and for this whole duration
  std::chrono::milliseconds timeout{0};  // do: give up after this long (0: no limit)
};

struct Scenario {
  std::string name;
  std::vector<std::string> tags;
  std::vector<DeviceSpec> devices;
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
};

// Parses and validates a suite: unknown keys, wrong types, undeclared devices and unbound
// $names are errors naming the JSON pointer, the scenario and the step.
Result<Suite> parse_suite(const std::string& text);
// "5s", "250ms", "2m" -> duration.
Result<std::chrono::milliseconds> parse_duration(const std::string& text);

}  // namespace mdmlab::scenarios
