#include "tests/support/chromium.hpp"

#include <sstream>

#include "tests/support/process.hpp"

namespace mdmlab::testing {

std::string chromium_program() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"})
    if (have_program(name)) return name;
  return {};
}

PageLoad load_page(const std::string& chromium, const std::string& url, const std::string& dir) {
  const auto dom = dir + "/dom.html", log = dir + "/chrome.log";
  auto r = run_command("( timeout 120 " + chromium +
                       " --headless=new --no-sandbox --disable-gpu --no-first-run"
                       " --disable-extensions --disable-background-networking"
                       " --host-resolver-rules='MAP * ~NOTFOUND'"
                       " --enable-logging=stderr --v=0 --user-data-dir=" +
                       dir + "/chrome --dump-dom '" + url + "' > " + dom + " 2> " + log + " )");
  PageLoad page{r.exit_code, read_file(dom), "", read_file(log)};
  std::istringstream lines(page.log);
  for (std::string line; std::getline(lines, line);)
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos)
      page.console += line + "\n";
  return page;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

}  // namespace mdmlab::testing
