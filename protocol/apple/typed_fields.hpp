// Typed decoding of the dict fields of device messages. As in NanoMDM (which decodes into typed
// Go structs), a key that is present with the wrong plist type makes the message invalid: a
// <integer> Topic is an error, not an empty Topic. Absent keys are left to each message's own
// rules.
#pragma once

#include <initializer_list>
#include <string>

#include "common/result.hpp"
#include "protocol/plist/value.hpp"

namespace mdmlab::apple {

enum class FieldType { string, data, boolean, integer, array, dict };

struct TypedField {
  const char* key;
  FieldType type;
};

inline const char* plist_type_name(FieldType t) {
  switch (t) {
    case FieldType::string:
      return "<string>";
    case FieldType::data:
      return "<data>";
    case FieldType::boolean:
      return "<true/> or <false/>";
    case FieldType::integer:
      return "<integer>";
    case FieldType::array:
      return "<array>";
    default:
      return "<dict>";
  }
}

inline bool has_type(const plist::Value& v, FieldType t) {
  switch (t) {
    case FieldType::string:
      return v.is_string();
    case FieldType::data:
      return v.is_data();
    case FieldType::boolean:
      return v.is_bool();
    case FieldType::integer:
      return v.is_integer();
    case FieldType::array:
      return v.is_array();
    default:
      return v.is_dict();
  }
}

// Every listed key that `dict` holds has its type; else an error with `code`.
inline Result<void> check_field_types(const plist::Value& dict,
                                      std::initializer_list<TypedField> fields, const char* code,
                                      const std::string& where = "") {
  for (const auto& f : fields) {
    const auto* v = dict.find(f.key);
    if (v && !has_type(*v, f.type))
      return make_error(code, where + f.key + " must be " + plist_type_name(f.type));
  }
  return success();
}

}  // namespace mdmlab::apple
