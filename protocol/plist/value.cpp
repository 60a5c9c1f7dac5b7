#include "protocol/plist/value.hpp"

namespace mdmlab::plist {

std::optional<std::int64_t> Value::integer() const {
  if (auto p = std::get_if<std::int64_t>(&v_)) return *p;
  return std::nullopt;
}
std::optional<double> Value::real() const {
  if (auto p = std::get_if<double>(&v_)) return *p;
  return std::nullopt;
}
std::optional<bool> Value::boolean() const {
  if (auto p = std::get_if<bool>(&v_)) return *p;
  return std::nullopt;
}
std::optional<Date> Value::date() const {
  if (auto p = std::get_if<Date>(&v_)) return *p;
  return std::nullopt;
}

const Value* Value::find(std::string_view key) const {
  const Dict* d = dict();
  if (!d) return nullptr;
  for (const auto& [k, v] : *d)
    if (k == key) return &v;
  return nullptr;
}

std::string Value::string_or(std::string_view key, std::string fallback) const {
  const Value* v = find(key);
  if (v && v->string()) return *v->string();
  return fallback;
}

Value& Value::set(std::string key, Value value) {
  if (!is_dict()) v_ = Dict{};
  auto& d = std::get<Dict>(v_);
  for (auto& [k, v] : d) {
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  }
  d.emplace_back(std::move(key), std::move(value));
  return *this;
}

}  // namespace mdmlab::plist
