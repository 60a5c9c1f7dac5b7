// A virtual Mac: enrolls from any standard enrollment profile (URL or bytes, CMS-signed or
// not) as macOS does — SCEP for its identity (the payload's URL, Challenge, Subject, Keysize),
// TLS to ServerURL verified against the profile's root payloads, the identity as client
// certificate or, with SignMessage, as an Mdm-Signature header; Authenticate and TokenUpdate
// to CheckInURL (or ServerURL); then answers the command loop. A small object on coroutines.
// With an APNs simulator (knobs.apns_url) it registers its push token there before TokenUpdate
// and, while online, holds a long-poll open; a push carrying its PushMagic makes it poll.
// All of a Mac's work runs on its own strand, one exchange with the server at a time, so a
// push-driven poll and a scenario's explicit poll never interleave.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "core/async/async_gate.hpp"
#include "core/net/http_client.hpp"
#include "protocol/apple/checkin.hpp"
#include "protocol/apple/profile.hpp"
#include "simulators/devices/mac/command_responder.hpp"
#include "simulators/devices/mac/declarative_agent.hpp"
#include "simulators/devices/mac/mac_identity.hpp"
#include "simulators/devices/web/web_browser.hpp"

namespace mdmlab::simulators::mac {

enum class MacState { unenrolled, identity_issued, authenticated, enrolled, checked_out, failed };
std::string_view to_string(MacState s);

class SimulatedMac {
 public:
  SimulatedMac(boost::asio::any_io_executor executor, MacIdentity identity, crypto::PrivateKey key,
               MacKnobs knobs = {});
  ~SimulatedMac();

  // Downloads the profile (http/https URL) and enrolls with it. Then goes online at APNs if
  // the knobs say so.
  // With `identity_only`, stops after SCEP: the Mac holds a certificate and its connections to
  // the server but has sent no check-in (scenarios then send messages one by one).
  boost::asio::awaitable<Result<void>> enroll_from_url(std::string profile_url,
                                                       bool identity_only = false);
  boost::asio::awaitable<Result<void>> enroll(std::string profile_bytes,
                                              bool identity_only = false);
  // Automated Device Enrollment, as Setup Assistant does it: asks Apple for this serial's
  // cloud configuration (the ABM simulator's device side, GET <abm>/device/v1/profile?serial=),
  // POSTs its CMS-signed machine info to the configuration's `url`, and enrolls with the
  // profile that comes back. With await_device_configured it says AwaitingConfiguration in
  // TokenUpdate and waits in Setup Assistant until the server sends DeviceConfigured.
  // With a configuration_web_url (authenticated ADE) the web view signs in first with
  // `sign_in` (web_sign_in.hpp); without an account the enrollment fails there.
  boost::asio::awaitable<Result<void>> enroll_ade(std::string abm_device_url,
                                                  std::optional<web::WebSignIn> sign_in = {});
  // Who signed in at the web view (authenticated ADE), "" otherwise.
  const std::string& sso_user() const { return sso_user_; }
  // Over-the-air enrollment (Apple's Profile Service): downloads the Profile Service profile,
  // POSTs its attributes with the CHALLENGE signed by its own certificate (phase 2), gets a
  // throw-away identity over the SCEP payload of the answer, POSTs the attributes again signed
  // by that identity (phase 3), and enrolls with the profile that comes back.
  // `challenge`, when set, is sent instead of the Profile Service's (a wrong one, in tests);
  // `forge` breaks phase 2 as an attacker would: "signature" (a byte of the signed attributes
  // changed after signing) or "unsigned" (the attributes plist without CMS).
  boost::asio::awaitable<Result<void>> enroll_ota(std::string profile_service_url,
                                                  std::optional<std::string> challenge = {},
                                                  std::string forge = {});
  // POSTs the last OTA phase 2 or 3 request again, byte for byte (a captured request
  // replayed); fails unless the server answers 200.
  boost::asio::awaitable<Result<void>> replay_ota(int phase);
  // The ADE cloud configuration this Mac booted with (JSON; empty before enroll_ade).
  const std::string& cloud_configuration() const { return cloud_configuration_; }
  bool awaiting_configuration() const { return responder_.awaiting_configuration(); }
  // Answers a push: Idle, then every command the server hands out until it has none.
  // Returns how many commands were answered (NotNow included). `user`: on the user channel.
  boost::asio::awaitable<Result<int>> poll(bool user = false);
  boost::asio::awaitable<Result<void>> check_out();
  // One check-in message of the caller's choosing (Authenticate, TokenUpdate, CheckOut,
  // Set/GetBootstrapToken) with this Mac's identity, as this Mac or claiming `udid`; the
  // server's whole answer. A GetBootstrapToken answer's token is kept (bootstrap_token()).
  boost::asio::awaitable<Result<net::HttpResponse>> send_checkin_message(
      apple::CheckinType type, std::string udid = {}, Bytes bootstrap_token = {});
  // A body of the caller's making, PUT to the CheckInURL (`checkin`) or the ServerURL with this
  // Mac's identity (mTLS or Mdm-Signature), e.g. a captured message replayed; the whole answer.
  boost::asio::awaitable<Result<net::HttpResponse>> send_raw(bool checkin, std::string body);
  // SCEP requests sent again after one failed on the way (the payload's Retries).
  int scep_retries() const { return scep_retries_; }
  // What the last GetBootstrapToken returned ("" for none; unset before any).
  const std::optional<Bytes>& bootstrap_token() const { return bootstrap_token_; }
  // Declarative management: syncs tokens, declaration-items and changed declarations, then
  // reports status (a DeclarativeManagement command makes the next poll do this by itself).
  boost::asio::awaitable<Result<void>> sync_declarations();
  const DeclarativeAgent& declarative_agent() const { return ddm_; }
  // APNs connection: online, pushes wake the Mac; offline, they wait at APNs (coalesced).
  boost::asio::awaitable<Result<void>> go_online();
  boost::asio::awaitable<void> go_offline();
  // Must be awaited before destruction when the Mac may be online.
  boost::asio::awaitable<void> shutdown() { co_await go_offline(); }

