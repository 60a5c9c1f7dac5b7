#include "server/apple/apple_mdm_service.hpp"

#include <boost/asio/this_coro.hpp>

#include <cctype>

#include "core/log/log.hpp"
#include "crypto/digest.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/plist/xml.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;
using mdmlab::apple::CommandStatus;
using mdmlab::apple::enrollment_id;

namespace {
MdmReply plist_reply(const plist::Value& v) {
  auto xml = plist::to_xml(v);
  if (!xml) return MdmReply::fail(500, "cannot encode the answer");
  return MdmReply{200, *xml, "application/xml", {}};
}

MdmReply device_channel_only(const Checkin& msg) {
  return MdmReply::fail(
      400, std::string(mdmlab::apple::to_string(msg.type)) + " is a device-channel message");
}
}  // namespace

asio::awaitable<MdmReply> AppleMdmService::authenticate(const MdmRequest&, const Checkin& msg) {
  if (!msg.user_id.empty()) co_return device_channel_only(msg);
  store::AppleEnrollment e;
  e.udid = msg.udid;
  e.topic = msg.topic;
  e.serial_number = msg.serial_number;
  e.model = msg.model;
  e.os_version = msg.os_version;
  e.build_version = msg.build_version;
  e.device_name = msg.device_name;
  const auto now = clock_->now();
  auto stored = co_await enrollments_.authenticate(e, now);
  if (!stored) co_return MdmReply::unavailable();
  log::info("apple", "Authenticate {} ({} {})", msg.udid, msg.model, msg.serial_number);
  co_return MdmReply::empty();
}

asio::awaitable<MdmReply> AppleMdmService::token_update(const MdmRequest&, const Checkin& msg) {
  const auto now = clock_->now();
  const auto id = enrollment_id(msg.udid, msg.user_id);
  if (msg.user_id.empty()) {
    auto updated = co_await enrollments_.token_update(msg.udid, msg.topic, msg.token,
                                                      msg.push_magic, msg.unlock_token, now);
    if (!updated) co_return MdmReply::unavailable();
    if (!*updated) co_return MdmReply::fail(400, "TokenUpdate before Authenticate");
    // An ADE Mac waits in Setup Assistant (its cloud configuration said
    // await_device_configured) until the server says it is done: the reference server has no
    // setup of its own to run first, so it says so at once.
    if (msg.awaiting_configuration.value_or(false)) {
      auto queued = co_await queue_device_configured(msg.udid, now);
      if (!queued) co_return MdmReply::unavailable();
    }
  } else {
    store::AppleEnrollment u;
    u.udid = id;
    u.device_udid = msg.udid;
    u.user_id = msg.user_id;
    u.user_short_name = msg.user_short_name;
    u.user_long_name = msg.user_long_name;
    u.topic = msg.topic;
    u.push_token = msg.token;
    u.push_magic = msg.push_magic;
    auto updated = co_await enrollments_.user_token_update(u, now);
    if (!updated) co_return MdmReply::unavailable();
    if (!*updated)
      co_return MdmReply::fail(400, "a user channel needs the device's active enrollment");
    log::info("apple", "user channel {} ({})", id, msg.user_short_name);
  }
  co_await push_if_queued(id);
  co_return MdmReply::empty();
}

asio::awaitable<std::optional<MdmReply>> AppleMdmService::needs_active_device(const Checkin& msg) {
  auto found = co_await enrollments_.find_enrollment(msg.udid);
  if (!found) co_return MdmReply::unavailable();
  const auto& device = *found;
  if (!device || !device->enabled)
    co_return MdmReply::fail(400, "a user channel needs the device's active enrollment");
  co_return std::nullopt;
}

asio::awaitable<MdmReply> AppleMdmService::user_authenticate(const MdmRequest&,
                                                             const Checkin& msg) {
  if (msg.user_id.empty()) co_return MdmReply::fail(400, "UserAuthenticate without UserID");
  if (auto refused = co_await needs_active_device(msg)) co_return *refused;
  // First message: an empty DigestChallenge says no further authentication is needed; the
  // device then answers with its DigestResponse, which we accept.
  if (msg.digest_response) co_return MdmReply::empty();
  plist::Value v;
  v.set("DigestChallenge", std::string());
  co_return plist_reply(v);
}

asio::awaitable<MdmReply> AppleMdmService::set_bootstrap_token(const MdmRequest&,
                                                               const Checkin& msg) {
  if (!msg.user_id.empty()) co_return device_channel_only(msg);
  auto stored = co_await bootstrap_.set_bootstrap_token(msg.udid, msg.bootstrap_token);
  if (!stored) co_return MdmReply::unavailable();
  if (!*stored)
    co_return MdmReply::fail(400, "SetBootstrapToken for an unknown or inactive enrollment");
  co_return MdmReply::empty();
}

asio::awaitable<MdmReply> AppleMdmService::get_bootstrap_token(const MdmRequest&,
                                                               const Checkin& msg) {
  if (!msg.user_id.empty()) co_return device_channel_only(msg);
  // Only an active enrollment (TokenUpdate after its Authenticate, no CheckOut) may read its
  // token; Authenticate cleared whatever a previous holder of the UDID had stored.
  auto found = co_await bootstrap_.bootstrap_token(msg.udid);
  if (!found) co_return MdmReply::unavailable();
  const auto& token = *found;
  if (!token)
    co_return MdmReply::fail(400, "GetBootstrapToken for an unknown or inactive enrollment");
  plist::Value v;
  if (!token->empty()) v.set("BootstrapToken", *token);
  co_return plist_reply(v);
}

