#include "server/windows/management_service.hpp"

#include <nlohmann/json.hpp>

#include <limits>
#include <map>
#include <mutex>
#include <set>

#include "core/log/log.hpp"
#include "core/net/media_type.hpp"
#include "crypto/digest.hpp"
#include "protocol/windows/syncml.hpp"
#include "server/windows/windows_enrollment_routes.hpp"

namespace mdmlab::server::windows {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;
namespace syncml = mdmlab::windows::syncml;

namespace {
constexpr auto kSessionLifetime = std::chrono::hours(1);
constexpr std::size_t kMaxSessions = 10000;
constexpr std::size_t kMaxCommandsPerMessage = 50;

// What one management session sent: (our MsgID, CmdID) -> command_uuid, and which commands
// went out already (they are not sent twice in a session).
// A command too large for the device's MaxMsgSize on its way in chunks (OMA DM large object:
// the Item's Data split, MoreData on all but the last, Meta Size on the first).
struct LargeObject {
  std::string uuid;
  syncml::Command command;  // one Item; its Data is `data`
  std::string data;
  std::size_t offset = 0;
};

struct Session {
  std::map<std::pair<std::string, std::string>, std::string> sent;
  std::set<std::string> uuids;
  std::optional<LargeObject> large;
  TimePoint started{};
};

struct Service {
  Service(std::string url, store::WindowsStore& st, std::shared_ptr<Clock> k,
          metrics::Family<metrics::Counter>* m, metrics::Family<metrics::Counter>* a)
      : management_url(std::move(url)), store(st), clock(std::move(k)), messages(m), answers(a) {}

  std::string management_url;
  store::WindowsStore& store;
  std::shared_ptr<Clock> clock;
  metrics::Family<metrics::Counter>* messages;
  metrics::Family<metrics::Counter>* answers;
  std::mutex mutex;
  std::map<std::string, Session> sessions;  // device_id + "/" + SessionID

