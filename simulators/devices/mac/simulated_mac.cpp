#include "simulators/devices/mac/simulated_mac.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <map>

#include "crypto/random.hpp"
#include "protocol/apple/checkin.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/apple/command_table.hpp"
#include "protocol/plist/xml.hpp"
#include "simulators/devices/mac/profile_variables.hpp"
#include "simulators/scep/scep_client.hpp"

namespace mdmlab::simulators::mac {
namespace asio = boost::asio;
using mdmlab::apple::CheckinType;
using mdmlab::apple::CommandStatus;

std::string_view to_string(MacState s) {
  switch (s) {
    case MacState::unenrolled:
      return "unenrolled";
    case MacState::identity_issued:
      return "identity_issued";
    case MacState::authenticated:
      return "authenticated";
    case MacState::enrolled:
      return "enrolled";
    case MacState::checked_out:
      return "checked_out";
    case MacState::failed:
      return "failed";
  }
  return "unknown";
}

SimulatedMac::SimulatedMac(asio::any_io_executor executor, MacIdentity identity,
                           crypto::PrivateKey key, MacKnobs knobs)
    : executor_(asio::make_strand(executor)),
      gate_(executor_),
      identity_(std::move(identity)),
      key_(std::move(key)),
      knobs_(std::move(knobs)),
      responder_(identity_) {}

SimulatedMac::~SimulatedMac() = default;

// Runs `op` on the Mac's strand, holding the gate: one exchange with the server at a time.
template <typename T>
asio::awaitable<T> SimulatedMac::exclusive(asio::awaitable<T> op) {
  struct OnStrand {
    static asio::awaitable<T> run(SimulatedMac* mac, asio::awaitable<T> op) {
      auto guard = co_await mac->gate_.lock();
      auto r = co_await std::move(op);
      co_return r;
    }
  };
  auto task = OnStrand::run(this, std::move(op));
  auto r = co_await asio::co_spawn(executor_, std::move(task), asio::use_awaitable);
  co_return r;
}

net::HttpClientOptions SimulatedMac::client_options() const {
  net::HttpClientOptions o;
  o.transcript = knobs_.transcript;
  o.party = identity_.device_name;
  return o;
}

namespace {
// A plist with nothing in it (<dict/>, an empty <dict></dict>): what some servers send for
// "no command".
bool is_empty_plist(const std::string& body) {
  if (body.find("<plist") == std::string::npos) return false;
  auto v = plist::from_xml(body);
  return v && v->is_dict() && v->dict()->empty();
}
}  // namespace

// The conformance rules a received command answers to (apple.command.*): well formed, typed as
// Apple documents it, and not a CommandUUID this channel has already finished.
void SimulatedMac::check_command(const std::string& body, const std::string& uuid, bool user) {
  auto* log = knobs_.conformance.get();
  if (!log) return;
  const auto& me = identity_.device_name;
  if (uuid.empty()) {
    log->violated("apple.command.well-formed", me,
                  "the answer to a report is neither empty nor a command: " +
                      body.substr(0, std::min<std::size_t>(body.size(), 120)));
    return;
  }
  log->checked("apple.command.well-formed");
  auto raw = plist::from_xml(body);
  const auto* dict = raw ? raw->find("Command") : nullptr;
  auto schema = dict ? apple::check_request(*dict) : Result<void>(success());
  if (!schema && schema.error().code != apple::kUnknownCommand)
    log->violated("apple.command.schema", me, uuid + ": " + schema.error().message);
  else
    log->checked("apple.command.schema");
  bool finished_before = false;
  for (const auto& c : received_commands())
    finished_before = finished_before || (c.command_uuid == uuid && c.status != "NotNow" &&
                                          c.channel == (user ? "user" : "device"));
  if (finished_before)
    log->violated("apple.command.uuid-unique", me,
                  "CommandUUID " + uuid + " handed out again after the device finished it");
  else
    log->checked("apple.command.uuid-unique");
}

void SimulatedMac::record_command(ReceivedCommand c) {
  std::lock_guard lock(received_mutex_);
  received_.push_back(std::move(c));
  if (received_.size() > 500) received_.pop_front();
}

std::vector<SimulatedMac::ReceivedCommand> SimulatedMac::received_commands() const {
  std::lock_guard lock(received_mutex_);
  return {received_.begin(), received_.end()};
}

Result<void> SimulatedMac::fail(Error e) {
  state_ = MacState::failed;
  last_error_ = e.code + ": " + e.message;
  return e;
}

// A profile that cannot be installed: which payload and key, in the error, the device's
// report and the transcript (drawn as the device's note to itself).
Result<void> SimulatedMac::fail_install(apple::ProfileFault fault, Error e) {
  std::string where = fault.payload_type.empty() ? "profile" : fault.payload_type;
  if (!fault.payload_identifier.empty()) where += " (" + fault.payload_identifier + ")";
  if (!fault.key.empty()) where += " " + fault.key;
  e.message = where + ": " + fault.reason;
  if (knobs_.transcript)
    knobs_.transcript->event(identity_.device_name, identity_.device_name,
                             "profile install failed: " + where, e.message,
                             std::chrono::system_clock::now());
  install_failure_ = std::move(fault);
  return fail(std::move(e));
}

asio::awaitable<Result<void>> SimulatedMac::enroll_from_url(std::string profile_url,
                                                            bool identity_only) {
  auto url = net::Url::parse(profile_url);
  if (!url) co_return fail(url.error());
  net::HttpClient http(executor_, url->origin(), client_options());
  auto res = co_await http.get(url->target);
  if (!res) co_return fail(res.error());
  if (res->status != 200)
    co_return fail(make_error("profile_download",
                              "GET " + profile_url + " answered " + std::to_string(res->status)));
  auto result = co_await enroll(std::move(res->body), identity_only);
  co_return result;
}

asio::awaitable<Result<void>> SimulatedMac::enroll(std::string profile_bytes, bool identity_only) {
  auto op = enroll_locked(std::move(profile_bytes), identity_only);
  auto r = co_await exclusive(std::move(op));
  if (r && !identity_only && knobs_.apns_online && !knobs_.apns_url.empty()) {
    auto online = co_await go_online();
    if (!online) co_return online;
  }
  co_return r;
}

asio::awaitable<Result<void>> SimulatedMac::enroll_locked(std::string profile_bytes,
                                                          bool identity_only) {
  install_failure_.reset();
  apple::ProfileFault fault;
  auto profile = apple::decode_profile(profile_bytes, &fault);
  if (!profile) co_return fail_install(fault, profile.error());
  if (!profile->mdm)
    co_return fail_install({"", profile->identifier, "PayloadContent", "no MDM payload"},
                           make_error("bad_profile", "profile has no MDM payload"));
  profile_ = *profile;
  const auto& mdm = *profile->mdm;

  // 1. The identity the MDM payload names: over SCEP, or a PKCS#12 payload's.
  auto identity = co_await install_identity(*profile);
  if (!identity) co_return identity;
  state_ = MacState::identity_issued;

  // 2. Connections to the MDM server: TLS trust from the profile's root payloads.
  auto server_url = net::Url::parse(mdm.server_url);
  if (!server_url) co_return fail(server_url.error());
  server_url_ = *server_url;
  checkin_url_ = server_url_;
  if (!mdm.checkin_url.empty()) {
    auto c = net::Url::parse(mdm.checkin_url);
    if (!c) co_return fail(c.error());
    checkin_url_ = *c;
  }
  // Pinning: each URL's own list (decode_profile made sure every UUID is a certificate);
  // without a CheckInURL, check-ins go to the ServerURL and its pins hold for them.
  auto tls_options = [&](const std::vector<std::string>& pins) {
    net::HttpClientOptions options = client_options();
    options.tls = net::TlsClientConfig{};
    for (const auto& r : profile->roots) options.tls->trusted_roots.push_back(r.certificate);
    options.tls->pinned = apple::certificates_with_uuids(*profile, pins).value();
    options.tls->require_revocation_check = mdm.pinning_revocation_check_required;
    if (!mdm.sign_message) {
      options.tls->client_certificate = certificate_;
      options.tls->client_key = key_;
      options.tls->allow_small_client_key = key_.bits() < 2048;
    }
    return options;
  };
  server_ = std::make_unique<net::HttpClient>(executor_, server_url_.origin(),
                                              tls_options(mdm.server_pinning_uuids));
  checkin_.reset();
  const auto& checkin_pins =
      mdm.checkin_url.empty() ? mdm.server_pinning_uuids : mdm.checkin_pinning_uuids;
  if (checkin_url_.origin() != server_url_.origin() || checkin_pins != mdm.server_pinning_uuids)
    checkin_ = std::make_unique<net::HttpClient>(executor_, checkin_url_.origin(),
                                                 tls_options(checkin_pins));

  push_token_ = crypto::random_bytes(32);
  push_magic_ = crypto::random_uuid();
  if (identity_only) co_return success();

  // 3. Authenticate, then TokenUpdate (the profile is installed).
  auto auth = make_checkin(CheckinType::authenticate, identity_.udid);
  auto a = co_await send_checkin(auth);
  if (!a && a.error().code == "tls_failed" && !checkin_pins.empty())
    co_return fail_install(
        {"com.apple.mdm", mdm.identifier,
         mdm.checkin_url.empty() ? "ServerURLPinningCertificateUUIDs"
                                 : "CheckInURLPinningCertificateUUIDs",
         mdm.pinning_revocation_check_required
             ? "no positive revocation answer for the server's certificate "
               "(PinningRevocationCheckRequired): " +
                   a.error().message
             : "the server's certificate chain has none of the pinned certificates: " +
                   a.error().message},
        a.error());
  if (!a) co_return fail(a.error());
  state_ = MacState::authenticated;

  if (!knobs_.apns_url.empty()) {  // APNs issues the token before the device reports it
    auto registered = co_await register_push_token(push_token_);
    if (!registered) co_return fail(registered.error());
  }
  auto t = co_await send_checkin(make_checkin(CheckinType::token_update, identity_.udid));
  if (!t) co_return fail(t.error());
  responder_.note_enrollment(*profile, certificate_, push_token_);
  state_ = MacState::enrolled;
  if (!identity_.user_id.empty()) {
    auto user = co_await enroll_user_channel_locked();
    if (!user) co_return fail(user.error());
  }
  co_return success();
}

// The logged-in user's channel: UserAuthenticate (an empty DigestChallenge back means no more
// authentication; the DigestResponse follows), then the user's own TokenUpdate.
asio::awaitable<Result<void>> SimulatedMac::enroll_user_channel_locked() {
  auto first = make_checkin(CheckinType::user_authenticate, identity_.udid);
  auto body = apple::encode_checkin(first);
  if (!body) co_return body.error();
  auto res = co_await put(true, *body);
  if (!res) co_return res.error();
  if (res->status != 200)
    co_return make_error("user_authenticate",
                         "UserAuthenticate answered " + std::to_string(res->status));
  auto challenge = plist::from_xml(res->body);
  const auto* digest = challenge ? challenge->find("DigestChallenge") : nullptr;
  if (!digest || !digest->is_string())
    co_return make_error("user_authenticate", "UserAuthenticate answer has no DigestChallenge");
  auto second = make_checkin(CheckinType::user_authenticate, identity_.udid);
  second.digest_response = std::string();
  auto r = co_await send_checkin(second);
  if (!r) co_return r.error();
  user_push_token_ = crypto::random_bytes(32);
  user_push_magic_ = crypto::random_uuid();
  if (!knobs_.apns_url.empty()) {
    auto registered = co_await register_push_token(user_push_token_);
    if (!registered) co_return registered.error();
  }
  auto tu = make_checkin(CheckinType::token_update, identity_.udid);
  tu.user_id = identity_.user_id;
  tu.user_short_name = identity_.user_short_name;
  tu.user_long_name = identity_.user_long_name;
  tu.token = user_push_token_;
  tu.push_magic = user_push_magic_;
  auto t = co_await send_checkin(tu);
  if (!t) co_return t.error();
  user_enrolled_ = true;
  co_return success();
}

asio::awaitable<Result<net::HttpResponse>> SimulatedMac::put(bool checkin,
                                                             const std::string& body) {
  net::HttpRequest req;
  req.method = "PUT";
  req.target = checkin ? checkin_url_.target : server_url_.target;
  req.headers.emplace_back("Content-Type", checkin ? mdmlab::apple::kCheckinContentType
                                                   : mdmlab::apple::kCommandContentType);
  req.headers.emplace_back("User-Agent", "MDM/1.0");
  if (profile_ && profile_->mdm && profile_->mdm->sign_message) {
    crypto::SignOptions o;
    o.detached = true;
    auto der = crypto::cms_sign(to_bytes(body), certificate_, key_, {}, o);
    if (!der) co_return der.error();
    req.headers.emplace_back("Mdm-Signature", base64_encode(*der));
  }
  req.body = body;
  if (knobs_.slow.count() > 0) {
    asio::steady_timer timer(executor_, knobs_.slow);
    co_await timer.async_wait(asio::use_awaitable);
  }
  auto& client = checkin && checkin_ ? *checkin_ : *server_;
  auto res = co_await client.send(req);
  co_return res;
}

asio::awaitable<Result<void>> SimulatedMac::send_checkin(const apple::Checkin& c) {
  auto body = apple::encode_checkin(c);
  if (!body) co_return body.error();
  auto res = co_await put(true, *body);
  if (!res) co_return res.error();
  if (res->status != 200)
    co_return make_error("checkin_refused", std::string(apple::to_string(c.type)) + " answered " +
                                                std::to_string(res->status) + ": " + res->body);
  co_return success();
}

apple::Checkin SimulatedMac::make_checkin(CheckinType type, const std::string& udid) const {
  apple::Checkin c;
  c.type = type;
  c.udid = udid;
  c.topic = profile_ && profile_->mdm ? profile_->mdm->topic : std::string();
  if (type == CheckinType::user_authenticate) {
    c.user_id = identity_.user_id;
    c.user_short_name = identity_.user_short_name;
    c.user_long_name = identity_.user_long_name;
  } else if (type == CheckinType::authenticate) {
    c.serial_number = identity_.serial_number;
    c.model = identity_.model;
    c.model_name = identity_.model_name;
    c.os_version = identity_.os_version;
    c.build_version = identity_.build_version;
    c.product_name = identity_.model;
    c.device_name = identity_.device_name;
  } else if (type == CheckinType::token_update) {
    // No UnlockToken (iOS and iPadOS only). AwaitingConfiguration only while an automated
    // enrollment waits in Setup Assistant: a manually enrolled Mac sends neither.
    c.token = push_token_;
    c.push_magic = push_magic_;
    if (responder_.awaiting_configuration()) c.awaiting_configuration = true;
  }
  return c;
}

asio::awaitable<Result<net::HttpResponse>> SimulatedMac::send_raw(bool checkin, std::string body) {
  struct Locked {
    static asio::awaitable<Result<net::HttpResponse>> run(SimulatedMac* mac, bool checkin,
                                                          std::string body) {
      if (!mac->profile_ || !mac->server_)
        co_return make_error("not_enrolled", "the Mac has no identity from an enrollment profile");
      auto res = co_await mac->put(checkin, body);
      co_return res;
    }
  };
  co_return co_await exclusive(Locked::run(this, checkin, std::move(body)));
}

asio::awaitable<Result<net::HttpResponse>> SimulatedMac::send_checkin_message(
    CheckinType type, std::string udid, Bytes bootstrap_token) {
  struct Locked {
    static asio::awaitable<Result<net::HttpResponse>> run(SimulatedMac* mac, CheckinType type,
                                                          std::string udid, Bytes token) {
      if (!mac->profile_ || !mac->server_)
        co_return make_error("not_enrolled", "the Mac has no identity from an enrollment profile");
      auto c = mac->make_checkin(type, udid.empty() ? mac->identity_.udid : udid);
      c.bootstrap_token = std::move(token);
      auto body = apple::encode_checkin(c);
      if (!body) co_return body.error();
      auto res = co_await mac->put(true, *body);
      const bool as_self = c.udid == mac->identity_.udid;
      if (res && res->status == 200 && as_self && type == CheckinType::authenticate)
        mac->state_ = MacState::authenticated;
      if (res && res->status == 200 && as_self && type == CheckinType::token_update)
        mac->state_ = MacState::enrolled;
      if (res && res->status == 200 && type == CheckinType::get_bootstrap_token) {
        auto v = plist::from_xml(res->body);
        const auto* t = v ? v->find("BootstrapToken") : nullptr;
        mac->bootstrap_token_ = t && t->data() ? *t->data() : Bytes{};
      }
      co_return res;
    }
  };
  auto op = Locked::run(this, type, std::move(udid), std::move(bootstrap_token));
  auto r = co_await exclusive(std::move(op));
  co_return r;
}

asio::awaitable<Result<int>> SimulatedMac::poll(bool user) {
  auto op = poll_locked(user);
  auto r = co_await exclusive(std::move(op));
  co_return r;
}

asio::awaitable<Result<int>> SimulatedMac::poll_locked(bool user) {
  auto answered = co_await command_loop_locked(user);
  // A DeclarativeManagement command asked for a sync: done once the loop is over, as macOS
  // does, so the status report follows the command's result.
  if (answered && ddm_due_) {
    ddm_due_ = false;
    auto synced = co_await ddm_sync_locked();
    if (!synced) co_return synced.error();
  }
  co_return answered;
}

asio::awaitable<Result<int>> SimulatedMac::command_loop_locked(bool user) {
  if (!server_) co_return make_error("not_enrolled", "the Mac has not enrolled");
  if (user && !user_enrolled_)
    co_return make_error("no_user_channel", "no logged-in user's channel is enrolled");
  // Every report on the user channel carries its UserID.
  const std::string user_id = user ? identity_.user_id : std::string();
  apple::CommandReport report{CommandStatus::idle, identity_.udid, user_id, "", {}, {}};
  plist::Value fields;
  int answered = 0;
  for (int guard = 0; guard < 10000; ++guard) {
    auto body = apple::encode_command_report(report, fields);
    if (!body) co_return body.error();
    const auto sent = std::chrono::steady_clock::now();
    auto res = co_await put(false, *body);
    if (knobs_.on_command_exchange)
      knobs_.on_command_exchange(std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - sent));
    if (!res) co_return res.error();
    if (res->status == 204 || (res->status == 200 && is_empty_plist(res->body))) {
      // "Nothing to send" in a form macOS does not take: counted as the end of the loop, and
      // reported against the rule.
      if (auto* log = knobs_.conformance.get())
        log->violated("apple.command.empty-answer", identity_.device_name,
                      "answered a report with " +
                          (res->status == 204 ? std::string("HTTP 204")
                                              : "an empty plist: " + res->body.substr(0, 120)));
      if (report.status != CommandStatus::idle && report.status != CommandStatus::not_now)
        commands_answered_++;
      co_return answered;
    }
    if (res->status != 200)
      co_return make_error("command_loop",
                           "server answered " + std::to_string(res->status) + ": " + res->body);
    if (report.status != CommandStatus::idle && report.status != CommandStatus::not_now)
      commands_answered_++;
    if (res->body.empty()) {
      if (auto* log = knobs_.conformance.get()) log->checked("apple.command.empty-answer");
      co_return answered;
    }
    auto command = apple::decode_command(res->body);
    check_command(res->body, command.ok() ? command->command_uuid : std::string(), user);
    if (!command) {
      // A command we cannot read: CommandFormatError, if it at least has a UUID.
      auto raw = plist::from_xml(res->body);
      auto uuid = raw ? raw->string_or("CommandUUID") : std::string();
      if (uuid.empty()) co_return make_error("bad_command", command.error().message);
      report = {CommandStatus::command_format_error, identity_.udid, user_id, uuid, {}, {}};
      record_command({user ? "user" : "device", raw ? raw->string_or("RequestType") : "", uuid,
                      std::string(apple::to_string(report.status)), res->body});
      fields = {};
      ++answered;
      continue;
    }
    ++answered;
    commands_received_[user ? 1 : 0]++;
    fields = {};
    if (not_now_given_ < knobs_.not_now_polls) {
      ++not_now_given_;
      report = {CommandStatus::not_now, identity_.udid, user_id, command->command_uuid, {}, {}};
      record_command({user ? "user" : "device", command->request_type(), command->command_uuid,
                      std::string(apple::to_string(report.status)), res->body});
      continue;
    }
    if (knobs_.error_for.count(command->request_type())) {
      report = {CommandStatus::error,
                identity_.udid,
                user_id,
                command->command_uuid,
                {{12021, "MCMDMErrorDomain", "Simulated failure", "Simulated failure"}},
                {}};
      record_command({user ? "user" : "device", command->request_type(), command->command_uuid,
                      std::string(apple::to_string(report.status)), res->body});
      continue;
    }
    auto outcome = responder_.answer(*command);
    if (command->request_type() == "DeclarativeManagement" &&
        outcome.status == CommandStatus::acknowledged)
      ddm_due_ = true;
    report = {outcome.status,        identity_.udid,      user_id,
              command->command_uuid, outcome.error_chain, {}};
    fields = outcome.fields;
    record_command({user ? "user" : "device", command->request_type(), command->command_uuid,
                    std::string(apple::to_string(report.status)), res->body});
  }
  co_return make_error("command_loop", "server kept sending commands");
}

asio::awaitable<Result<void>> SimulatedMac::check_out() {
  auto op = check_out_locked();
  auto r = co_await exclusive(std::move(op));
  if (r) co_await go_offline();
  co_return r;
}

asio::awaitable<Result<void>> SimulatedMac::check_out_locked() {
  if (!profile_) co_return make_error("not_enrolled", "the Mac has not enrolled");
  auto c = make_checkin(CheckinType::check_out, identity_.udid);
  auto r = co_await send_checkin(c);
  if (!r) co_return r;
  state_ = MacState::checked_out;
  co_return success();
}

}  // namespace mdmlab::simulators::mac