asio::awaitable<MdmReply> AppleMdmService::check_out(const MdmRequest&, const Checkin& msg) {
  const auto id = enrollment_id(msg.udid, msg.user_id);
  const auto now = clock_->now();
  auto checked_out = co_await enrollments_.check_out(id, now);
  if (!checked_out) co_return MdmReply::unavailable();
  log::info("apple", "CheckOut {}", id);
  co_return MdmReply::empty();
}

asio::awaitable<MdmReply> AppleMdmService::declarative_management(const MdmRequest&,
                                                                  const Checkin& msg) {
  if (!ddm_) co_return MdmReply::fail(404, "declarative management is not served here");
  // DDM speaks to an active enrollment only: the device's, or a user channel inside it.
  const auto id = enrollment_id(msg.udid, msg.user_id);
  auto found = co_await enrollments_.find_enrollment(id);
  if (!found) co_return MdmReply::unavailable();
  if (!*found || !(*found)->enabled)
    co_return MdmReply::fail(400, "DeclarativeManagement for an unknown or inactive enrollment");
  co_return co_await ddm_->answer(id, msg);
}

asio::awaitable<Result<void>> AppleMdmService::queue_device_configured(std::string udid,
                                                                       TimePoint at) {
  // One DeviceConfigured per enrollment: its CommandUUID comes from the UDID and the
  // Authenticate it follows, so a TokenUpdate sent again (after a 503, say) queues nothing new.
  auto found = co_await enrollments_.find_enrollment(udid);
  if (!found) co_return found.error();
  const auto since =
      found->has_value() ? (*found)->authenticated_at.time_since_epoch().count() : std::int64_t{0};
  auto h = crypto::sha256_hex(to_bytes("DeviceConfigured|" + udid + "|" + std::to_string(since)));
  for (auto& ch : h) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  mdmlab::apple::Command c;
  c.command_uuid = h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
                   h.substr(16, 4) + "-" + h.substr(20, 12);
  c.command.set("RequestType", "DeviceConfigured");
  auto xml = mdmlab::apple::encode_command(c);
  if (!xml) co_return xml.error();
  store::QueuedCommand q{c.command_uuid, "DeviceConfigured", *xml, 0, 0};
  std::vector<std::string> udids = {udid};
  auto queued = co_await queue_.enqueue(std::move(udids), std::move(q), at);
  if (!queued) co_return queued.error();
  if (!*queued) co_return success();  // already queued for this enrollment
  log::info("apple", "{} is awaiting configuration: DeviceConfigured queued", udid);
  co_return success();
}

asio::awaitable<void> AppleMdmService::push_if_queued(std::string id) {
  // The TokenUpdate is stored; the push is a courtesy. If the store cannot say whether work is
  // waiting (logged and counted there), the device finds it at its next poll.
  auto waiting = co_await queue_.next_command(id, false);
  if (waiting && *waiting) {
    auto ex = co_await asio::this_coro::executor;
    push_.push(ex, {id});
  }
}

asio::awaitable<MdmReply> AppleMdmService::command_report(
    const MdmRequest&, const mdmlab::apple::CommandReport& report) {
  const auto now = clock_->now();
  // The channel the report came on: its queue, its results.
  const auto id = enrollment_id(report.udid, report.user_id);
  auto found = co_await enrollments_.find_enrollment(id);
  if (!found) co_return MdmReply::unavailable();
  const auto& enrollment = *found;
  if (!enrollment) co_return MdmReply::fail(401, "device is not enrolled");
  if (!enrollment->enabled)
    co_return MdmReply::fail(401, "enrollment is not active (no TokenUpdate, or CheckOut)");
  auto touched = co_await enrollments_.touch(id, now);
  if (!touched) co_return MdmReply::unavailable();
  if (report.status != CommandStatus::idle) {
    auto raw = plist::to_xml(report.raw);
    // Named arguments: GCC 12 destroys temporaries inside a co_await expression twice.
    std::string status(mdmlab::apple::to_string(report.status));
    std::string result = raw ? *raw : std::string();
    auto recorded = co_await queue_.record_result(id, report.command_uuid, status, result, now);
    if (!recorded) co_return MdmReply::unavailable();
    if (!*recorded)
      log::warn("apple", "{} reported {} for unknown command {}", id,
                mdmlab::apple::to_string(report.status), report.command_uuid);
  }
  // NanoMDM's rule: NotNow'd commands wait until the device says Idle.
  const bool skip_not_now = report.status != CommandStatus::idle;
  auto found_next = co_await queue_.next_command(id, skip_not_now);
  if (!found_next) co_return MdmReply::unavailable();
  const auto& next = *found_next;
  if (!next) co_return MdmReply::empty();
  co_return MdmReply{200, next->plist, "application/xml", {}};
}

}  // namespace mdmlab::server::apple
