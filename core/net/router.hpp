// Method + path routing. A path ending in "/*" matches that prefix. The matched pattern is the
// `route` label of the HTTP metrics, so label cardinality stays bounded.
#pragma once

#include <string>
#include <vector>

#include "core/net/http_message.hpp"

namespace mdmlab::net {

class Router {
 public:
  Router& add(std::string method, std::string pattern, HttpHandler handler);

  struct Match {
    const HttpHandler* handler = nullptr;  // nullptr: no route for this method
    std::string route;                     // the pattern, or "unmatched"
    std::vector<std::string> allowed;      // methods on this path (for 405)
  };
  Match match(const std::string& method, const std::string& path) const;

 private:
  struct Route {
    std::string method, pattern;
    HttpHandler handler;
    bool matches(const std::string& path) const;
  };
  std::vector<Route> routes_;
};

}  // namespace mdmlab::net
