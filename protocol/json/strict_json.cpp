#include "protocol/json/strict_json.hpp"

#include <string>
#include <unordered_set>
#include <vector>

namespace mdmlab {
namespace {
using nlohmann::json;

// nlohmann's DOM builder, with the checks json::parse does not make.
class StrictSax {
 public:
  explicit StrictSax(json& root) : dom_(root, false) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const std::string& literal) {
    // nlohmann reads an integer literal that fits no 64-bit type as a double: refuse it.
    if (literal.find_first_of(".eE") == std::string::npos)
      return fail("integer " + literal + " is out of range");
    return dom_.number_float(v, literal);
  }
  bool string(std::string& v) { return dom_.string(v); }
  bool binary(json::binary_t& v) { return dom_.binary(v); }
  bool start_object(std::size_t n) {
    keys_.emplace_back();
    return dom_.start_object(n);
  }
  bool key(std::string& k) {
    if (!keys_.back().insert(k).second) return fail("duplicate key \"" + k + "\"");
    return dom_.key(k);
  }
  bool end_object() {
    keys_.pop_back();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return dom_.start_array(n); }
  bool end_array() { return dom_.end_array(); }
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& ex) {
    return fail(ex.what());
  }

  const std::string& error() const { return error_; }

 private:
  bool fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::vector<std::unordered_set<std::string>> keys_;  // one set per open object
  std::string error_;
};
}  // namespace

Result<json> parse_strict_json(std::string_view text) {
  json root;
  StrictSax sax(root);
  bool ok =
      json::sax_parse(text.begin(), text.end(), &sax, json::input_format_t::json, true, false);
  if (!ok) {
    auto why = sax.error().empty() ? std::string("not JSON") : sax.error();
    return make_error("bad_json", why);
  }
  return root;
}

}  // namespace mdmlab
