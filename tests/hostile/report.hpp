// The per-endpoint tally of a hostile run: printed as a table, written as JSON on request.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mdmlab::testing::hostile {

enum class Verdict {
  clean,         // exactly the answer the case expects (Case::expect)
  wrong_answer,  // refused, but not as expected: another 4xx, another failInfo or APNs reason
  server_error,  // HTTP 5xx (unless the case expects it)
  not_clean,     // a success, no answer within the timeout, a reset connection, a bad CertRep
};

struct Row {
  std::string endpoint;
  int cases = 0, clean = 0, wrong = 0, server_errors = 0, state_changes = 0, not_clean = 0;
  int known = 0;  // violations listed in known_bugs.hpp (counted in the columns too)
};

class Tally {
 public:
  void add(const std::string& endpoint, Verdict verdict, bool state_changed, bool known);
  const std::vector<Row>& rows() const { return rows_; }
  Row total() const;
  void print(std::ostream& out, const std::string& title) const;
  std::string json(const std::string& title) const;

 private:
  Row& row(const std::string& endpoint);
  std::vector<Row> rows_;
};

}  // namespace mdmlab::testing::hostile
