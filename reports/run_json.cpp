#include "reports/run_json.hpp"

#include <nlohmann/json.hpp>

namespace mdmlab::reports {
using scenarios::Outcome;

namespace {
nlohmann::json conformance_json(const scenarios::ScenarioResult& sc) {
  auto violations = nlohmann::json::array();
  for (const auto& v : sc.violations)
    violations.push_back({{"rule", v.rule},
                          {"says", v.says},
                          {"source", v.source},
                          {"party", v.party},
                          {"detail", v.detail},
                          {"message_seq", v.message_seq}});
  return {{"checked", sc.rules_checked}, {"violations", violations}};
}
}  // namespace

std::string run_json(const scenarios::SuiteResult& result) {
  nlohmann::json j;
  j["suite"] = result.name;
  j["seed"] = result.seed;
  j["seconds"] = result.seconds;
  j["passed"] = result.count(Outcome::passed);
  j["failed"] = result.count(Outcome::failed);
  j["skipped"] = result.count(Outcome::skipped);
  j["scenarios"] = nlohmann::json::array();
  for (const auto& sc : result.scenarios) {
    auto steps = nlohmann::json::array();
    for (const auto& st : sc.steps)
      steps.push_back({{"text", st.text},
                       {"outcome", st.outcome},
                       {"note", st.note},
                       {"start_ms", st.start_ms},
                       {"ms", st.ms}});
    auto messages = nlohmann::json::array();
    for (const auto& m : sc.messages) messages.push_back(net::to_json(m));
    j["scenarios"].push_back({{"name", sc.name},
                              {"tags", sc.tags},
                              {"outcome", std::string(scenarios::to_string(sc.outcome))},
                              {"seconds", sc.seconds},
                              {"failed_step", sc.failed_step},
                              {"message", sc.message},
                              {"log", sc.log},
                              {"steps", steps},
                              {"messages", messages},
                              {"conformance", conformance_json(sc)}});
  }
  return j.dump(2) + "\n";
}

}  // namespace mdmlab::reports
