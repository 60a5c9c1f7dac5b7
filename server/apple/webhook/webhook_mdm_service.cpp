#include "server/apple/webhook/webhook_mdm_service.hpp"

#include <ctime>

#include "core/net/http_message.hpp"
#include "crypto/random.hpp"
#include "protocol/apple/webhook_event.hpp"

namespace mdmlab::server::apple {
namespace asio = boost::asio;
using mdmlab::apple::WebhookEvent;

namespace {
// "a=1&b=2" -> {a: 1, b: 2}; pairs that do not decode are left out.
std::map<std::string, std::string> url_params(std::string_view query) {
  std::map<std::string, std::string> params;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    auto eq = pair.find('=');
    auto key = net::percent_decode(pair.substr(0, eq));
    auto value = net::percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (key && value && !key->empty()) params[*key] = *value;
  }
  return params;
}

// The identifiers every event carries: UDID or EnrollmentID as the message named it, and
// NanoMDM's ids (the enrollment id; Device, User, or the user-enrollment forms).
WebhookEvent base_event(const MdmRequest& req, const std::string& topic, const std::string& udid,
                        const std::string& user_id, bool user_enrollment, TimePoint at) {
  WebhookEvent e;
  e.topic = topic;
  e.event_id = crypto::random_uuid();
  e.created_at = rfc3339_utc(at);
  (user_enrollment ? e.enrollment_id : e.udid) = udid;
  e.id = mdmlab::apple::enrollment_id(udid, user_id);
  if (user_id.empty()) {
    e.id_type = user_enrollment ? "User Enrollment (Device)" : "Device";
  } else {
    e.id_type = user_enrollment ? "User Enrollment" : "User";
    e.parent_id = udid;
  }
  e.url_params = url_params(req.query);
  e.raw_payload.assign(req.body.begin(), req.body.end());
  return e;
}

bool names_enrollment_id(const plist::Value& raw) {
  return raw.is_dict() && raw.find("EnrollmentID") != nullptr;
}
}  // namespace

asio::awaitable<MdmReply> WebhookMdmService::around(Method method, const MdmRequest& req,
                                                    const Checkin& msg) {
  auto reply = co_await (inner_.*method)(req, msg);
  if (reply.status != 200) co_return reply;
  auto event = base_event(req, mdmlab::apple::webhook_topic(msg.type), msg.udid, msg.user_id,
                          names_enrollment_id(msg.raw), clock_->now());
  if (msg.type == mdmlab::apple::CheckinType::token_update) {
    // The tally tells a first TokenUpdate (a new enrollment) from later ones.
    std::string id = event.id;
    auto found = co_await enrollments_.find_enrollment(id);
    if (found && *found) event.token_update_tally = (*found)->token_update_count;
  }
  sender_.post(event.topic, mdmlab::apple::encode_webhook_event(event));
  co_return reply;
}

asio::awaitable<MdmReply> WebhookMdmService::command_report(
    const MdmRequest& req, const mdmlab::apple::CommandReport& report) {
  auto reply = co_await inner_.command_report(req, report);
  if (reply.status != 200) co_return reply;
  auto event = base_event(req, mdmlab::apple::kConnectTopic, report.udid, report.user_id,
                          names_enrollment_id(report.raw), clock_->now());
  event.acknowledge = true;
  event.status = std::string(mdmlab::apple::to_string(report.status));
  event.command_uuid = report.command_uuid;
  sender_.post(event.topic, mdmlab::apple::encode_webhook_event(event));
  co_return reply;
}

}  // namespace mdmlab::server::apple