  Session& session(const std::string& key, TimePoint now) {
    for (auto it = sessions.begin(); it != sessions.end();)
      it = now - it->second.started > kSessionLifetime ? sessions.erase(it) : std::next(it);
    if (sessions.size() >= kMaxSessions && !sessions.count(key)) sessions.erase(sessions.begin());
    auto [it, fresh] = sessions.try_emplace(key);
    if (fresh) it->second.started = now;
    return it->second;
  }
};

HttpResponse syncml_answer(const syncml::Message& m) {
  auto xml = syncml::serialize(m);
  if (!xml) return HttpResponse::text(500, "cannot write the answer\n");
  return HttpResponse::binary(200, *xml, syncml::kContentType);
}

syncml::Command status(int& next_id, const std::string& msg_ref, const std::string& cmd_ref,
                       const std::string& cmd, const std::string& code) {
  syncml::Command s;
  s.name = "Status";
  s.cmd_id = std::to_string(next_id++);
  s.msg_ref = msg_ref;
  s.cmd_ref = cmd_ref;
  s.cmd = cmd;
  s.data = code;
  return s;
}

void number(syncml::Command& c, int& next_id) {
  c.cmd_id = std::to_string(next_id++);
  for (auto& child : c.children) number(child, next_id);
}

json results_json(const syncml::Command& results) {
  json out = json::array();
  for (const auto& it : results.items) {
    json item{{"source", it.source}, {"data", it.data.value_or("")}};
    if (it.meta) {
      item["format"] = it.meta->format;
      item["type"] = it.meta->type;
    }
    out.push_back(std::move(item));
  }
  return out;
}

std::size_t size_of(const syncml::Message& m) {
  auto xml = syncml::serialize(m);
  return xml ? xml->size() : std::numeric_limits<std::size_t>::max();
}

// A large object is one Replace or Add of one Item with Data.
bool splittable(const syncml::Command& c) {
  return (c.name == "Replace" || c.name == "Add") && c.items.size() == 1 && c.items.front().data &&
         c.children.empty();
}

// The next chunk of the session's large object into `out`: as much Data as keeps `out` under
// `limit` (escaping counted, UTF-8 sequences kept whole). All but the last chunk carry MoreData
// and leave the message without Final (the device answers 213 and asks for more with Alert
// 1222); the last one's Status is the command's answer.
void send_chunk(Session& session, syncml::Message& out, int& next_id, std::size_t limit) {
  auto& large = *session.large;
  syncml::Command piece = large.command;
  piece.cmd_id = std::to_string(next_id++);
  auto& item = piece.items.front();
  item.data_is_xml = false;  // sent as text: a cut through XML markup must stay text
  if (!item.meta) item.meta = syncml::Meta{};
  item.meta->size.reset();
  if (large.offset == 0) item.meta->size = static_cast<long long>(large.data.size());
  item.data = "";
  item.more_data = true;
  out.body.push_back(piece);
  const auto base = size_of(out);
  out.body.pop_back();
  const auto room = base + 64 < limit ? limit - base - 64 : std::size_t{256};
  std::size_t n = std::min(room, large.data.size() - large.offset);
  auto escaped = [&](std::size_t len) {
    std::size_t total = 0;
    for (std::size_t i = 0; i < len; ++i) {
      const char ch = large.data[large.offset + i];
      total += ch == '&' ? 5 : ch == '<' || ch == '>' ? 4 : ch == '"' || ch == '\'' ? 6 : 1;
    }
    return total;
  };
  while (n > 1 && escaped(n) > room) n = n * 3 / 4;
  while (n > 1 && large.offset + n < large.data.size() &&
         (static_cast<unsigned char>(large.data[large.offset + n]) & 0xC0) == 0x80)
    --n;
  item.data = large.data.substr(large.offset, n);
  large.offset += n;
  const bool last = large.offset >= large.data.size();
  item.more_data = !last;
  if (last) {
    session.sent[{out.header.msg_id, piece.cmd_id}] = large.uuid;
    session.large.reset();
  } else {
    out.final = false;
  }
  out.body.push_back(std::move(piece));
}

asio::awaitable<HttpResponse> handle(std::shared_ptr<Service> s, const HttpRequest& req) {
  auto count = [&](const char* result) { s->messages->with({result}).inc(); };
  if (!req.client_certificate) {
    count("unauthenticated");
    co_return HttpResponse::text(401, "a TLS client certificate is required\n");
  }
  const auto& cert = *req.client_certificate;
  const auto device_id = cert.subject_field("CN");
  auto enrollment = co_await s->store.windows_enrollment(device_id);
  if (!enrollment) {
    count("store_error");
    co_return HttpResponse::text(503, "try again later\n");
  }
  if (!*enrollment || !(*enrollment)->enabled ||
      (*enrollment)->cert_fingerprint != crypto::sha256_hex(cert.to_der())) {
    count("forbidden");
    co_return HttpResponse::text(403, "this certificate enrolls no Windows device\n");
  }
  if (!net::media_type_is(req.header("Content-Type"), syncml::kContentType)) {
    count("refused");
    co_return HttpResponse::text(415, "the body must be application/vnd.syncml.dm+xml\n");
  }
  auto in = syncml::parse(req.body);
  if (!in) {
    count("refused");
    co_return HttpResponse::text(400, "not a SyncML DM 1.2 message: " + in.error().message + "\n");
  }
  syncml::Message out;
  out.header.session_id = in->header.session_id;
  out.header.msg_id = in->header.msg_id;
  out.header.target = in->header.source;
  out.header.source = s->management_url;
  out.final = true;
  int next_id = 1;
  if (in->header.source != device_id) {
    // The message claims another device than the certificate: nothing of it is taken.
    count("wrong_device");
    out.body.push_back(status(next_id, in->header.msg_id, "0", "SyncHdr", "403"));
    co_return syncml_answer(out);
  }
  const auto now = s->clock->now();
  out.body.push_back(status(next_id, in->header.msg_id, "0", "SyncHdr", "200"));

  // The device's answers to our commands, and its own commands.
  std::map<std::string, std::pair<std::string, json>> answered;  // uuid -> (status, results)
  std::string model, manufacturer;
  bool unenroll = false;
  {
    std::lock_guard lock(s->mutex);
    auto& session = s->session(device_id + "/" + in->header.session_id, now);
    for (const auto& c : in->body) {
      auto sent = session.sent.find({c.msg_ref, c.cmd_ref});
      if (c.name == "Status" || c.name == "Results") {
        if (sent == session.sent.end()) continue;  // SyncHdr statuses, or nothing of ours
        auto& a = answered[sent->second];
        if (c.name == "Status") a.first = c.data;
        if (c.name == "Results") {
          if (a.second.is_null()) a.second = json::array();
          for (auto& r : results_json(c)) a.second.push_back(std::move(r));
        }
        continue;
      }
      std::string code = "200";
      if (c.name == "Alert") {
        unenroll |= c.data == syncml::kAlertUnenroll;
      } else if (c.name == "Replace") {
        for (const auto& it : c.items) {
          if (it.source == "./DevInfo/Mod") model = it.data.value_or("");
          if (it.source == "./DevInfo/Man") manufacturer = it.data.value_or("");
        }
      } else {
        code = "406";  // a device sends us Alerts and Replaces, nothing else
      }
      out.body.push_back(status(next_id, in->header.msg_id, c.cmd_id, c.name, code));
    }
  }
  for (const auto& [uuid, a] : answered) {
    // Named first: GCC 12 destroys temporaries inside a co_await expression twice.
    std::string code = a.first.empty() ? "200" : a.first;
    std::string results = a.second.is_null() ? "" : a.second.dump();
    std::string id = uuid;
    auto recorded = co_await s->store.record_windows_result(id, code, results, now);
    if (!recorded) {
      count("store_error");
      co_return HttpResponse::text(503, "try again later\n");
    }
    s->answers->with({code}).inc();
  }
  auto touched = co_await s->store.update_windows_device(device_id, model, manufacturer, now);
  if (!touched) {
    count("store_error");
    co_return HttpResponse::text(503, "try again later\n");
  }
  if (unenroll) {
    auto disabled = co_await s->store.disable_windows_enrollment(device_id, now);
    if (!disabled) {
      count("store_error");
      co_return HttpResponse::text(503, "try again later\n");
    }
    log::info("windows", "{} unenrolled (Alert 1226)", device_id);
    count("unenrolled");
    co_return syncml_answer(out);
  }

  // Our commands: queued ones, and ones an earlier session sent but never saw answered.
  auto pending = co_await s->store.pending_windows_commands(device_id);
  if (!pending) {
    count("store_error");
    co_return HttpResponse::text(503, "try again later\n");
  }
  std::vector<std::string> sending;
  {
    std::lock_guard lock(s->mutex);
    auto& session = s->session(device_id + "/" + in->header.session_id, now);
    // The device's MaxMsgSize (SyncHdr Meta): our message stays under it.
    std::optional<std::size_t> limit;
    if (in->header.meta && in->header.meta->max_msg_size && *in->header.meta->max_msg_size >= 1024)
      limit = static_cast<std::size_t>(*in->header.meta->max_msg_size);
    if (session.large && limit) {
      send_chunk(session, out, next_id, *limit);
    } else {
      for (const auto& cmd : *pending) {
        if (session.uuids.count(cmd.command_uuid) || answered.count(cmd.command_uuid)) continue;
        if (sending.size() >= kMaxCommandsPerMessage) break;
        auto parsed = syncml::parse_command(cmd.syncml);
        if (!parsed) {
          log::warn("windows", "queued command {} does not parse: {}", cmd.command_uuid,
                    parsed.error().message);
          continue;
        }
        number(*parsed, next_id);
        out.body.push_back(*parsed);
        if (limit && size_of(out) > *limit) {
          out.body.pop_back();
          if (!sending.empty()) break;  // the rest in the next message of the session
          if (splittable(*parsed)) {
            session.uuids.insert(cmd.command_uuid);
            sending.push_back(cmd.command_uuid);
            session.large =
                LargeObject{cmd.command_uuid, *parsed, parsed->items.front().data.value_or(""), 0};
            send_chunk(session, out, next_id, *limit);
            break;
          }
          out.body.push_back(*parsed);  // cannot be split: the device decides
        }
        session.sent[{out.header.msg_id, parsed->cmd_id}] = cmd.command_uuid;
        session.uuids.insert(cmd.command_uuid);
        sending.push_back(cmd.command_uuid);
      }
    }
  }
  if (!sending.empty()) {
    auto marked = co_await s->store.mark_windows_commands_sent(sending);
    if (!marked) {
      count("store_error");
      co_return HttpResponse::text(503, "try again later\n");
    }
  }
  count(sending.empty() ? "ok" : "ok_with_commands");
  co_return syncml_answer(out);
}
}  // namespace

void add_windows_management_routes(net::Router& router, const std::string& management_url,
                                   store::WindowsStore& store, std::shared_ptr<Clock> clock,
                                   metrics::Registry& registry) {
  auto s = std::make_shared<Service>(
      management_url, store, std::move(clock),
      &registry.counter("mdmlab_windows_management_messages_total",
                        "SyncML messages at the Windows management endpoint, by result",
                        {"result"}),
      &registry.counter("mdmlab_windows_command_answers_total",
                        "Windows command answers stored, by the device's Status code", {"status"}));
  for (const char* path : {kManagementPath, "/api/mdm/microsoft/management"})
    router.add("POST", path, [s](const HttpRequest& req) { return handle(s, req); });
}

}  // namespace mdmlab::server::windows
