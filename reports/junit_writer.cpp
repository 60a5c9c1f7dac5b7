#include "reports/junit_writer.hpp"

#include <pugixml.hpp>

#include <sstream>

namespace mdmlab::reports {
using scenarios::Outcome;

namespace {
std::string seconds(double s) {
  std::ostringstream o;
  o.precision(3);
  o << std::fixed << s;
  return o.str();
}

std::string log_text(const scenarios::ScenarioResult& r) {
  std::string out;
  for (const auto& line : r.log) out += line + "\n";
  return out;
}
}  // namespace

std::string junit_xml(const scenarios::SuiteResult& result) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto suites = doc.append_child("testsuites");
  suites.append_attribute("name") = result.name.c_str();
  suites.append_attribute("tests") = static_cast<int>(result.scenarios.size());
  suites.append_attribute("failures") = result.count(Outcome::failed);
  suites.append_attribute("skipped") = result.count(Outcome::skipped);
  suites.append_attribute("time") = seconds(result.seconds).c_str();
  auto suite = suites.append_child("testsuite");
  suite.append_attribute("name") = result.name.c_str();
  suite.append_attribute("tests") = static_cast<int>(result.scenarios.size());
  suite.append_attribute("failures") = result.count(Outcome::failed);
  suite.append_attribute("errors") = 0;
  suite.append_attribute("skipped") = result.count(Outcome::skipped);
  suite.append_attribute("time") = seconds(result.seconds).c_str();
  auto props = suite.append_child("properties");
  auto seed = props.append_child("property");
  seed.append_attribute("name") = "seed";
  seed.append_attribute("value") = std::to_string(result.seed).c_str();
  for (const auto& sc : result.scenarios) {
    auto tc = suite.append_child("testcase");
    tc.append_attribute("classname") = result.name.c_str();
    tc.append_attribute("name") = sc.name.c_str();
    tc.append_attribute("time") = seconds(sc.seconds).c_str();
    if (sc.outcome == Outcome::failed) {
      auto f = tc.append_child("failure");
      f.append_attribute("message") = sc.message.c_str();
      f.append_attribute("type") = "ScenarioFailure";
      f.append_child(pugi::node_pcdata).set_value((sc.message + "\n\n" + log_text(sc)).c_str());
    } else if (sc.outcome == Outcome::skipped) {
      tc.append_child("skipped").append_attribute("message") = sc.message.c_str();
    }
    tc.append_child("system-out").append_child(pugi::node_pcdata).set_value(log_text(sc).c_str());
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace mdmlab::reports
