#include "reports/report_files.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

#include "reports/html_report.hpp"
#include "reports/junit_writer.hpp"
#include "reports/markdown_report.hpp"
#include "reports/run_json.hpp"

namespace mdmlab::reports {

Result<void> prepare_report_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("report_dir", "cannot create " + dir.string() + ": " + ec.message());
  auto probe = dir / ".mdmlab-write-test";
  {
    std::ofstream out(probe);
    if (!out || !(out << "ok\n") || !out.flush())
      return make_error("report_dir", "cannot write in " + dir.string());
  }
  std::filesystem::remove(probe, ec);
  return success();
}

namespace {
Result<void> write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  if (!out || !(out << text) || !out.flush())
    return make_error("report_dir", "cannot write " + file.string());
  return success();
}
}  // namespace

Result<std::vector<std::string>> write_run_reports(const std::filesystem::path& dir,
                                                   const scenarios::SuiteResult& result) {
  const auto json_text = run_json(result);
  std::vector<std::string> written;
  for (const auto& [name, text] :
       {std::pair{"junit.xml", junit_xml(result)}, std::pair{"run.json", json_text}}) {
    if (auto w = write_text(dir / name, text); !w) return w.error();
    written.emplace_back(name);
  }
  // The pages are rendered from run.json's text, as `mdmlab report` renders them again.
  auto rendered = write_rendered_reports(dir, nlohmann::json::parse(json_text));
  if (!rendered) return rendered.error();
  written.insert(written.end(), rendered->begin(), rendered->end());
  return written;
}

Result<std::vector<std::string>> write_rendered_reports(const std::filesystem::path& dir,
                                                        const nlohmann::json& run) {
  std::vector<std::string> written;
  for (const auto& [name, text] :
       {std::pair{"report.html", html_report(run)}, std::pair{"report.md", markdown_report(run)}}) {
    if (auto w = write_text(dir / name, text); !w) return w.error();
    written.emplace_back(name);
  }
  return written;
}

}  // namespace mdmlab::reports
