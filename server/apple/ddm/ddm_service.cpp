#include "server/apple/ddm/ddm_service.hpp"

#include "common/time.hpp"
#include "core/log/log.hpp"
#include "crypto/random.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/apple/ddm/status_report.hpp"
#include "protocol/apple/ddm/sync_messages.hpp"

namespace mdmlab::server::apple::ddm {
namespace asio = boost::asio;
namespace wire = mdmlab::apple::ddm;

namespace {
MdmReply json_reply(std::string body) {
  MdmReply r;
  r.body = std::move(body);
  r.content_type = "application/json";
  return r;
}

std::string endpoint_label(const std::string& endpoint) {
  auto parsed = wire::parse_endpoint(endpoint);
  if (!parsed) return "other";
  switch (parsed->kind) {
    case wire::Endpoint::Kind::tokens:
      return "tokens";
    case wire::Endpoint::Kind::declaration_items:
      return "declaration-items";
    case wire::Endpoint::Kind::status:
      return "status";
    case wire::Endpoint::Kind::declaration:
      return "declaration";
  }
  return "other";
}
}  // namespace

DdmService::DdmService(store::DdmStore& store, store::CommandQueueStore& queue,
                       BackgroundPush& push, std::shared_ptr<Clock> clock,
                       metrics::Registry& registry)
    : store_(store),
      queue_(queue),
      push_(push),
      clock_(std::move(clock)),
      checkins_(registry.counter("mdmlab_ddm_checkins_total",
                                 "DeclarativeManagement check-ins by Endpoint and HTTP status",
                                 {"endpoint", "code"})),
      statuses_(registry.counter("mdmlab_ddm_declaration_status_total",
                                 "Declaration statuses devices reported, by validity", {"valid"})) {
}

asio::awaitable<Result<wire::SyncTokens>> DdmService::tokens(std::string enrollment_id) {
  auto decls = co_await store_.declarations_for(std::move(enrollment_id));
  if (!decls) co_return decls.error();
  co_return wire::SyncTokens{wire::declarations_token(*decls), rfc3339_utc(clock_->now())};
}

asio::awaitable<MdmReply> DdmService::answer(const std::string& enrollment_id, const Checkin& msg) {
  auto reply = co_await answer_endpoint(enrollment_id, msg);
  checkins_.with({endpoint_label(msg.endpoint), std::to_string(reply.status)}).inc();
  co_return reply;
}

asio::awaitable<MdmReply> DdmService::answer_endpoint(const std::string& enrollment_id,
                                                      const Checkin& msg) {
  auto endpoint = wire::parse_endpoint(msg.endpoint);
  if (!endpoint) co_return MdmReply::fail(400, "unknown DeclarativeManagement Endpoint");
  using Kind = wire::Endpoint::Kind;
  if (endpoint->kind == Kind::status) {
    auto report = wire::parse_status_report(to_string(msg.data));
    if (!report)
      co_return MdmReply::fail(400, "unreadable status report: " + report.error().message);
    for (const auto& s : report->declarations) statuses_.with({s.valid}).inc();
    auto stored =
        co_await store_.store_ddm_status(enrollment_id, std::move(*report), clock_->now());
    if (!stored) co_return MdmReply::unavailable();
    co_return MdmReply::empty();
  }
  auto decls = co_await store_.declarations_for(enrollment_id);
  if (!decls) co_return MdmReply::unavailable();
  switch (endpoint->kind) {
    case Kind::tokens:
      co_return json_reply(
          wire::encode_tokens({wire::declarations_token(*decls), rfc3339_utc(clock_->now())}));
    case Kind::declaration_items:
      co_return json_reply(wire::encode_declaration_items(wire::items_of(*decls)));
    case Kind::declaration:
      for (const auto& d : *decls)
        if (d.identifier == endpoint->identifier && d.kind() == endpoint->declaration_kind)
          co_return json_reply(wire::encode_declaration(d));
      co_return MdmReply::fail(404, "no such declaration for this enrollment");
    case Kind::status:
      break;
  }
  co_return MdmReply::fail(400, "unknown DeclarativeManagement Endpoint");
}

asio::awaitable<Result<int>> DdmService::notify(std::vector<std::string> enrollment_ids) {
  int queued = 0;
  std::vector<std::string> pushed;
  for (auto& id : enrollment_ids) {
    auto t = co_await tokens(id);
    if (!t) co_return t.error();
    mdmlab::apple::Command c;
    c.command_uuid = crypto::random_uuid();
    c.command.set("RequestType", "DeclarativeManagement");
    c.command.set("Data", to_bytes(wire::encode_tokens(*t)));
    auto xml = mdmlab::apple::encode_command(c);
    if (!xml) co_return xml.error();
    store::QueuedCommand q{c.command_uuid, "DeclarativeManagement", *xml, 0, 0};
    std::vector<std::string> one = {id};
    auto ok = co_await queue_.enqueue(std::move(one), std::move(q), clock_->now());
    if (!ok) co_return ok.error();
    ++queued;
    pushed.push_back(id);
  }
  if (!pushed.empty()) {
    auto ex = co_await asio::this_coro::executor;
    push_.push(ex, std::move(pushed));
  }
  log::info("ddm", "DeclarativeManagement queued for {} enrollment(s)", queued);
  co_return queued;
}

}  // namespace mdmlab::server::apple::ddm
