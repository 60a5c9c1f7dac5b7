#include "reports/html_page_assets.hpp"

namespace mdmlab::reports {

const char* const kReportCss = R"css(
:root{--ok:#1a7f37;--bad:#cf222e;--skip:#9a6700;--ink:#1f2328;--mute:#656d76;--line:#d0d7de;
--bg:#ffffff;--soft:#f6f8fa;--badbg:#ffebe9;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:0 auto;max-width:1200px;padding:16px 24px;color:var(--ink);background:var(--bg);font-size:14px}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:24px 0 8px}h3{font-size:15px;margin:16px 0 6px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px;overflow:auto;
white-space:pre-wrap;word-break:break-all;max-height:480px;margin:4px 0}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}td.num,th.num{text-align:right;white-space:nowrap}
.counts{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0}
.count{border:1px solid var(--line);border-radius:6px;padding:6px 14px;min-width:90px}
.count b{display:block;font-size:22px}.count.failed b{color:var(--bad)}.count.passed b{color:var(--ok)}
.count.skipped b{color:var(--skip)}.meta{color:var(--mute)}
.outcome{font-weight:600;text-transform:uppercase;font-size:11px;letter-spacing:.04em;
border-radius:10px;padding:1px 8px;border:1px solid currentColor;white-space:nowrap}
.outcome.passed{color:var(--ok)}.outcome.failed{color:var(--bad);background:var(--badbg)}
.outcome.skipped,.outcome.not_run{color:var(--mute)}
tr.failed td{background:var(--badbg)}
details.scenario{border:1px solid var(--line);border-radius:8px;margin:10px 0;padding:0 12px}
details.scenario.failed{border-color:var(--bad);border-left-width:5px}
details.scenario>summary{cursor:pointer;padding:10px 0;font-size:15px;font-weight:600}
.tag{display:inline-block;background:var(--soft);border:1px solid var(--line);border-radius:10px;
padding:0 8px;margin:0 4px 4px 0;font-size:12px}
.failure{border:1px solid var(--bad);background:var(--badbg);border-radius:6px;padding:8px 12px;margin:8px 0}
.failure pre{background:#fff}
tr.step.failed td{background:var(--badbg)}tr.step.not_run td{color:var(--mute)}
tr.step td.note{color:var(--mute)}tr.step.failed td.note{color:var(--bad)}
.diagram{overflow-x:auto;border:1px solid var(--line);border-radius:6px;background:#fff;margin:8px 0}
svg.sequence{display:block;font-family:system-ui,sans-serif}
svg .party{fill:#eef2f7;stroke:#57606a}svg .party-name{font-size:12px;font-weight:600;fill:var(--ink)}
svg .lifeline{stroke:#8c959f;stroke-dasharray:4 4}
svg .step-divider{stroke:var(--line)}svg .step-label{font-size:10px;fill:var(--mute)}
svg .time{font-size:10px;fill:var(--mute)}svg .failed-band{fill:var(--badbg)}
svg .msg{color:var(--ink);cursor:pointer}svg .msg .label{font-size:11px;fill:currentColor}
svg .msg .line{stroke:currentColor;stroke-width:1.3;fill:none}
svg .msg .hit{stroke:transparent;stroke-width:14;fill:none}
svg .msg .head{fill:currentColor;stroke:currentColor}svg .msg .head.open{fill:none}
svg .msg.response .line{stroke-dasharray:6 4}svg .msg.event .line{stroke-dasharray:2 3}
svg .msg.event{color:#8250df}svg .msg.error{color:var(--bad)}svg .msg.in-failed-step .label{font-weight:600}
svg .msg:hover,svg .msg:focus{color:#0969da}
details.message{border-bottom:1px solid var(--line);padding:2px 0}
details.message>summary{cursor:pointer;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
details.message.in-failed-step>summary{background:var(--badbg)}
details.message.error>summary{color:var(--bad)}
details.message:target>summary,details.message.chosen>summary{outline:2px solid #0969da}
.who{color:var(--mute)}footer{color:var(--mute);margin:24px 0;font-size:12px}
)css";

const char* const kReportJs = R"js(
function mdmlabOpen(id){var e=document.getElementById(id);if(!e)return;
for(var d=e;d;d=d.parentElement)if(d.tagName==="DETAILS")d.open=true;
var c=document.querySelectorAll("details.chosen");for(var i=0;i<c.length;i++)c[i].classList.remove("chosen");
e.classList.add("chosen");}
document.addEventListener("click",function(ev){var a=ev.target.closest&&ev.target.closest("a[href^='#']");
if(a)mdmlabOpen(decodeURIComponent(a.getAttribute("href").slice(1)));});
if(location.hash)mdmlabOpen(decodeURIComponent(location.hash.slice(1)));
)js";

}  // namespace mdmlab::reports
