// Property-list values (Apple's plist data model): dict (key order kept), array, string,
// integer, real, boolean, date, data. The wire codecs are xml.hpp (and later binary).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/bytes.hpp"

namespace mdmlab::plist {

class Value;
using Dict = std::vector<std::pair<std::string, Value>>;  // insertion order is wire order
using Array = std::vector<Value>;
struct Date {
  std::int64_t seconds = 0;  // since 1970-01-01T00:00:00Z; plist dates have whole seconds
  bool operator==(const Date&) const = default;
};
using Data = Bytes;

class Value {
 public:
  using Storage = std::variant<std::string, std::int64_t, double, bool, Date, Data, Array, Dict>;

  Value() : v_(Dict{}) {}
  Value(std::string s) : v_(std::move(s)) {}  // NOLINT: implicit by design, for literals
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::int64_t i) : v_(i) {}
  Value(int i) : v_(std::int64_t{i}) {}
  Value(double d) : v_(d) {}
  Value(bool b) : v_(b) {}
  Value(Date d) : v_(d) {}
  Value(Data d) : v_(std::move(d)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Dict d) : v_(std::move(d)) {}

  bool is_string() const { return std::holds_alternative<std::string>(v_); }
  bool is_integer() const { return std::holds_alternative<std::int64_t>(v_); }
  bool is_real() const { return std::holds_alternative<double>(v_); }
  bool is_bool() const { return std::holds_alternative<bool>(v_); }
  bool is_date() const { return std::holds_alternative<Date>(v_); }
  bool is_data() const { return std::holds_alternative<Data>(v_); }
  bool is_array() const { return std::holds_alternative<Array>(v_); }
  bool is_dict() const { return std::holds_alternative<Dict>(v_); }

  // Typed access; std::nullopt / nullptr when the type differs.
  const std::string* string() const { return std::get_if<std::string>(&v_); }
  std::optional<std::int64_t> integer() const;
  std::optional<double> real() const;
  std::optional<bool> boolean() const;
  const Data* data() const { return std::get_if<Data>(&v_); }
  const Array* array() const { return std::get_if<Array>(&v_); }
  const Dict* dict() const { return std::get_if<Dict>(&v_); }
  Dict* dict() { return std::get_if<Dict>(&v_); }
  Array* array() { return std::get_if<Array>(&v_); }
  std::optional<Date> date() const;

  // Dict lookup (first match); nullptr if not a dict or no such key.
  const Value* find(std::string_view key) const;
  // Convenience for check-in / command fields.
  std::string string_or(std::string_view key, std::string fallback = {}) const;
  // Sets (replacing) or appends `key` in a dict.
  Value& set(std::string key, Value value);

  const Storage& storage() const { return v_; }
  bool operator==(const Value& other) const { return v_ == other.v_; }

 private:
  Storage v_;
};

}  // namespace mdmlab::plist