  struct PushCounts {
    int received = 0;  // pushes with our PushMagic (each one led to a poll)
    int ignored = 0;   // pushes with another magic, or not an MDM payload
    int polls_failed = 0;
  };
  PushCounts push_counts() const { return push_counts_; }
  bool online() const { return listening_; }
  // Results (Acknowledged, Error, CommandFormatError) the server accepted.
  long commands_answered() const { return commands_answered_; }
  // Commands the server handed out, per channel.
  long commands_received(bool user) const { return commands_received_[user ? 1 : 0]; }
  // What the server handed out and what the Mac answered, oldest first (the last 500): a
  // scenario can check a command on the device side, whatever the server's own API.
  struct ReceivedCommand {
    std::string channel;  // "device" or "user"
    std::string request_type, command_uuid;
    std::string status;   // what the Mac answered: Acknowledged, Error, NotNow, ...
    std::string command;  // the command plist as received
  };
  std::vector<ReceivedCommand> received_commands() const;
  // The last CertRep's pkiStatus and failInfo ("" when none), for failure assertions.
  const std::string& scep_status() const { return scep_status_; }
  const std::string& scep_fail_info() const { return scep_fail_info_; }
  bool user_channel_enrolled() const { return user_enrolled_; }
  // The enrollment id the server keeps for a channel: "UDID", or "UDID:UserID" for the user's.
  std::string enrollment_id(bool user) const {
    return apple::enrollment_id(identity_.udid, user ? identity_.user_id : std::string());
  }

  MacState state() const { return state_; }
  const MacIdentity& identity() const { return identity_; }
  const crypto::Certificate& identity_certificate() const { return certificate_; }
  const crypto::PrivateKey& identity_key() const { return key_; }
  const Bytes& push_token() const { return push_token_; }
  const std::string& push_magic() const { return push_magic_; }
  const std::optional<apple::Profile>& enrollment_profile() const { return profile_; }
  // Why the last enrollment profile could not be installed: payload, key, reason.
  const std::optional<apple::ProfileFault>& install_failure() const { return install_failure_; }
  // Where the identity came from: the payload's type and UUID, and the CSR's requests.
  struct IdentitySource {
    std::string payload_type, payload_uuid;
    crypto::SubjectAltNames requested_alt_names;  // SCEP: what the CSR asked for
    int requested_key_usage = 0;
  };
  const IdentitySource& identity_source() const { return identity_source_; }
  CommandResponder& responder() { return responder_; }
  MacKnobs& knobs() { return knobs_; }
  const std::string& last_error() const { return last_error_; }

