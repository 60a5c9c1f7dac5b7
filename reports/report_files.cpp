#include "reports/report_files.hpp"

#include <fstream>

#include "reports/junit_writer.hpp"
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

Result<std::vector<std::string>> write_run_reports(const std::filesystem::path& dir,
                                                   const scenarios::SuiteResult& result) {
  std::vector<std::string> written;
  for (const auto& [name, text] :
       {std::pair{"junit.xml", junit_xml(result)}, std::pair{"run.json", run_json(result)}}) {
    std::ofstream out(dir / name);
    if (!out || !(out << text) || !out.flush())
      return make_error("report_dir", "cannot write " + (dir / name).string());
    written.emplace_back(name);
  }
  return written;
}

}  // namespace mdmlab::reports
