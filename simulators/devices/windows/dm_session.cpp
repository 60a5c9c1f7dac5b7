#include "simulators/devices/windows/dm_session.hpp"

#include <algorithm>

namespace mdmlab::simulators::windows_pc {
namespace syncml = mdmlab::windows::syncml;
using namespace dm_status;

namespace {

constexpr const char* kLoginStatusType = "com.microsoft/MDM/LoginStatus";
constexpr const char* kDevInfo[] = {"./DevInfo/DevId", "./DevInfo/Man", "./DevInfo/Mod",
                                    "./DevInfo/DmV", "./DevInfo/Lang"};

syncml::Command alert(std::string cmd_id, std::string code) {
  syncml::Command c;
  c.name = "Alert";
  c.cmd_id = std::move(cmd_id);
  c.data = std::move(code);
  return c;
}

std::string format_of(const syncml::Item& item) {
  if (item.meta && !item.meta->format.empty()) return item.meta->format;
  return item.data_is_xml ? "xml" : "chr";
}

}  // namespace

DmSession::DmSession(CspTree& tree, std::string session_id, std::string device_id,
                     std::string server_url)
    : tree_(tree),
      session_id_(std::move(session_id)),
      device_id_(std::move(device_id)),
      server_url_(std::move(server_url)) {}

syncml::Header DmSession::header() {
  syncml::Header h;
  h.session_id = session_id_;
  h.msg_id = std::to_string(++msg_id_);
  h.target = server_url_;
  h.source = device_id_;
  if (max_msg_size_ > 0) {
    h.meta = syncml::Meta{};
    h.meta->max_msg_size = max_msg_size_;
  }
  return h;
}

syncml::Message DmSession::opening(const std::string& login_status) {
  msg_id_ = 0;
  syncml::Message m;
  m.header = header();
  m.body.push_back(alert("2", syncml::kAlertClientInitiated));
  auto login = alert("3", syncml::kAlertGeneric);
  syncml::Item status_item;
  status_item.meta = syncml::Meta{};
  status_item.meta->type = kLoginStatusType;
  status_item.data = login_status;
  login.items.push_back(std::move(status_item));
  m.body.push_back(std::move(login));
  syncml::Command info;
  info.name = "Replace";
  info.cmd_id = "4";
  for (const char* path : kDevInfo) {
    syncml::Item item;
    item.source = path;
    item.data = tree_.value(path).value_or("");
    info.items.push_back(std::move(item));
  }
  m.body.push_back(std::move(info));
  m.final = true;
  return m;
}

syncml::Message DmSession::unenroll_opening(const std::string& login_status) {
  auto m = opening(login_status);
  auto unenroll = alert("5", syncml::kAlertUnenroll);
  syncml::Item item;
  item.meta = syncml::Meta{};
  item.meta->type = "com.microsoft:mdm.unenrollment.userrequest";
  item.meta->format = "int";
  item.data = "1";
  unenroll.items.push_back(std::move(item));
  m.body.push_back(std::move(unenroll));
  return m;
}

bool DmSession::finished(const syncml::Message& server) {
  return server.final && std::all_of(server.body.begin(), server.body.end(), [](const auto& c) {
           return c.name == "Status" || c.name == "Results";
         });
}

std::string DmSession::header_status(const syncml::Message& server) const {
  for (const auto& c : server.body)
    if (c.name == "Status" && c.cmd == "SyncHdr" && c.cmd_ref == "0") return c.data;
  return "";
}

DmSession::Step DmSession::run_items(const syncml::Command& c, bool in_atomic) {
  Step step{&c, {}, {}};
  for (const auto& given : c.items) {
    const auto& target = given.target;
    int code = kCommandFailed;
    // Large objects: keep the chunks; the last one brings the whole Data.
    auto item = given;
    if ((c.name == "Replace" || c.name == "Add") && (item.more_data || partial_.count(target))) {
      auto& part = partial_[target];
      if (part.data.empty() && part.size < 0 && item.meta && item.meta->size)
        part.size = *item.meta->size;
      part.data += item.data.value_or("");
      if (item.more_data) {
        step.codes.push_back({target, kChunkAccepted});
        continue;
      }
      const bool whole = part.size < 0 || static_cast<long long>(part.data.size()) == part.size;
      item.data = std::move(part.data);
      partial_.erase(target);
      if (!whole) {
        step.codes.push_back({target, kSizeMismatch});
        continue;
      }
    }
    if (c.name == "Get") {
      if (in_atomic) {
        code = kCommandFailed;  // Windows: no Get inside an Atomic
      } else {
        auto r = tree_.get(target);
        code = r.status;
        if (code == kOk) {
          syncml::Item found;
          found.source = target;
          found.meta = syncml::Meta{};
          found.meta->format = r.format;
          found.data = r.data;
          step.results.push_back(std::move(found));
        }
      }
    } else if (c.name == "Add") {
      code = tree_.add(target, item.data.value_or(""), format_of(item));
    } else if (c.name == "Replace") {
      code = tree_.replace(target, item.data.value_or(""), format_of(item));
    } else if (c.name == "Delete") {
      code = tree_.remove(target);
    } else if (c.name == "Exec") {
      code = tree_.exec(target, item.data.value_or(""));
    }
    step.codes.push_back({target, code});
  }
  return step;
}

void DmSession::not_executed(const syncml::Command& c, std::vector<Step>& out) {
  Step step{&c, {}, {}};
  if (c.items.empty()) step.codes.push_back({"", kNotExecuted});
  for (const auto& item : c.items) step.codes.push_back({item.target, kNotExecuted});
  out.push_back(std::move(step));
  for (const auto& child : c.children) not_executed(child, out);
}

void DmSession::run_atomic(const syncml::Command& c, std::vector<Step>& out, bool in_atomic) {
  if (in_atomic) {  // Windows refuses an Atomic inside an Atomic
    out.push_back({&c, {{"", kCommandFailed}}, {}});
    for (const auto& child : c.children) not_executed(child, out);
    return;
  }
  const CspTree before = tree_;
  std::vector<Step> inner;
  bool failed = false;
  for (const auto& child : c.children) {
    if (failed) {
      not_executed(child, inner);
      continue;
    }
    const auto mark = inner.size();
    run(child, inner, true);
    for (auto i = mark; i < inner.size(); ++i)
      for (const auto& ic : inner[i].codes) failed = failed || !success(ic.code);
  }
  if (failed) {
    tree_ = before;
    for (auto& s : inner) {
      s.results.clear();
      for (auto& ic : s.codes)
        if (success(ic.code) && ic.code != kNotExecuted) ic.code = kRolledBack;
    }
  }
  out.push_back({&c, {{"", failed ? kAtomicFailed : kOk}}, {}});
  for (auto& s : inner) out.push_back(std::move(s));
}

void DmSession::run(const syncml::Command& c, std::vector<Step>& out, bool in_atomic) {
  if (c.name == "Status" || c.name == "Results") return;  // answers are not answered
  if (c.name == "Atomic") {
    run_atomic(c, out, in_atomic);
  } else if (c.name == "Sequence") {
    out.push_back({&c, {{"", kOk}}, {}});
    for (const auto& child : c.children) run(child, out, in_atomic);
  } else if (c.name == "Alert") {
    out.push_back({&c, {{"", kOk}}, {}});
  } else {
    out.push_back(run_items(c, in_atomic));
  }
}

syncml::Message DmSession::answer(const syncml::Message& server) {
  std::vector<Step> steps;
  for (const auto& c : server.body) run(c, steps, false);

  syncml::Message m;
  m.header = header();
  const auto& msg_ref = server.header.msg_id;
  int next = 1;
  auto status = [&](const std::string& cmd_ref, const std::string& cmd, int code) {
    syncml::Command s;
    s.name = "Status";
    s.cmd_id = std::to_string(next++);
    s.msg_ref = msg_ref;
    s.cmd_ref = cmd_ref;
    s.cmd = cmd;
    s.data = std::to_string(code);
    return s;
  };
  m.body.push_back(status("0", "SyncHdr", kOk));
  std::vector<syncml::Command> results;
  for (auto& step : steps) {
    const auto& c = *step.cmd;
    // One Status per distinct code, in the order they came; TargetRefs name the Items when
    // the command had several.
    std::vector<int> codes;
    for (const auto& ic : step.codes)
      if (std::find(codes.begin(), codes.end(), ic.code) == codes.end()) codes.push_back(ic.code);
    ReceivedCommand r{server.header.session_id,
                      msg_ref,
                      c.name,
                      c.cmd_id,
                      c.items.empty() ? "" : c.items.front().target,
                      "",
                      ""};
    if (!c.items.empty()) r.data = c.items.front().data.value_or("");
    for (int code : codes) r.status += (r.status.empty() ? "" : ",") + std::to_string(code);
    received_.push_back(std::move(r));
    if (c.no_resp) continue;
    for (int code : codes) {
      auto s = status(c.cmd_id, c.name, code);
      if (c.items.size() > 1)
        for (const auto& ic : step.codes)
          if (ic.code == code) s.target_refs.push_back(ic.target);
      m.body.push_back(std::move(s));
    }
    if (!step.results.empty()) {
      syncml::Command res;
      res.name = "Results";
      res.msg_ref = msg_ref;
      res.cmd_ref = c.cmd_id;
      res.items = std::move(step.results);
      results.push_back(std::move(res));
    }
  }
  for (auto& res : results) {
    res.cmd_id = std::to_string(next++);
    m.body.push_back(std::move(res));
  }
  // A package split over several messages: ask for the next one.
  if (!server.final) m.body.push_back(alert(std::to_string(next++), syncml::kAlertNextMessage));
  m.final = true;
  return m;
}

}  // namespace mdmlab::simulators::windows_pc
