// Result<T>: a value or an Error, since GCC 12 has no std::expected. Used by every room.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace mdmlab {

struct Error {
  std::string code;     // machine-readable, e.g. "bad_signature"
  std::string message;  // human-readable detail (never secrets)
};

class BadResultAccess : public std::logic_error {
 public:
  explicit BadResultAccess(const Error& e) : std::logic_error(e.code + ": " + e.message) {}
};

template <typename T>
class [[nodiscard]] Result {
 public:
  // Default state is an error, so a Result never claims a value nobody produced
  // (Asio's co_spawn needs default-constructible results).
  Result() : v_(Error{"empty", "no result"}) {}
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    if (!ok()) throw BadResultAccess(error());
    return std::get<0>(v_);
  }
  const T& value() const& {
    if (!ok()) throw BadResultAccess(error());
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!ok()) throw BadResultAccess(error());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  struct Success {};
  // As Result<T>: the default state is an error (Asio's co_spawn needs default-constructible
  // results), so success is always said explicitly: `return success();`.
  Result() : error_{"empty", "no result"}, ok_(false) {}
  explicit Result(Success) : ok_(true) {}
  Result(Error error) : error_(std::move(error)), ok_(false) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }
  void value() const {
    if (!ok_) throw BadResultAccess(error_);
  }

 private:
  Error error_;
  bool ok_;
};

// The successful Result<void>.
inline Result<void> success() {
  return Result<void>(Result<void>::Success{});
}

inline Error make_error(std::string code, std::string message) {
  return Error{std::move(code), std::move(message)};
}

}  // namespace mdmlab
