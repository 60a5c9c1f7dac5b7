// A virtual Windows 10/11 PC: enrolls in MDM as the Windows enrollment client does (MS-MDE2)
// and answers OMA DM management sessions (MS-MDM) from a CSP tree of its own.
// Enrollment: a GET probe of the discovery URL (200 expected), the SOAP Discover (the UPN,
// DeviceType CIMClient_Windows, the OS build, OnPremise and Federated), GetPolicies (MS-XCEP)
// with a UsernameToken (OnPremise: UPN and the enrollment secret) or a BinarySecurityToken
// (Federated: the token it was given), then a RequestSecurityToken (MS-WSTEP) with a PKCS#10
// for a key of the policy's minimal length and the AdditionalContext Windows sends; the
// RSTRC's provisioning document is installed (enrollment_install.hpp): its root becomes the
// trust anchor of the management TLS, its client certificate (checked against our key) the
// mTLS identity, its ADDR the management URL.
// sync(): one management session, POSTs to ADDR?mode=Maintenance&Platform=WoA, the opening
// message and then an answer to each server message (dm_session.hpp) until the server has no
// more commands, at most knobs.max_messages messages.
// All of a PC's work runs on its own strand, one exchange with the server at a time.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/async/async_gate.hpp"
#include "core/net/http_client.hpp"
#include "crypto/certificate.hpp"
#include "crypto/key.hpp"
#include "protocol/windows/discovery.hpp"
#include "protocol/windows/soap.hpp"
#include "protocol/windows/xcep.hpp"
#include "simulators/devices/windows/csp_tree.hpp"
#include "simulators/devices/windows/dm_session.hpp"
#include "simulators/devices/windows/soap_request.hpp"
#include "simulators/devices/windows/windows_identity.hpp"

namespace mdmlab::simulators::windows_pc {

enum class WindowsState { unenrolled, enrolled, failed };
std::string_view to_string(WindowsState s);

// Which EUA token the agent sends when it enrolls (seed 001).
struct AgentToken {
  enum Kind { from_job, none, tampered, given } kind = from_job;
  std::string value;  // given: this token (e.g. another PC's)
};

class SimulatedWindowsPc {
 public:
  // `key`: used for the enrollment when it is RSA and at least the policy's minimal length
  // (a key pool's, to spare the generation); otherwise the PC generates one.
  SimulatedWindowsPc(boost::asio::any_io_executor executor, WindowsIdentity identity,
                     WindowsKnobs knobs = {}, crypto::PrivateKey key = {});
  ~SimulatedWindowsPc();

  // Discovery, policy and enrollment against an MS-MDE2 server. Codes on failure:
  // windows_discovery_probe, windows_discovery_fault (the fault's subcode in the message),
  // windows_policy_fault, windows_enrollment_fault, windows_<stage>_http (another status
  // without a fault), windows_<stage>_bad_answer, windows_unsupported_auth_policy,
  // windows_no_federated_token, windows_sign_in_required, windows_sign_in_failed (the IdP showed
  // its sign-in page again), windows_web_page (a page answered other than 200),
  // windows_auth_bad_end_page, windows_bad_provisioning, windows_bad_thumbprint,
  // windows_wrong_certificate, and the transport's.
  boost::asio::awaitable<Result<void>> enroll(std::string discovery_url);
  // One management session; the number of server commands answered. Codes: not_enrolled,
  // windows_session_http, windows_bad_syncml, windows_session_refused (the server's Status
  // for our SyncHdr is not a success), windows_session_too_long, windows_message_too_large (over
  // knobs.max_msg_size), and the transport's.
  boost::asio::awaitable<Result<int>> sync();
  // The user removes the work account: a session opening with Alert 1226, then the PC forgets
  // its enrollment (state unenrolled). `forget` false: it keeps its certificate and management
  // URL, as a copied disk would, so a later sync() shows what the server does with them.
  boost::asio::awaitable<Result<void>> unenroll(bool forget = true);
  // Seed 001 (simulated_windows_pc_agent.cpp): installs the agent from the last MsiInstallJob
  // (the MSI downloaded and checked against its FileHash) and enrolls it at the job's
  // FLEET_URL; the node key. Codes: agent_no_install_job, agent_download, agent_hash_mismatch,
  // agent_no_server, agent_end_user_auth_required (401 END_USER_AUTH_REQUIRED),
  // agent_enroll_http, agent_enroll_bad_answer.
  boost::asio::awaitable<Result<std::string>> enroll_agent(AgentToken token = {});
  bool agent_enrolled() const { return !agent_node_key_.empty(); }
  // simulated_windows_pc_malformed.cpp: a message no Windows client sends, to `where`
  // ("discovery": a Discover that is `not_xml`, `truncated` or has the `wrong_action`;
  // "management": SyncML that is `not_xml`, `truncated` or names the `wrong_device` in SyncHdr,
  // over this PC's mTLS). Answers the server's refusal (a fault subcode, "HTTP 4xx", "SyncHdr
  // 403"); windows_malformed_accepted if it took it, windows_malformed_bad_refusal for a 5xx or
  // a refusal in no protocol's shape.
  boost::asio::awaitable<Result<std::string>> send_malformed(std::string discovery_url,
                                                             std::string where, std::string kind);
  // The EUA token the agent enrolled with ("" if none or not enrolled).
  const std::string& agent_eua_token() const { return agent_eua_token_; }

