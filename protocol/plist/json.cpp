#include "protocol/plist/json.hpp"

#include <cstdint>
#include <ctime>

namespace mdmlab::plist {
namespace {
constexpr int kMaxDepth = 64;

Result<Value> convert(const nlohmann::json& j, int depth) {
  if (depth > kMaxDepth) return make_error("bad_json", "nested too deeply");
  if (j.is_string()) return Value(j.get<std::string>());
  if (j.is_boolean()) return Value(j.get<bool>());
  // is_number_integer() is true for unsigned values too: test unsigned first, or 2^63 wraps.
  if (j.is_number_unsigned()) {
    auto u = j.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX))
      return make_error("bad_json", "integer above int64");
    return Value(static_cast<std::int64_t>(u));
  }
  if (j.is_number_integer()) return Value(j.get<std::int64_t>());
  if (j.is_number_float()) return Value(j.get<double>());
  if (j.is_array()) {
    Array a;
    for (const auto& item : j) {
      auto v = convert(item, depth + 1);
      if (!v) return v.error();
      a.push_back(std::move(*v));
    }
    return Value(std::move(a));
  }
  if (j.is_object()) {
    if (j.size() == 1 && j.contains("$data") && j["$data"].is_string()) {
      auto bytes = base64_decode(j["$data"].get<std::string>());
      if (!bytes) return make_error("bad_json", "$data is not base64");
      return Value(std::move(*bytes));
    }
    Value d{Dict{}};
    for (const auto& [k, item] : j.items()) {
      auto v = convert(item, depth + 1);
      if (!v) return v.error();
      d.set(k, std::move(*v));
    }
    return d;
  }
  return make_error("bad_json", "null is not a plist value");
}
}  // namespace

Result<Value> from_json(const nlohmann::json& j) {
  return convert(j, 0);
}

nlohmann::json to_json(const Value& v) {
  if (const auto* s = v.string()) return *s;
  if (auto i = v.integer()) return *i;
  if (auto r = v.real()) return *r;
  if (auto b = v.boolean()) return *b;
  if (const auto* d = v.data()) return nlohmann::json{{"$data", base64_encode(*d)}};
  if (auto date = v.date()) {
    std::time_t t = static_cast<std::time_t>(date->seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(text);
  }
  if (const auto* a = v.array()) {
    auto out = nlohmann::json::array();
    for (const auto& item : *a) out.push_back(to_json(item));
    return out;
  }
  auto out = nlohmann::json::object();
  if (const auto* d = v.dict())
    for (const auto& [key, item] : *d)
      if (!out.contains(key)) out[key] = to_json(item);  // first match, as Value::find
  return out;
}

}  // namespace mdmlab::plist
