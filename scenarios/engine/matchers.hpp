// Paths into what a party reports, and the matchers expectations apply to what they find.
//   "result.QueryResponses.OSVersion"   "result.ErrorChain[0].ErrorCode"
//   "deliveries[-1].status"             "[0]"  (negative indexes count from the end)
// A string holding an XML plist (a command result as the admin API keeps it) is decoded when
// a path goes on into it, so paths reach fields inside device reports.
// Matchers (several in one expectation must all hold): equals, not_equals, contains, matches
// (ECMAScript regex, whole-string search), present, absent, gte, lte, between [lo, hi], count
// (a number or a matcher applied to a list's size), any / all (a matcher, with its own
// optional "field", applied to each element of a list).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mdmlab::scenarios {

struct PathSegment {
  std::string key;         // an object key, or "" for an index
  std::int64_t index = 0;  // for an index; negative counts from the end
  bool is_index = false;
};
using Path = std::vector<PathSegment>;

Result<Path> parse_path(std::string_view text);
// The value at `path`, or nullopt when it is absent.
std::optional<nlohmann::json> lookup(const nlohmann::json& doc, const Path& path);

// The matcher keys of `m` (an expectation or a nested any/all/count matcher).
std::vector<std::string> matcher_keys_in(const nlohmann::json& m);
// True when every matcher of `m` holds for `seen` (nullopt: the path found nothing).
bool matches(const nlohmann::json& m, const std::optional<nlohmann::json>& seen);
// "equals \"Acknowledged\"", "gte 2 and lte 5": for failure messages.
std::string describe_matchers(const nlohmann::json& m);

}  // namespace mdmlab::scenarios
