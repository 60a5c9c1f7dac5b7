// The report page's inline style sheet and script. They live in the page itself (a report is
// one file that opens anywhere, offline), and the script only adds niceties: the page reads
// the same with JavaScript off.
#pragma once

namespace mdmlab::reports {

extern const char* const kReportCss;
// Opens the message (and its scenario) an arrow or a #fragment points at.
extern const char* const kReportJs;

}  // namespace mdmlab::reports