 private:
  template <typename T>
  boost::asio::awaitable<T> exclusive(boost::asio::awaitable<T> op);
  boost::asio::awaitable<Result<void>> enroll_locked(std::string profile_bytes, bool identity_only);
  apple::Checkin make_checkin(apple::CheckinType type, const std::string& udid) const;
  boost::asio::awaitable<Result<int>> poll_locked(bool user);
  boost::asio::awaitable<Result<int>> command_loop_locked(bool user);
  // simulated_mac_ddm.cpp
  boost::asio::awaitable<Result<void>> ddm_sync_locked();
  boost::asio::awaitable<Result<std::string>> ddm_checkin(std::string endpoint, Bytes data = {});
  boost::asio::awaitable<Result<void>> enroll_user_channel_locked();
  boost::asio::awaitable<Result<void>> check_out_locked();
  boost::asio::awaitable<Result<void>> register_push_token(const Bytes& token);
  // One long-poll per channel's token; a push with that channel's magic polls that channel.
  boost::asio::awaitable<void> listen(bool user);
  boost::asio::awaitable<Result<net::HttpResponse>> put(bool checkin, const std::string& body);
  boost::asio::awaitable<Result<void>> send_checkin(const apple::Checkin& c);
  Result<void> fail(Error e);
  Result<void> fail_install(apple::ProfileFault fault, Error e);
  // simulated_mac_identity.cpp: the identity the MDM payload's IdentityCertificateUUID names.
  boost::asio::awaitable<Result<void>> install_identity(const apple::Profile& profile);
  boost::asio::awaitable<Result<void>> install_scep_identity(const apple::ScepPayload& scep);
  Result<void> install_pkcs12_identity(const apple::Pkcs12Payload& pkcs12);
  net::HttpClientOptions client_options() const;  // the transcript, under our name

  boost::asio::any_io_executor executor_;  // the Mac's strand
  async::AsyncGate gate_;
  MacIdentity identity_;
  crypto::PrivateKey key_;
  MacKnobs knobs_;
  CommandResponder responder_;
  MacState state_ = MacState::unenrolled;
  std::optional<apple::Profile> profile_;
  crypto::Certificate certificate_;
  Bytes push_token_;
  std::string push_magic_;
  std::unique_ptr<net::HttpClient> server_;   // ServerURL origin
  std::unique_ptr<net::HttpClient> checkin_;  // CheckInURL origin, when it differs
  net::Url server_url_, checkin_url_;
  int not_now_given_ = 0;
  bool listening_ = false;
  int listeners_running_ = 0;
  std::unique_ptr<boost::asio::steady_timer> listener_done_;
  PushCounts push_counts_;
  std::atomic<long> commands_answered_{0};
  std::string scep_status_, scep_fail_info_;
  mutable std::mutex received_mutex_;
  std::deque<ReceivedCommand> received_;
  void record_command(ReceivedCommand c);
  void check_command(const std::string& body, const std::string& uuid, bool user);
  std::atomic<long> commands_received_[2] = {0, 0};
  Bytes user_push_token_;
  std::string user_push_magic_;
  bool user_enrolled_ = false;
  std::string last_error_;
  std::string cloud_configuration_;
  // OTA: POSTs signed attributes to `url`; the answer's body (a profile).
  boost::asio::awaitable<Result<std::string>> post_attributes(
      const std::string& url, const std::string& challenge, const crypto::Certificate& signer,
      const crypto::PrivateKey& key, int phase, const std::string& forge = {});
  boost::asio::awaitable<Result<std::string>> post_ota(const std::string& url, std::string body);
  struct OtaRequest {
    std::string url, body;
  };
  std::map<int, OtaRequest> ota_requests_;  // phase -> the last request sent
  std::atomic<int> scep_retries_{0};
  std::optional<Bytes> bootstrap_token_;
  std::optional<apple::ProfileFault> install_failure_;
  IdentitySource identity_source_;
  DeclarativeAgent ddm_;
  std::string sso_user_;
  bool ddm_due_ = false;
};

}  // namespace mdmlab::simulators::mac