  WindowsState state() const { return state_; }
  const std::string& last_error() const { return last_error_; }
  const WindowsIdentity& identity() const { return identity_; }
  WindowsKnobs& knobs() { return knobs_; }
  // What the next enroll() authenticates with (a scenario trying a wrong secret, a token the
  // auth page handed out later); kept out of the transcript.
  void set_enrollment_secret(std::string secret);
  void set_federated_token(std::string token);

  // What enrollment found and installed.
  const mdmlab::windows::discovery::DiscoverResponse& discovery() const { return discovery_; }
  const mdmlab::windows::xcep::Policy& policy() const { return policy_; }
  const crypto::PrivateKey& key() const { return key_; }
  const crypto::Certificate& certificate() const { return certificate_; }
  const std::vector<crypto::Certificate>& provisioned_roots() const { return roots_; }
  const std::string& management_url() const { return management_url_; }
  const std::string& provider_id() const { return provider_id_; }
  const std::string& provisioning_document() const { return provisioning_xml_; }
  // Things a real client might refuse and this one let pass (RelatesTo not our MessageID,
  // the certificate in the other store, ...), oldest first.
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Management.
  int sessions() const { return sessions_; }  // completed
  // Server commands and what the PC answered, oldest first (the last 1000).
  std::vector<ReceivedCommand> received_commands() const;
  const std::vector<MsiJob>& msi_jobs() const { return csp_.msi_jobs(); }
  std::optional<std::string> csp_value(std::string_view path) const { return csp_.value(path); }
  // The tree itself (read or changed only while no enroll() or sync() runs).
  CspTree& csp() { return csp_; }
  const CspTree& csp() const { return csp_; }

 private:
  template <typename T>
  boost::asio::awaitable<T> exclusive(boost::asio::awaitable<T> op);
  boost::asio::awaitable<Result<void>> enroll_locked(std::string discovery_url);
  boost::asio::awaitable<Result<int>> sync_locked(bool unenroll = false);
  // simulated_windows_pc_enrollment.cpp
  boost::asio::awaitable<Result<void>> discover(const std::string& url);
  boost::asio::awaitable<Result<void>> get_policy(const RequestSecurity& security);
  boost::asio::awaitable<Result<std::string>> request_token(const RequestSecurity& security);
  Result<void> install(const std::string& provisioning_xml);
  // Federated: the Web Authentication Broker's sign-in; the token the end page posts.
  boost::asio::awaitable<Result<std::string>> sign_in_federated();
  Result<RequestSecurity> security_for(const std::string& auth_policy) const;
  // POSTs a SOAP request to `url`; the answer's envelope. `stage` names the error codes.
  boost::asio::awaitable<Result<mdmlab::windows::soap::Envelope>> post_soap(
      std::string url, std::string action, std::string body_xml, RequestSecurity security,
      std::string stage);
  boost::asio::awaitable<Result<net::HttpResponse>> post_management(std::string body);
  Result<void> fail(Error e);
  Result<int> session_failed(Error e);
  net::HttpClientOptions client_options() const;  // the transcript, under our name
  // For the enrollment endpoints: client_options, trusting knobs.trusted_roots over HTTPS.
  net::HttpClientOptions enrollment_options(const std::string& scheme) const;
  net::HttpClientOptions agent_options(const std::string& scheme) const;
  boost::asio::awaitable<Result<std::string>> enroll_agent_locked(AgentToken token);
  std::string agent_node_key_, agent_eua_token_;
  bool user_enrollment() const { return identity_.upn.has_value(); }

  boost::asio::any_io_executor executor_;  // the PC's strand
  async::AsyncGate gate_;
  WindowsIdentity identity_;
  WindowsKnobs knobs_;
  crypto::PrivateKey key_;
  CspTree csp_;
  WindowsState state_ = WindowsState::unenrolled;
  std::string last_error_;
  mdmlab::windows::discovery::DiscoverResponse discovery_;
  mdmlab::windows::xcep::Policy policy_;
  crypto::Certificate certificate_;
  std::vector<crypto::Certificate> roots_;
  std::string management_url_, management_target_, provider_id_, provisioning_xml_;
  std::unique_ptr<net::HttpClient> management_;
  std::vector<std::string> warnings_;
  int sessions_ = 0;
  unsigned session_counter_ = 0;
  mutable std::mutex received_mutex_;
  std::deque<ReceivedCommand> received_;
};

}  // namespace mdmlab::simulators::windows_pc
