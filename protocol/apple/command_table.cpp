// Checks of MDM requests and responses against the macOS command table.
#include "protocol/apple/command_table.hpp"

#include <algorithm>
#include <charconv>

namespace mdmlab::apple {

std::string_view to_string(KeyType t) {
  switch (t) {
    case KeyType::string:
      return "<string>";
    case KeyType::integer:
      return "<integer>";
    case KeyType::real:
      return "<real>";
    case KeyType::boolean:
      return "<boolean>";
    case KeyType::date:
      return "<date>";
    case KeyType::data:
      return "<data>";
    case KeyType::array:
      return "<array>";
    case KeyType::dict:
      return "<dictionary>";
    case KeyType::any:
      break;
  }
  return "<any>";
}

bool has_type(const plist::Value& v, KeyType t) {
  switch (t) {
    case KeyType::string:
      return v.is_string();
    case KeyType::integer:
      return v.is_integer();
    case KeyType::real:
      return v.is_real();
    case KeyType::boolean:
      return v.is_bool();
    case KeyType::date:
      return v.is_date();
    case KeyType::data:
      return v.is_data();
    case KeyType::array:
      return v.is_array();
    case KeyType::dict:
      return v.is_dict();
    case KeyType::any:
      break;
  }
  return true;
}

const CommandSpec* find_macos_command(std::string_view request_type) {
  for (const auto& c : macos_commands())
    if (c.request_type == request_type) return &c;
  return nullptr;
}

int compare_os_versions(std::string_view a, std::string_view b) {
  auto next = [](std::string_view& s) {
    int n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    (void)ec;
    s.remove_prefix(static_cast<std::size_t>(end - s.data()));
    if (!s.empty() && s.front() == '.') s.remove_prefix(1);
    return n;
  };
  while (!a.empty() || !b.empty()) {
    auto x = next(a), y = next(b);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

namespace {

// The keys every command report carries besides a command's result keys.
bool standard_report_key(std::string_view k) {
  static constexpr std::string_view keys[] = {
      "Status",        "UDID",         "CommandUUID",      "ErrorChain",  "EnrollmentID", "UserID",
      "UserShortName", "UserLongName", "EnrollmentUserID", "RequestType", "NotOnConsole"};
  return std::find(std::begin(keys), std::end(keys), k) != std::end(keys);
}

class Checker {
 public:
  explicit Checker(bool strict) : strict_(strict) {}

  Result<void> keys(const plist::Value& dict, const std::vector<KeySpec>& specs,
                    const std::string& path, bool top = false) const {
    const KeySpec* any = nullptr;
    for (const auto& spec : specs) {
      if (spec.name == "*") {
        any = &spec;
        continue;
      }
      const auto* v = dict.find(spec.name);
      if (!v) {
        if (spec.required)
          return make_error(kMissingKey, path + std::string(spec.name) + " is required");
        continue;
      }
      auto r = value(*v, spec, path + std::string(spec.name));
      if (!r) return r;
    }
    const auto* entries = dict.dict();
    if (!entries || (!any && (!strict_ || (specs.empty() && !top)))) return success();
    for (const auto& [k, v] : *entries) {
      const auto& key = k;  // clang 14 cannot capture a structured binding
      bool documented =
          std::any_of(specs.begin(), specs.end(), [&](const KeySpec& s) { return s.name == key; });
      if (documented) continue;
      if (any) {
        auto r = value(v, *any, path + k);
        if (!r) return r;
      } else if (!(top && standard_report_key(k))) {
        return make_error(kUndocumentedKey, path + k + " is not documented for macOS");
      }
    }
    return success();
  }

  Result<void> value(const plist::Value& v, const KeySpec& spec, const std::string& path) const {
    if (!has_type(v, spec.type))
      return make_error(kWrongType, path + " must be " + std::string(to_string(spec.type)));
    if (spec.keys.empty()) return success();
    if (v.is_array()) {
      const auto& items = *v.array();
      for (std::size_t i = 0; i < items.size(); ++i) {
        auto r = value(items[i], spec.keys.front(), path + "[" + std::to_string(i) + "]");
        if (!r) return r;
      }
      return success();
    }
    if (!v.is_dict()) return success();
    if (spec.selector.empty()) return keys(v, spec.keys, path + ".");
    // Keys chosen by a tag value (Settings items): the tag must be a string; a value the
    // table does not know is left alone (the device reports it per item).
    const auto* tag = v.find(spec.selector);
    if (!tag)
      return make_error(kMissingKey, path + "." + std::string(spec.selector) + " is required");
    if (!tag->is_string())
      return make_error(kWrongType, path + "." + std::string(spec.selector) + " must be <string>");
    for (const auto& variant : spec.keys)
      if (variant.name == *tag->string()) return keys(v, variant.keys, path + ".");
    return success();
  }

 private:
  bool strict_;
};

}  // namespace

Result<void> check_request(const plist::Value& command_dict) {
  if (!command_dict.is_dict()) return make_error(kWrongType, "Command must be <dictionary>");
  const auto* type = command_dict.find("RequestType");
  if (!type) return make_error(kMissingKey, "RequestType is required");
  if (!type->is_string()) return make_error(kWrongType, "RequestType must be <string>");
  const auto* spec = find_macos_command(*type->string());
  if (!spec)
    return make_error(kUnknownCommand,
                      "RequestType " + *type->string() + " is not a macOS command");
  return Checker(false).keys(command_dict, spec->request, "");
}

Result<void> check_response(std::string_view request_type, const plist::Value& response,
                            bool strict) {
  if (!response.is_dict()) return make_error(kWrongType, "the response must be <dictionary>");
  const auto* spec = find_macos_command(request_type);
  if (!spec)
    return make_error(kUnknownCommand,
                      "RequestType " + std::string(request_type) + " is not a macOS command");
  return Checker(strict).keys(response, spec->response, "", true);
}

}  // namespace mdmlab::apple
