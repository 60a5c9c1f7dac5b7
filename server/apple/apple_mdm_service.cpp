#include "server/apple/apple_mdm_service.hpp"

#include <boost/asio/this_coro.hpp>

#include "core/log/log.hpp"
#include "protocol/plist/xml.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;
using mdmlab::apple::CheckinType;
using mdmlab::apple::CommandStatus;

asio::awaitable<MdmReply> AppleMdmService::checkin(const MdmRequest&,
                                                   const mdmlab::apple::Checkin& msg) {
  const auto now = clock_->now();
  switch (msg.type) {
    case CheckinType::authenticate: {
      store::AppleEnrollment e;
      e.udid = msg.udid;
      e.topic = msg.topic;
      e.serial_number = msg.serial_number;
      e.model = msg.model;
      e.os_version = msg.os_version;
      e.build_version = msg.build_version;
      e.device_name = msg.device_name;
      co_await store_.authenticate(e, now);
      log::info("apple", "Authenticate {} ({} {})", msg.udid, msg.model, msg.serial_number);
      co_return MdmReply::empty();
    }
    case CheckinType::token_update: {
      bool ok = co_await store_.token_update(msg.udid, msg.topic, msg.token, msg.push_magic,
                                             msg.unlock_token, now);
      if (!ok) co_return MdmReply::fail(400, "TokenUpdate before Authenticate");
      auto waiting = co_await store_.next_command(msg.udid, false);
      if (waiting) {
        auto ex = co_await asio::this_coro::executor;
        push_.push(ex, {msg.udid});
      }
      co_return MdmReply::empty();
    }
    case CheckinType::check_out: {
      co_await store_.check_out(msg.udid, now);
      log::info("apple", "CheckOut {}", msg.udid);
      co_return MdmReply::empty();
    }
    case CheckinType::set_bootstrap_token: {
      bool ok = co_await store_.set_bootstrap_token(msg.udid, msg.bootstrap_token);
      if (!ok)
        co_return MdmReply::fail(400, "SetBootstrapToken for an unknown or inactive enrollment");
      co_return MdmReply::empty();
    }
    case CheckinType::get_bootstrap_token: {
      auto e = co_await store_.find_enrollment(msg.udid);
      // Only an active enrollment (TokenUpdate after its Authenticate, no CheckOut) may read
      // its token; Authenticate cleared whatever a previous holder of the UDID had stored.
      if (!e || !e->enabled)
        co_return MdmReply::fail(400, "GetBootstrapToken for an unknown or inactive enrollment");
      plist::Value v;
      if (!e->bootstrap_token.empty()) v.set("BootstrapToken", e->bootstrap_token);
      auto xml = plist::to_xml(v);
      co_return MdmReply{200, *xml, "application/xml", {}};
    }
    case CheckinType::user_authenticate:
      // User channels are not supported by the reference server: 410 tells the device so.
      co_return MdmReply::fail(410, "user channel not supported");
    case CheckinType::declarative_management:
      co_return MdmReply::fail(404, "declarative management not supported yet");
  }
  co_return MdmReply::fail(400, "unknown check-in");
}

asio::awaitable<MdmReply> AppleMdmService::command_report(
    const MdmRequest&, const mdmlab::apple::CommandReport& report) {
  const auto now = clock_->now();
  auto enrollment = co_await store_.find_enrollment(report.udid);
  if (!enrollment) co_return MdmReply::fail(401, "device is not enrolled");
  if (!enrollment->enabled)
    co_return MdmReply::fail(401, "enrollment is not active (no TokenUpdate, or CheckOut)");
  co_await store_.touch(report.udid, now);
  if (report.status != CommandStatus::idle) {
    auto raw = plist::to_xml(report.raw);
    // Named arguments: GCC 12 destroys temporaries inside a co_await expression twice.
    std::string status(mdmlab::apple::to_string(report.status));
    std::string result = raw ? *raw : std::string();
    bool known =
        co_await store_.record_result(report.udid, report.command_uuid, status, result, now);
    if (!known)
      log::warn("apple", "{} reported {} for unknown command {}", report.udid,
                mdmlab::apple::to_string(report.status), report.command_uuid);
  }
  // NanoMDM's rule: NotNow'd commands wait until the device says Idle.
  auto next = co_await store_.next_command(report.udid, report.status != CommandStatus::idle);
  if (!next) co_return MdmReply::empty();
  co_return MdmReply{200, next->plist, "application/xml", {}};
}

}  // namespace mdmlab::server::apple
