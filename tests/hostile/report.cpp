#include "tests/hostile/report.hpp"

#include <nlohmann/json.hpp>

#include <iomanip>

namespace mdmlab::testing::hostile {

Row& Tally::row(const std::string& endpoint) {
  for (auto& r : rows_)
    if (r.endpoint == endpoint) return r;
  rows_.push_back(Row{endpoint});
  return rows_.back();
}

void Tally::add(const std::string& endpoint, Verdict verdict, bool state_changed, bool known) {
  auto& r = row(endpoint);
  ++r.cases;
  if (verdict == Verdict::clean) ++r.clean;
  if (verdict == Verdict::wrong_answer) ++r.wrong;
  if (verdict == Verdict::server_error) ++r.server_errors;
  if (verdict == Verdict::not_clean) ++r.not_clean;
  if (state_changed) ++r.state_changes;
  if (known && (state_changed || verdict != Verdict::clean)) ++r.known;
}

Row Tally::total() const {
  Row t{"total"};
  for (const auto& r : rows_) {
    t.cases += r.cases;
    t.clean += r.clean;
    t.wrong += r.wrong;
    t.server_errors += r.server_errors;
    t.state_changes += r.state_changes;
    t.not_clean += r.not_clean;
    t.known += r.known;
  }
  return t;
}

void Tally::print(std::ostream& out, const std::string& title) const {
  out << title << "\n";
  auto line = [&](const Row& r) {
    out << std::left << std::setw(50) << r.endpoint << std::right << std::setw(7) << r.cases
        << std::setw(7) << r.clean << std::setw(7) << r.wrong << std::setw(6) << r.server_errors
        << std::setw(8) << r.state_changes << std::setw(10) << r.not_clean << std::setw(7)
        << r.known << "\n";
  };
  out << std::left << std::setw(50) << "endpoint" << std::right << std::setw(7) << "cases"
      << std::setw(7) << "clean" << std::setw(7) << "wrong" << std::setw(6) << "5xx" << std::setw(8)
      << "state" << std::setw(10) << "not clean" << std::setw(7) << "known"
      << "\n";
  for (const auto& r : rows_) line(r);
  line(total());
}

std::string Tally::json(const std::string& title) const {
  auto j = nlohmann::json::array();
  for (const auto& r : rows_) {
    j.push_back({{"endpoint", r.endpoint},
                 {"cases", r.cases},
                 {"clean_errors", r.clean},
                 {"wrong_answers", r.wrong},
                 {"server_errors_5xx", r.server_errors},
                 {"state_changes", r.state_changes},
                 {"not_clean", r.not_clean},
                 {"known_bugs", r.known}});
  }
  auto t = total();
  return nlohmann::json{{"title", title},
                        {"rows", j},
                        {"total",
                         {{"cases", t.cases},
                          {"clean_errors", t.clean},
                          {"wrong_answers", t.wrong},
                          {"server_errors_5xx", t.server_errors},
                          {"state_changes", t.state_changes},
                          {"not_clean", t.not_clean},
                          {"known_bugs", t.known}}}}
      .dump(2);
}

}  // namespace mdmlab::testing::hostile
