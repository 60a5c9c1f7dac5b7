#include "scenarios/replay/capture_replay.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>

#include <map>

#include <nlohmann/json.hpp>

#include "core/net/io_runtime.hpp"
#include "crypto/key.hpp"
#include "crypto/random.hpp"
#include "protocol/apple/checkin.hpp"
#include "protocol/plist/xml.hpp"
#include "scenarios/engine/command_adapter.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"

namespace mdmlab::scenarios {
namespace asio = boost::asio;
using nlohmann::json;

namespace {
bool is_mdm(const std::string& content_type) {
  return content_type.rfind(apple::kCommandContentType, 0) == 0;  // both MDM types start so
}

void replace_all(std::string& s, const std::string& what, const std::string& with) {
  if (what.empty()) return;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + with.size()))
    s.replace(p, what.size(), with);
}

// What the capture redacted, made up again: data as 32 random bytes, strings as random hex (a
// push token, PushMagic, an unlock token: the server stores them, nothing checks them).
std::string unredact(std::string body) {
  for (auto p = body.find("<data>[redacted]</data>"); p != std::string::npos;
       p = body.find("<data>[redacted]</data>", p))
    body.replace(p, 23, "<data>" + base64_encode(crypto::random_bytes(32)) + "</data>");
  for (auto p = body.find("<string>[redacted]</string>"); p != std::string::npos;
       p = body.find("<string>[redacted]</string>", p))
    body.replace(p, 27, "<string>" + hex_encode(crypto::random_bytes(16)) + "</string>");
  return body;
}

std::string top_string(const std::string& body, const char* key) {
  auto v = plist::from_xml(unredact(body));
  if (!v || !v->is_dict()) return {};
  return v->string_or(key);
}
}  // namespace

std::pair<std::string, std::string> command_of(const std::string& body) {
  if (body.find("<plist") == std::string::npos) return {};
  auto v = plist::from_xml(unredact(body));
  if (!v || !v->is_dict()) return {};
  const auto* command = v->find("Command");
  if (!command || !command->is_dict()) return {};
  return {command->string_or("RequestType"), v->string_or("CommandUUID")};
}

Result<ReplayPlan> plan_replay(std::string_view capture_jsonl, const std::string& scenario,
                               const std::string& device) {
  std::vector<json> entries;
  std::size_t line_no = 0;
  for (std::size_t start = 0; start < capture_jsonl.size();) {
    auto end = capture_jsonl.find('\n', start);
    if (end == std::string_view::npos) end = capture_jsonl.size();
    auto line = capture_jsonl.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto e = json::parse(line, nullptr, false);
    if (e.is_discarded() || !e.is_object() || !e.contains("seq") || !e.contains("kind") ||
        !e.contains("from") || !e.contains("to"))
      return make_error("bad_capture", "line " + std::to_string(line_no) +
                                           " is not a capture entry (mdmlab run --capture)");
    entries.push_back(std::move(e));
  }
  ReplayPlan plan;
  // The first device message of the chosen scenario picks the defaults.
  for (const auto& e : entries) {
    if (e["kind"] != "request" || e["to"] != "server" ||
        !is_mdm(e.value("content_type", std::string())))
      continue;
    if (!scenario.empty() && e.value("scenario", std::string()) != scenario) continue;
    if (!device.empty() && e["from"] != device) continue;
    plan.scenario = e.value("scenario", std::string());
    plan.device = e["from"].get<std::string>();
    break;
  }
  if (plan.device.empty())
    return make_error("nothing_to_replay",
                      "the capture has no MDM message" +
                          (scenario.empty() ? std::string() : " in scenario '" + scenario + "'") +
                          (device.empty() ? std::string() : " from device '" + device + "'"));
  std::map<std::uint64_t, const json*> answers;
  for (const auto& e : entries)
    if (e.value("scenario", std::string()) == plan.scenario && e.contains("answers") &&
        e["kind"] != "request")
      answers[e["answers"].get<std::uint64_t>()] = &e;
  for (const auto& e : entries) {
    if (e.value("scenario", std::string()) != plan.scenario || e["kind"] != "request" ||
        e["from"] != plan.device || e["to"] != "server" ||
        !is_mdm(e.value("content_type", std::string())))
      continue;
    CapturedExchange x;
    x.seq = e["seq"].get<std::uint64_t>();
    x.checkin = e.value("content_type", std::string()) == apple::kCheckinContentType;
    x.body = e.value("body", std::string());
    x.summary = e.value("summary", std::string());
    if (auto a = answers.find(x.seq); a != answers.end()) {
      x.status = a->second->value("status", 0);
      x.answer_body = a->second->value("body", std::string());
    }
    if (x.body.find("<plist") == std::string::npos)
      x.replayable_why = "the capture holds no plist body for it";
    else if (x.body.find("(plist cut short") != std::string::npos ||
             x.body.find(" more bytes)") != std::string::npos)
      x.replayable_why = "its body was cut in the capture";
    if (plan.udid.empty() && x.replayable_why.empty()) {
      plan.udid = top_string(x.body, "UDID");
      if (plan.udid.empty()) plan.udid = top_string(x.body, "EnrollmentID");
    }
    plan.exchanges.push_back(std::move(x));
  }
  return plan;
}

