// The MDM commands a Mac answers, as facts taken from Apple's device-management schema
// (github.com/apple/device-management, mdm/commands): for every command macOS supports today,
// its RequestType, the request keys (plist type, required or not, nested keys) and the response
// keys. Our own compact table, not Apple's files. Plus the checks a device (or a conformance
// test) makes with it: a request's keys against their documented types, a response's keys
// against theirs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "protocol/plist/value.hpp"

namespace mdmlab::apple {

// The schema's value types; `any` is "<any>" (not checked).
enum class KeyType { string, integer, real, boolean, date, data, array, dict, any };
std::string_view to_string(KeyType t);  // "<string>", "<integer>", ...
bool has_type(const plist::Value& v, KeyType t);

struct KeySpec {
  std::string_view name;  // "" for an array's element; "*" for any key of its dict
  KeyType type = KeyType::any;
  bool required = false;
  // A dict's documented keys; an array's one element spec. Empty: not described further.
  std::vector<KeySpec> keys;
  // For a dict whose keys depend on one of its string values (Settings items: "Item"): the
  // name of that key; `keys` then holds one dict spec per value, named by the value.
  std::string_view selector = {};
};

struct CommandSpec {
  std::string_view request_type;
  std::string_view macos_introduced;  // e.g. "10.7"
  bool device_channel = true;
  bool user_channel = false;
  std::vector<KeySpec> request;   // keys of the Command dict besides RequestType
  std::vector<KeySpec> response;  // result keys besides the standard report keys
};

// Every command macOS supports (introduced, not removed), in schema order.
const std::vector<CommandSpec>& macos_commands();
// nullptr for a RequestType macOS does not support.
const CommandSpec* find_macos_command(std::string_view request_type);

// Error codes of the checks below.
inline constexpr const char* kUnknownCommand = "unknown_command";
inline constexpr const char* kMissingKey = "missing_key";
inline constexpr const char* kWrongType = "wrong_type";
inline constexpr const char* kUndocumentedKey = "undocumented_key";

// The Command dict (RequestType and its keys): RequestType a macOS command (else
// kUnknownCommand), every required key present (kMissingKey), every documented key of its
// type, nested keys included (kWrongType). Undocumented keys are ignored, as devices do. The
// message names the key path, e.g. "Settings[0].DeviceName must be <string>".
Result<void> check_request(const plist::Value& command_dict);

// A response's result keys (a whole report dict, or just the result keys): required keys
// present, every documented key of its type. With `strict`, also refuses keys the schema does
// not document for macOS (in the result and in every dict it describes), except the standard
// report keys (Status, UDID, CommandUUID, ErrorChain, ...).
Result<void> check_response(std::string_view request_type, const plist::Value& response,
                            bool strict = false);

// Compares dotted OS versions ("10.13.6" < "14.5").
int compare_os_versions(std::string_view a, std::string_view b);

}  // namespace mdmlab::apple
