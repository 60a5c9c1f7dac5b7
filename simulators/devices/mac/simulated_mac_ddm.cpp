// The Mac's side of Declarative Device Management, over the DeclarativeManagement check-in:
// tokens -> (if the DeclarationsToken changed) declaration-items -> each new or changed
// declaration -> evaluate -> a full status report.
#include "protocol/apple/ddm/status_report.hpp"
#include "protocol/apple/ddm/sync_messages.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"

namespace mdmlab::simulators::mac {
namespace asio = boost::asio;
namespace ddm = mdmlab::apple::ddm;
using mdmlab::apple::CheckinType;

asio::awaitable<Result<void>> SimulatedMac::sync_declarations() {
  auto op = ddm_sync_locked();
  auto r = co_await exclusive(std::move(op));
  co_return r;
}

asio::awaitable<Result<std::string>> SimulatedMac::ddm_checkin(std::string endpoint, Bytes data) {
  auto c = make_checkin(CheckinType::declarative_management, identity_.udid);
  c.endpoint = endpoint;
  c.data = std::move(data);
  auto body = mdmlab::apple::encode_checkin(c);
  if (!body) co_return body.error();
  auto res = co_await put(true, *body);
  if (!res) co_return res.error();
  if (res->status != 200)
    co_return make_error("ddm", "DeclarativeManagement " + endpoint + ": server answered " +
                                    std::to_string(res->status));
  co_return res->body;
}

asio::awaitable<Result<void>> SimulatedMac::ddm_sync_locked() {
  if (!server_) co_return make_error("not_enrolled", "the Mac has not enrolled");
  auto tokens_body = co_await ddm_checkin("tokens");
  if (!tokens_body) co_return tokens_body.error();
  auto tokens = ddm::parse_tokens(*tokens_body);
  if (!tokens) co_return tokens.error();
  // Nothing changed since the last sync: nothing to fetch or report.
  if (ddm_.syncs() > 0 && tokens->declarations_token == ddm_.declarations_token())
    co_return success();
  auto items_body = co_await ddm_checkin("declaration-items");
  if (!items_body) co_return items_body.error();
  auto items = ddm::parse_declaration_items(*items_body);
  if (!items) co_return items.error();
  std::vector<ddm::Declaration> held;
  for (auto kind : {ddm::DeclarationKind::activation, ddm::DeclarationKind::asset,
                    ddm::DeclarationKind::configuration, ddm::DeclarationKind::management}) {
    for (const auto& item : items->of(kind)) {
      if (const auto* kept = ddm_.held(item.identifier);
          kept && kept->server_token == item.server_token && kept->kind() == kind) {
        held.push_back(*kept);
        continue;
      }
      auto body = co_await ddm_checkin(ddm::declaration_endpoint(kind, item.identifier));
      if (!body) co_return body.error();
      auto d = ddm::parse_declaration(*body, true);
      if (!d) co_return d.error();
      if (d->identifier != item.identifier || d->kind() != kind)
        co_return make_error("ddm", "declaration/" + std::string(ddm::to_string(kind)) + "/" +
                                        item.identifier + " answered another declaration");
      held.push_back(std::move(*d));
    }
  }
  ddm_.install(std::move(held), items->declarations_token);
  auto report =
      ddm::encode_status_report(ddm_.status_report(identity_.udid, identity_.serial_number));
  auto sent = co_await ddm_checkin("status", to_bytes(report));
  if (!sent) co_return sent.error();
  co_return success();
}

}  // namespace mdmlab::simulators::mac
