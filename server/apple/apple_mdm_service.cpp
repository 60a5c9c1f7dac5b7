#include "server/apple/apple_mdm_service.hpp"

#include <boost/asio/this_coro.hpp>

#include "core/log/log.hpp"
#include "protocol/plist/xml.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;
using mdmlab::apple::CheckinType;
using mdmlab::apple::CommandStatus;

asio::awaitable<MdmReply> AppleMdmService::checkin(const MdmRequest& req,
                                                   const mdmlab::apple::Checkin& msg) {
  if (!msg.user_id.empty()) {
    auto reply = co_await user_checkin(req, msg);
    co_return reply;
  }
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
      co_await push_if_queued(msg.udid);
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
      co_return MdmReply::fail(400, "UserAuthenticate without UserID");
    case CheckinType::declarative_management:
      co_return MdmReply::fail(404, "declarative management not supported yet");
  }
  co_return MdmReply::fail(400, "unknown check-in");
}

// The user channel of a device ("UDID:UserID"): UserAuthenticate, its own TokenUpdate and
// CheckOut. It lives inside the device's active enrollment.
asio::awaitable<MdmReply> AppleMdmService::user_checkin(const MdmRequest&,
                                                        const mdmlab::apple::Checkin& msg) {
  const auto now = clock_->now();
  const auto id = mdmlab::apple::enrollment_id(msg.udid, msg.user_id);
  auto device = co_await store_.find_enrollment(msg.udid);
  if (!device || !device->enabled)
    co_return MdmReply::fail(400, "a user channel needs the device's active enrollment");
  switch (msg.type) {
    case CheckinType::user_authenticate: {
      // First message: an empty DigestChallenge says no further authentication is needed;
      // the device then answers with its DigestResponse, which we accept.
      if (msg.digest_response) co_return MdmReply::empty();
      plist::Value v;
      v.set("DigestChallenge", std::string());
      auto xml = plist::to_xml(v);
      co_return MdmReply{200, *xml, "application/xml", {}};
    }
    case CheckinType::token_update: {
      store::AppleEnrollment u;
      u.udid = id;
      u.device_udid = msg.udid;
      u.user_id = msg.user_id;
      u.user_short_name = msg.user_short_name;
      u.user_long_name = msg.user_long_name;
      u.topic = msg.topic;
      u.push_token = msg.token;
      u.push_magic = msg.push_magic;
      bool ok = co_await store_.user_token_update(u, now);
      if (!ok) co_return MdmReply::fail(400, "a user channel needs the device's active enrollment");
      log::info("apple", "user channel {} ({})", id, msg.user_short_name);
      co_await push_if_queued(id);
      co_return MdmReply::empty();
    }
    case CheckinType::check_out:
      co_await store_.check_out(id, now);
      co_return MdmReply::empty();
    default:
      co_return MdmReply::fail(
          400, std::string(mdmlab::apple::to_string(msg.type)) + " is a device-channel message");
  }
}

asio::awaitable<void> AppleMdmService::push_if_queued(std::string enrollment_id) {
  auto waiting = co_await store_.next_command(enrollment_id, false);
  if (waiting) {
    auto ex = co_await asio::this_coro::executor;
    push_.push(ex, {enrollment_id});
  }
}

asio::awaitable<MdmReply> AppleMdmService::command_report(
    const MdmRequest&, const mdmlab::apple::CommandReport& report) {
  const auto now = clock_->now();
  // The channel the report came on: its queue, its results.
  const auto id = mdmlab::apple::enrollment_id(report.udid, report.user_id);
  auto enrollment = co_await store_.find_enrollment(id);
  if (!enrollment) co_return MdmReply::fail(401, "device is not enrolled");
  if (!enrollment->enabled)
    co_return MdmReply::fail(401, "enrollment is not active (no TokenUpdate, or CheckOut)");
  co_await store_.touch(id, now);
  if (report.status != CommandStatus::idle) {
    auto raw = plist::to_xml(report.raw);
    // Named arguments: GCC 12 destroys temporaries inside a co_await expression twice.
    std::string status(mdmlab::apple::to_string(report.status));
    std::string result = raw ? *raw : std::string();
    bool known = co_await store_.record_result(id, report.command_uuid, status, result, now);
    if (!known)
      log::warn("apple", "{} reported {} for unknown command {}", id,
                mdmlab::apple::to_string(report.status), report.command_uuid);
  }
  // NanoMDM's rule: NotNow'd commands wait until the device says Idle.
  auto next = co_await store_.next_command(id, report.status != CommandStatus::idle);
  if (!next) co_return MdmReply::empty();
  co_return MdmReply{200, next->plist, "application/xml", {}};
}

}  // namespace mdmlab::server::apple