int ReplayReport::same() const {
  int n = 0;
  for (const auto& x : exchanges) n += x.same;
  return n;
}
int ReplayReport::differ() const {
  int n = 0;
  for (const auto& x : exchanges) n += x.sent && !x.same;
  return n;
}
int ReplayReport::not_sent() const {
  int n = 0;
  for (const auto& x : exchanges) n += !x.sent;
  return n;
}

namespace {
// How to queue a command again: mdmlab's admin API when the target has it, else its
// command_api; none without either.
std::optional<CommandApi> queue_api(const Endpoints& ep) {
  if (!ep.admin_url.empty() && !ep.admin_token.empty()) {
    CommandApi api;
    api.method = "POST";
    api.url = ep.admin_url + "/admin/v1/apple/commands";
    api.body = R"({"udids": ["{udid}"], "plist": "{plist}"})";
    api.auth.bearer = ep.admin_token;
    return api;
  }
  return ep.command_api;
}

asio::awaitable<Result<ReplayReport>> run_replay(
    asio::any_io_executor executor, const ReplayPlan& plan, const TargetConfig& target,
    const std::function<void(const std::string&)>& progress) {
  simulators::mac::MacIdentity id;
  id.udid = crypto::random_uuid();
  id.serial_number = "C02" + hex_encode(crypto::random_bytes(5), true).substr(0, 9);
  id.device_name = "mdmlab replay of " + plan.device;
  auto key = crypto::PrivateKey::generate_rsa(2048);
  if (!key) co_return key.error();
  simulators::mac::SimulatedMac mac(executor, id, std::move(*key));
  auto enrolled = co_await mac.enroll_from_url(target.endpoints.profile_url, true);
  if (!enrolled)
    co_return make_error("enroll_failed", "the replaying device could not get an identity: " +
                                              enrolled.error().message);
  const auto api = queue_api(target.endpoints);
  std::map<std::string, std::string> uuids;  // captured CommandUUID -> this replay's
  ReplayReport report;
  report.udid = id.udid;
  for (const auto& x : plan.exchanges) {
    ReplayedExchange r;
    r.seq = x.seq;
    r.summary = x.summary;
    r.captured_status = x.status;
    auto [captured_type, captured_uuid] = command_of(x.answer_body);
    r.captured_command = captured_type;
    if (!x.replayable_why.empty()) {
      r.note = x.replayable_why;
      report.exchanges.push_back(r);
      continue;
    }
    if (!captured_type.empty() && !uuids.count(captured_uuid)) {
      // The capture shows the server handing out a new command here: queue it again first. (A
      // command offered again after NotNow is the server's to re-offer, not ours to queue.)
      if (!api) {
        r.note = "the command was not queued again: the target has no admin API or command_api";
      } else {
        auto fresh = crypto::random_uuid();
        auto xml = unredact(x.answer_body);
        replace_all(xml, captured_uuid, fresh);
        replace_all(xml, plan.udid, id.udid);
        BuiltCommand built{fresh, captured_type, xml};
        auto queued = co_await enqueue_with_adapter(executor, *api, id.udid, built, nullptr);
        if (!queued) r.note = "queueing the command again failed: " + queued.error().message;
        uuids[captured_uuid] = fresh;
      }
    }
    auto body = unredact(x.body);
    replace_all(body, plan.udid, id.udid);
    for (const auto& [old_uuid, new_uuid] : uuids) replace_all(body, old_uuid, new_uuid);
    auto res = co_await mac.send_raw(x.checkin, body);
    r.sent = true;
    if (!res) {
      r.note = "transport error: " + res.error().message;
    } else {
      r.status = res->status;
      auto [type, uuid] = command_of(res->body);
      r.command = type;
      if (!captured_uuid.empty() && !uuid.empty()) uuids[captured_uuid] = uuid;
    }
    r.same = res && r.status == r.captured_status && r.command == r.captured_command;
    if (res && !r.same)
      r.note = (r.note.empty() ? "" : r.note + "; ") + "captured " +
               std::to_string(r.captured_status) + " " +
               (r.captured_command.empty() ? "(no command)" : r.captured_command) + ", now " +
               std::to_string(r.status) + " " + (r.command.empty() ? "(no command)" : r.command) +
               (res->body.empty() || r.status == 200 ? "" : ": " + res->body.substr(0, 200));
    if (progress)
      progress("#" + std::to_string(r.seq) + " " + (x.checkin ? "check-in " : "command loop ") +
               r.summary + ": " + (r.same ? "same" : r.note));
    report.exchanges.push_back(std::move(r));
  }
  co_await mac.shutdown();
  co_return report;
}
}  // namespace

Result<ReplayReport> replay(const ReplayPlan& plan, const TargetConfig& target,
                            const std::function<void(const std::string&)>& progress) {
  net::IoRuntime io(2);
  auto strand = asio::make_strand(io.executor());
  auto result =
      asio::co_spawn(strand, run_replay(strand, plan, target, progress), asio::use_future).get();
  io.stop();
  return result;
}

}  // namespace mdmlab::scenarios
