#include "core/net/router.hpp"

namespace mdmlab::net {

bool Router::Route::matches(const std::string& path) const {
  if (pattern.size() >= 2 && pattern.compare(pattern.size() - 2, 2, "/*") == 0) {
    // "/a/*" matches "/a/x..." only: the bare "/a" (and "/a/") is another resource, so a
    // method that only "/a/*" has gets 405 there when "/a" exists, 404 when it does not.
    auto prefix = std::string_view(pattern).substr(0, pattern.size() - 1);  // keeps the '/'
    return path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0;
  }
  return path == pattern;
}

Router& Router::add(std::string method, std::string pattern, HttpHandler handler) {
  routes_.push_back({std::move(method), std::move(pattern), std::move(handler)});
  return *this;
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
  Match m;
  m.route = "unmatched";
  for (const auto& r : routes_) {
    if (!r.matches(path)) continue;
    m.route = r.pattern;
    m.allowed.push_back(r.method);
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      m.handler = &r.handler;
      return m;
    }
  }
  return m;
}

}  // namespace mdmlab::net
