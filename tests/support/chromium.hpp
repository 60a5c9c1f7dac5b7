// Headless Chromium as an independent reader of the pages we write (report.html, load.html):
// the page is opened with every host name unresolvable, and what its console said is kept.
#pragma once

#include <string>

namespace mdmlab::testing {

// The Chromium on PATH ("" when there is none: tests fail, CI installs it).
std::string chromium_program();

struct PageLoad {
  int exit_code = -1;
  std::string dom;      // --dump-dom: the DOM after load, scripts run
  std::string console;  // Chromium's log lines about the page's console ("INFO:CONSOLE:1] ...")
  std::string log;      // all of Chromium's stderr, for failure messages
};

// Opens `url` headless with no network; `dir` takes the profile and the dumps.
PageLoad load_page(const std::string& chromium, const std::string& url, const std::string& dir);

// How often `what` occurs in `text`.
std::size_t count(const std::string& text, const std::string& what);

}  // namespace mdmlab::testing
