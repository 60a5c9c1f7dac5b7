// JSON -> plist values, for APIs that take commands as JSON: strings, booleans, integers
// (64-bit), reals, arrays and objects map directly; {"$data": "<base64>"} is a data value.
// null has no plist form and is an error, as is an integer above int64 (plist integers are
// signed 64-bit). Parse bodies with parse_strict_json (protocol/json/strict_json.hpp): it
// refuses integer literals that json::parse would turn into reals.
#pragma once

#include <nlohmann/json.hpp>

#include "protocol/plist/value.hpp"

namespace mdmlab::plist {

Result<Value> from_json(const nlohmann::json& j);
// Plist -> JSON, for reading (scenario paths, reports): data becomes {"$data": "<base64>"},
// dates ISO 8601 strings ("2026-11-29T10:00:00Z"); a dict's first value wins for a
// repeated key. Values are already nested no deeper than the plist parser allows.
nlohmann::json to_json(const Value& v);

}  // namespace mdmlab::plist
