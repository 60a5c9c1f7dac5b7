#include "scenarios/engine/actions.hpp"

#include <algorithm>
#include <numeric>

namespace mdmlab::scenarios {

std::string_view describe(ValueKind k) {
  switch (k) {
    case ValueKind::string:
      return "a string";
    case ValueKind::integer:
      return "an integer";
    case ValueKind::boolean:
      return "true or false";
    case ValueKind::object:
      return "an object";
    case ValueKind::any:
      return "any JSON value";
    case ValueKind::duration:
      return "a duration like \"5s\" (ms, s, m, h, d)";
    case ValueKind::device:
      return "the id of a device of this scenario";
    case ValueKind::device_list:
      return "an array of device ids of this scenario";
    case ValueKind::number:
      return "a number";
    case ValueKind::number_pair:
      return "an array [low, high] of two numbers";
    case ValueKind::regex:
      return "a regular expression (ECMAScript), as a string";
    case ValueKind::flag:
      return "true or false";
    case ValueKind::matcher:
      return "an object of matchers (and an optional \"field\" path)";
    case ValueKind::count:
      return "an integer, or an object of matchers for the size";
    case ValueKind::string_list:
      return "an array of strings";
  }
  return "?";
}

const std::vector<ActionSpec>& action_table() {
  using V = ValueKind;
  static const KeySpec udid_of{
      "udid_of", V::device, {}, "claim this other device's UDID (an impersonation attempt)"};
  static const KeySpec channel{"channel",
                               V::string,
                               {"device", "user"},
                               "the device channel (default) or the logged-in user's channel"};
  static const std::vector<ActionSpec> table = {
      {"mac",
       "enroll",
       {{"profile",
         V::string,
         {"signed", "unsigned", "tampered"},
         "which form of the enrollment profile (tampered: signed, then one character of its "
         "content changed)"},
        {"challenge", V::string, {}, "replace the profile's SCEP challenge (a wrong profile)"},
        {"until", V::string, {"identity"}, "stop after SCEP: a certificate, no check-in yet"},
        {"scep_subject",
         V::string,
         {},
         "the SCEP payload's Subject, e.g. \"CN=%HardwareUUID%,O=Example\" (profile variables "
         "expand on the device)"},
        {"scep_alt_names",
         V::object,
         {},
         "the SCEP payload's SubjectAltName: dNSName, rfc822Name, uniformResourceIdentifier, "
         "ntPrincipalName, each a string or an array of strings"},
        {"scep_key_size", V::integer, {}, "the SCEP payload's Keysize (1024, 2048 or 4096)"},
        {"scep_key_usage",
         V::integer,
         {},
         "the SCEP payload's Key Usage (1 signing, 4 encryption)"},
        {"scep_retries", V::integer, {}, "the SCEP payload's Retries"},
        {"scep_retry_delay", V::integer, {}, "the SCEP payload's RetryDelay, in seconds"},
        {"scep_url", V::string, {}, "the SCEP payload's URL"},
        {"scep_ca_fingerprint",
         V::string,
         {"sha1", "sha256", "wrong"},
         "put a CAFingerprint of GetCACert's CA in the SCEP payload (wrong: one bit off)"},
        {"identity",
         V::string,
         {"scep", "pkcs12"},
         "pkcs12: the runner enrolls over the profile's SCEP payload and hands the device the "
         "identity as a com.apple.security.pkcs12 payload instead"},
        {"pkcs12_password", V::string, {}, "the password the PKCS#12 identity is sealed with"},
        {"pkcs12_payload_password",
         V::string,
         {},
         "the Password written in the PKCS#12 payload (another one: a wrong password)"},
        {"pin",
         V::string,
         {"roots", "foreign"},
         "ServerURLPinningCertificateUUIDs (and CheckInURL's): the profile's certificate "
         "payloads, or a foreign certificate the server's chain does not have"},
        {"pin_revocation_required", V::boolean, {}, "PinningRevocationCheckRequired"}},
       "download the enrollment profile, get an identity over SCEP, Authenticate, TokenUpdate; "
       "the scep_*, identity, pkcs12_* and pin* keys edit the profile first (served unsigned)"},
      {"mac",
       "enroll_ade",
       {{"username", V::string, {}, "authenticated ADE: the account the web view signs in with"},
        {"password", V::string, {}, "its password"}},
       "boot into Automated Device Enrollment: ask the ABM simulator for this device's cloud "
       "configuration, POST the signed machine info to its url, enroll with the profile that "
       "comes back (AwaitingConfiguration in TokenUpdate until DeviceConfigured)"},
      {"mac",
       "enroll_ota",
       {{"challenge", V::string, {}, "send this CHALLENGE instead of the Profile Service's"},
        {"forge",
         V::string,
         {"signature", "unsigned"},
         "break phase 2: a byte changed after signing, or the attributes without CMS"}},
       "over-the-air enrollment: download the Profile Service profile, POST signed attributes "
       "(phase 2), get a throw-away identity over SCEP, POST them again signed by it (phase 3), "
       "enroll with the answer"},
      {"mac",
       "ota_replay",
       {{"phase", V::integer, {}, "2 or 3 (default 2)"}},
       "POST this Mac's last OTA phase 2 or 3 request again, byte for byte, as an attacker who "
       "captured it would; succeeds only if the server answers 200"},
      {"mac", "poll", {channel}, "Idle, then answer every command the server hands out"},
      {"windows",
       "enroll",
       {{"secret", V::string, {}, "send this enrollment secret instead of the server's"},
        {"username", V::string, {}, "federated: the Entra account the user signs in with"},
        {"password", V::string, {}, "its password"},
        {"entra_join",
         V::boolean,
         {},
         "Azure AD join: the PC sends Entra's access token for the "
         "MDM app (scp mdm_delegation, token type "
         "urn:ietf:params:oauth:token-type:jwt) instead of signing in"},
        {"entra_resource",
         V::string,
         {},
         "with entra_join: the token is for this resource "
         "instead (e.g. another app's, which the server refuses)"}},
       "MS-MDE2 enrollment: the discovery probe and Discover, GetPolicies, the WSTEP request "
       "with a PKCS#10 request; install the provisioning document (root, client certificate, "
       "management URL). With a username the PC offers Federated and, when the server chooses "
       "it, signs in through the server's AuthenticationServiceUrl (the Web Authentication "
       "Broker) and authenticates with the token its end page posts; without, OnPremise with "
       "the enrollment secret"},
      {"windows",
       "sync",
       {{"max_msg_size",
         V::integer,
         {},
         "MaxMsgSize in the PC's SyncHdr from now on (the "
         "server must split larger commands: MoreData)"}},
       "one OMA DM session with the management server: Alert 1201, DevInfo, then answer every "
       "command (Status, Results) until the server has none"},
      {"windows",
       "send_malformed",
       {{"to", V::string, {"discovery", "management"}, "where (default discovery)"},
        {"kind",
         V::string,
         {"not_xml", "truncated", "wrong_action", "wrong_device"},
         "what: not XML, cut in half, a Discover under another operation's Action (discovery), "
         "a SyncHdr naming another DeviceID (management, over this PC's mTLS)"}},
       "send what no Windows client sends; succeeds if the server refuses it with the "
       "protocol's error (an MS-MDE2 SOAP fault, HTTP 4xx, a SyncHdr Status that is no success); "
       "fails with windows_malformed_accepted or windows_malformed_bad_refusal (5xx, no fault)"},
      {"windows",
       "unenroll",
       {{"forget",
         V::boolean,
         {},
         "false: keep the certificate, so a later sync shows what the "
         "server does with it (default true)"}},
       "the user removes the work account: a session whose first message carries Alert 1226 "
       "(com.microsoft:mdm.unenrollment.userrequest), then the PC forgets its enrollment"},
      {"windows",
       "agent_enroll",
       {{"token",
         V::string,
         {"job", "none", "tampered"},
         "the EUA token sent: the MsiInstallJob's (default), none, or one with a changed claim"},
        {"token_of", V::device, {}, "send the EUA token another PC's agent install carried"}},
       "seed 001: install the agent from the last MsiInstallJob (the MSI downloaded and checked "
       "against its FileHash) and enroll it at FLEET_URL with FLEET_SECRET and the EUA token"},
      {"mac", "checkout", {}, "send CheckOut"},
      {"mac", "token_update", {udid_of}, "send a (routine) TokenUpdate"},
      {"mac", "authenticate", {udid_of}, "send Authenticate"},
      {"mac",
       "set_bootstrap_token",
       {{"token", V::string, {}, "the bootstrap token's bytes, as text"}},
       "send SetBootstrapToken"},
      {"mac",
       "get_bootstrap_token",
       {udid_of},
       "send GetBootstrapToken; the device field bootstrap_token holds the answer"},
      {"mac", "go_online", {}, "connect to the APNs simulator: pushes wake the Mac"},
      {"mac",
       "ddm_sync",
       {},
       "declarative management sync now: tokens, declaration-items, changed declarations, then a "
       "status report (a DeclarativeManagement command makes the Mac's next poll do this)"},
      {"mac", "go_offline", {}, "disconnect from APNs: pushes wait there (coalesced)"},
      {"server",
       "enqueue",
       {{"device", V::device, {}, "queue for this device"},
        {"devices", V::device_list, {}, "queue for these devices"},
        {"command", V::object, {}, "the raw command dict (RequestType and its keys)"},
        {"type", V::string, {}, "a typed command, e.g. DeviceLock"},
        {"params", V::object, {}, "the typed command's parameters"},
        {"plist", V::string, {}, "the whole command plist as XML"},
        {"priority", V::integer, {}, "higher first"},
        {"no_push", V::boolean, {}, "queue without pushing"},
        channel},
       "queue a command through the admin API; `as` names its CommandUUID"},
      {"server",
       "push",
       {{"device", V::device, {}, ""}, {"devices", V::device_list, {}, ""}, channel},
       "push to devices through the admin API"},
      {"server",
       "unbind_certificate",
       {{"device", V::device, {}, ""}},
       "forget the device's certificate binding (admin API)"},
      {"apns",
       "fault",
       {{"device", V::device, {}, "only pushes to this device's token"},
        {"status", V::integer, {}, "HTTP status APNs answers"},
        {"reason", V::string, {}, "APNs reason, e.g. BadDeviceToken"},
        {"count", V::integer, {}, "how many pushes get the fault"},
        {"delay_ms", V::integer, {}, "answer this late"}},
       "make APNs answer pushes with an error"},
      {"apns", "unregister", {{"device", V::device, {}, ""}}, "APNs answers 410 for the token"},
      {"server",
       "ddm_declare",
       {{"declaration", V::object, {}, "the declaration: Type, Identifier, Payload"},
        {"set", V::string, {}, "the set it joins (default: default)"}},
       "with mdmlab's admin API, store a declaration (the server sets its ServerToken) and put "
       "it in a set; devices assigned to the set get DeclarativeManagement and a push"},
      {"server",
       "ddm_assign",
       {{"device", V::device, {}, ""},
        {"devices", V::device_list, {}, ""},
        {"set", V::string, {}, "the set (default: default)"}},
       "with mdmlab's admin API, assign devices to a declaration set (they are told to sync)"},
      {"server",
       "ddm_remove",
       {{"identifier", V::string, {}, "the declaration's Identifier"}},
       "with mdmlab's admin API, delete a declaration (devices that had it are told to sync)"},
      {"server",
       "windows_command",
       {{"device", V::device, {}, "the Windows PC"},
        {"verb", V::string, {"Get", "Replace", "Add", "Delete", "Exec"}, "the SyncML command"},
        {"target", V::string, {}, "the CSP node's LocURI, e.g. ./DevDetail/SwV"},
        {"format", V::string, {}, "Meta Format: chr, int, bool, b64, xml"},
        {"type", V::string, {}, "Meta Type, e.g. text/plain"},
        {"data", V::string, {}, "the Item's Data"},
        {"repeat", V::integer, {}, "send `data` this many times over (a large object)"},
        {"syncml", V::string, {}, "the whole command element instead (Atomic, Sequence too)"}},
       "with mdmlab's admin API, queue a SyncML command for a Windows PC; `as` names its "
       "command_uuid (the subject server.windows_command reads its Status and Results)"},
      {"server",
       "idp_account",
       {{"email", V::string, {}, "the account's email (a UPN)"},
        {"first_name", V::string, {}, ""},
        {"last_name", V::string, {}, ""}},
       "with mdmlab's admin API, an IdP account with names (as an IdP import leaves it)"},
      {"server",
       "dep_sync",
       {{"device", V::device, {}, "wait for this device's assignment"},
        {"devices", V::device_list, {}, "wait for these devices' assignments"}},
       "with mdmlab's admin API, run the server's DEP sync now; then wait (up to 30 s) until "
       "the ABM simulator shows the devices' ADE profile assigned by the server"},
      {"abm",
       "add_device",
       {{"device", V::device, {}, "this device's serial number and model join"},
        {"devices", V::device_list, {}, "these devices join"}},
       "add devices to the ABM organisation, assigned to the MDM server"},
      {"abm",
       "remove_device",
       {{"device", V::device, {}, ""}},
       "take a device out of the organisation (the next sync reports it deleted)"},
      {"abm",
       "fault",
       {{"path", V::string, {}, "only calls to this DEP path, e.g. /devices/sync"},
        {"status", V::integer, {}, "HTTP status the DEP API answers"},
        {"retry_after",
         V::integer,
         {},
         "Retry-After seconds (429: calls to the path before then get 429 again and count as "
         "early_retries)"},
        {"body", V::string, {}, "the answer's body, e.g. FORBIDDEN"},
        {"count", V::integer, {}, "how many calls get the fault"}},
       "make the DEP API answer the server's next calls with an error"},
      {"abm",
       "expire_sessions",
       {},
       "end every DEP auth session: the server must authenticate again"},
      {"abm",
       "expire_cursors",
       {},
       "every cursor ABM handed out answers EXPIRED_CURSOR (as after 7 days): the server must "
       "fetch everything again"},
      {"apns", "clear_faults", {}, "remove every fault"},
      {"entra",
       "add_user",
       {{"upn", V::string, {}, "the user principal name, e.g. ada@contoso.example"},
        {"password", V::string, {}, ""},
        {"display_name", V::string, {}, ""},
        {"enabled", V::boolean, {}, "false: a disabled account (sign-in refused)"},
        {"given_name", V::string, {}, ""},
        {"surname", V::string, {}, ""}},
       "add a user to the Entra simulator's tenant"},
      {"entra",
       "provision",
       {},
       "one provisioning cycle, as Entra's provisioning service runs it: every user of the "
       "tenant looked up at the server's SCIM 2.0 endpoint (/api/latest/fleet/scim/Users, the "
       "admin token as bearer) by userName, created with POST or updated with PATCH; fails if "
       "the server refused any"},
      {"clock",
       "advance",
       {{"by", V::duration, {}, "how far"}},
       "move the embedded server's and APNs' virtual clock"},
  };
  return table;
}

const ActionSpec* find_action(std::string_view party, std::string_view verb) {
  for (const auto& a : action_table())
    if (party == a.party && verb == a.verb) return &a;
  return nullptr;
}

const std::vector<KeySpec>& device_settings() {
  using V = ValueKind;
  static const std::vector<KeySpec> settings = {
      {"model", V::string, {}, "product model, e.g. Mac14,2"},
      {"os", V::string, {}, "OS version, e.g. 14.5"},
      {"not_now_polls", V::integer, {}, "answer the first N commands NotNow"},
      {"error_for", V::string_list, {}, "RequestTypes the Mac answers with Error"},
      {"slow_ms", V::integer, {}, "wait this long before each request"},
      {"apns", V::string, {"online", "offline", "none"}, "the Mac's APNs connection"},
      {"same_udid_as", V::device, {}, "use this other device's UDID (own key and certificate)"},
      {"user", V::string, {}, "a logged-in user's short name: the user channel enrolls too"},
      {"upn", V::string, {}, "windows: the user's UPN (a Full enrollment; none: Device)"},
      {"group", V::string, {}, "a group this device is in; steps naming the group act on all"},
  };
  return settings;
}

const std::vector<KeySpec>& server_settings() {
  static const std::vector<KeySpec> settings = {
      {"cert_binding",
       ValueKind::string_list,
       {"strict", "allow-duplicate", "allow-retroactive", "warn-only"},
       "certificate binding options"},
  };
  return settings;
}

const std::vector<KeySpec>& matcher_table() {
  using V = ValueKind;
  static const std::vector<KeySpec> table = {
      {"equals", V::any, {}, "the value is this (numbers compare as numbers)"},
      {"not_equals", V::any, {}, "the value is present and is not this"},
      {"contains", V::any, {}, "a list has this element, an object this key, text this substring"},
      {"matches", V::regex, {}, "the text (or the JSON of a non-string) has a match of this regex"},
      {"present", V::flag, {}, "true: the path finds a value; false: it finds none"},
      {"absent", V::flag, {}, "true: the path finds no value"},
      {"gte", V::number, {}, "a number at least this"},
      {"lte", V::number, {}, "a number at most this"},
      {"between", V::number_pair, {}, "a number within [low, high], both included"},
      {"count", V::count, {}, "a list's (or object's) size is this, or matches these matchers"},
      {"any", V::matcher, {}, "some element of the list matches (its own \"field\" reads inside)"},
      {"all", V::matcher, {}, "every element of the list matches"},
  };
  return table;
}

const std::vector<KeySpec>& failure_table() {
  using V = ValueKind;
  static const std::vector<KeySpec> table = {
      {"status", V::integer, {}, "the HTTP status of the refused exchange, e.g. 403"},
      {"transport",
       V::string,
       {"connect", "tls", "send", "receive"},
       "the connection failed at this stage (tls: the handshake)"},
      {"scep_status", V::string, {"FAILURE", "PENDING"}, "the SCEP pkiStatus of the CertRep"},
      {"scep_fail_info",
       V::string,
       {"badAlg", "badMessageCheck", "badRequest", "badTime", "badCertId"},
       "the SCEP failInfo of the CertRep (RFC 8894 section 3.2.1.4.5)"},
      {"payload",
       V::string,
       {},
       "the PayloadType of the profile payload that could not be installed, e.g. "
       "com.apple.security.scep"},
      {"key", V::string, {}, "the payload key at fault, e.g. CAFingerprint"},
      {"code", V::string, {}, "mdmlab's error code, e.g. checkin_refused"},
      {"message", V::string, {}, "a substring of the error message"},
  };
  return table;
}

const std::vector<SubjectSpec>& subject_table() {
  static const std::vector<SubjectSpec> table = {
      {"server.device", "a device of the scenario",
       "state (absent when unknown), push_status, push_error, enabled, topic, serial_number, "
       "model, os_version, token_update_count, idp_user.username|name|subject (authenticated "
       "ADE), ... (the admin API's device object)",
       "the server's record of the device's enrollment (admin API); \"channel\": \"user\" for "
       "the user channel",
       "admin_api"},
      {"server.command", "a CommandUUID or a $name bound by `as`",
       "status (Acknowledged, Error, NotNow, CommandFormatError, \"\" while queued), result "
       "(the device's report; paths read inside it: result.QueryResponses.OSVersion), "
       "not_now_count, active, udid",
       "a command's result for one device (\"device\": \"mac1\"; default: the first); "
       "against a target, from its command_results (webhook: also reports, how many arrived)",
       "command_results"},
      {"server.windows_device", "a Windows PC of the scenario",
       "state (enrolled, unenrolled, absent), upn, enrollment_type, model, host_uuid (its "
       "agent's host, seed 001), idp_account.email|first_name|last_name, ...",
       "the server's record of the PC's enrollment (admin API)", "admin_api"},
      {"server.windows_command", "a command_uuid or a $name bound by `as`",
       "status (\"\" queued, sent, or the device's Status code: 200, 404, 405...), "
       "results[i].source|format|type|data, verb",
       "a Windows command's answer as mdmlab's admin API stored it", "admin_api"},
      {"apns.deliveries", "a device of the scenario",
       "count, delivered, stored, coalesced, expired, rejected, queued, last_state, last_status, "
       "last_reason, deliveries[i].status|state|reason|payload",
       "what the APNs simulator did with pushes to the device's token", "apns"},
      {"server.ddm", "a device of the scenario",
       "declarations.<identifier>.valid|active|server_token|reasons[i].code|kind, "
       "errors[i].error, error_count, reported",
       "what the server stored from the device's declarative status reports (admin API)",
       "admin_api"},
      {"abm.device", "a device of the scenario",
       "serial_number, model, profile_status (empty, assigned, pushed, removed), profile_uuid, "
       "profile_assign_time, profile_push_time; state absent when not in the organisation",
       "the device as Apple Business Manager (the ABM simulator) knows it", "abm"},
      {"abm.api", "\"dep\"",
       "calls, sessions, fetch_pages, sync_pages, throttled (429s with a Retry-After), "
       "early_retries (calls before a Retry-After had passed), expired_cursors, invalid_cursors",
       "how the server used the DEP API, as the ABM simulator counted it", "abm"},
      {"device", "a device of the scenario",
       "state, profiles, last_error, pushes_received, online, device_channel_commands, "
       "user_channel_commands, bootstrap_token, udid, scep_retries, "
       "commands[i].request_type|command_uuid|status, identity.source|payload_uuid|subject|"
       "issuer|key_bits|subject_alt_names.dns|rfc822|uri|nt_principal|"
       "requested_key_usage, profile.signed|signer|pinned, install_failure.payload|"
       "identifier|key|reason, awaiting_configuration, supervised, cloud_configuration.url|"
       "await_device_configured|is_supervised|..., ddm.declarations_token|syncs|"
       "declarations.<identifier>.valid|active|type|reasons[i].code, ddm.passcode.<key>, "
       "ddm.software_update.<key>, sso_user",
       "the simulated device itself: what it received and answered", ""},
  };
  return table;
}

const std::vector<CapabilitySpec>& capability_table() {
  static const std::vector<CapabilitySpec> table = {
      {"admin_api", "the server reports devices and command results (server_url, admin_token)"},
      {"commands",
       "commands can be queued: mdmlab's admin API, or a target's command_api (any server)"},
      {"command_results",
       "command results can be read: mdmlab's admin API, or a target's command_results (a "
       "webhook mdmlab receives, or a URL)"},
      {"apns", "the server pushes to mdmlab's APNs simulator (apns_control_url)"},
      {"abm", "the server syncs over the DEP API with mdmlab's ABM simulator (abm_control_url)"},
      {"ota", "the server offers over-the-air enrollment (ota_profile_url)"},
      {"ade_automatic",
       "the server hands out its ADE enrollment profile without a sign-in (targets without "
       "entra_control_url)"},
      {"entra",
       "the server signs users in at mdmlab's Entra simulator for authenticated ADE and "
       "federated Windows enrollment, and takes its SCIM provisioning (entra_control_url, "
       "entra_tenant, entra_ca_file)"},
      {"windows",
       "the server enrolls Windows PCs over MS-MDE2 (windows_discovery_url, "
       "windows_enrollment_secret)"},
      {"virtual_clock", "the scenario moves the server's clock (embedded server only)"},
      {"scep_challenge", "the SCEP challenge is known (scep_challenge) for wrong-profile steps"},
      {"unsigned_profile", "the server hands out the profile unsigned (unsigned_profile_url)"},
      {"server_settings", "the scenario configures the server (embedded server only)"},
  };
  return table;
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = 4;
  for (const auto& c : candidates) {
    auto d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace mdmlab::scenarios
