// One hostile request and what the generator needs to build them: the valid material it mutates
// (SCEP messages, check-in and command-loop plists, admin JSON) and the identities at hand.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/net/http_message.hpp"
#include "crypto/certificate.hpp"
#include "crypto/key.hpp"
#include "protocol/scep/types.hpp"

namespace mdmlab::testing::hostile {

// Mutation classes (the table's second dimension; see generator.hpp for what each means).
namespace mutation {
inline constexpr const char* truncation = "truncation";
inline constexpr const char* content_type = "wrong content type";
inline constexpr const char* huge = "huge body";
inline constexpr const char* bad_base64 = "bad base64";
inline constexpr const char* nesting = "wrong nesting";
inline constexpr const char* duplicate_keys = "duplicate keys";
inline constexpr const char* invalid_utf8 = "invalid UTF-8";
inline constexpr const char* numbers = "negative/overflowing numbers";
inline constexpr const char* identity = "wrong identity";
inline constexpr const char* forged = "forged/expired token";
// APNs (generator_apns.cpp)
inline constexpr const char* wrong_token = "wrong/unknown token";
inline constexpr const char* malformed_token = "malformed token";
inline constexpr const char* wrong_topic = "wrong topic";
inline constexpr const char* headers = "missing/duplicate headers";
inline constexpr const char* header_values = "bad priority/expiration/id/collapse-id";
inline constexpr const char* method = "wrong method";
inline constexpr const char* path = "wrong path";
inline constexpr const char* empty = "empty payload";
inline constexpr const char* invalid_json = "invalid JSON";
inline constexpr const char* wrong_types = "wrong types";
// Authenticated ADE's callback (generator_ade.cpp): the IdP's error instead of a code.
inline constexpr const char* idp_error = "IdP error answer";
// Windows enrollment (generator_windows.cpp): SOAP envelopes that are no SOAP 1.2 message for the
// endpoint, WS-Addressing Actions of another operation, PKCS#10 requests that are none or do not
// verify, AdditionalContext DeviceIDs no certificate may name, WS-Trust requests other than Issue.
inline constexpr const char* soap = "bad SOAP envelope";
inline constexpr const char* action = "wrong Action";
inline constexpr const char* csr = "bad CSR";
inline constexpr const char* device_id = "hostile DeviceID";
inline constexpr const char* request_type = "wrong RequestType";
// Windows management (generator_windows_mdm.cpp): SyncML that is no SyncML DM 1.2 message.
inline constexpr const char* syncml = "malformed SyncML";
// The Entra simulator (generator_entra.cpp): OAuth grants that do not hold, PKCE that does not
// match, authorize requests with bad parameters.
inline constexpr const char* grant = "bad grant";
inline constexpr const char* pkce = "wrong PKCE";
inline constexpr const char* params = "bad parameters";
}  // namespace mutation

// Which listener a case goes to: raw bytes on the plain HTTP port (any framing, Connection:
// close), or one well-formed request through our HTTPS client with a chosen client certificate.
// apns_http: raw bytes to the APNs simulator's control port (control API, device side);
// apns_h2: one HTTP/2 request to its push endpoint over a fresh TLS connection.
// abm_http: raw bytes to the ABM simulator's DEP API (plain HTTP, as the simulator serves it).
// raw_tls: raw bytes to the server's HTTPS listener, presenting `cert` (any framing over TLS).
// entra_tls: raw bytes to the Entra simulator's identity platform (HTTPS only); entra_http: raw
// bytes to its control API (plain HTTP).
enum class Channel { raw_http, tls, apns_http, apns_h2, abm_http, raw_tls, entra_tls, entra_http };
// windows_pc: the certificate the fixture's Windows PC got at its enrollment.
enum class ClientCert { none, mac_a, mac_b, windows_pc };
// The client certificate of an apns_h2 case: the push certificate for the registered topic,
// one for another topic, one without a topic (no UID), an expired one, one from another CA, a
// self-signed copy of the push certificate's subject, none.
enum class ApnsIdentity { push, other_topic, no_uid, expired, foreign_ca, self_signed, none };

// The answer a case must get, from the protocol rule that applies to it. Usually exactly one;
// a case the rule lets go two ways (RFC 9112 §8: an incomplete request may get a 400 or just a
// closed connection) or that breaks two rules at once (a wrong Content-Type on a body that is
// not the endpoint's message either: 415 or 400, whichever check comes first) lists the few
// answers it allows, never "any 4xx". A case without one fails the run.
enum class Outcome {
  http,     // this HTTP status (with the failInfo / reason / carried detail below, when set)
  closed,   // the connection ends without an answer (EOF or reset; a timeout is never clean)
  refused,  // APNs: the TLS handshake or connection is refused (untrusted client certificate)
  reset,    // APNs: RST_STREAM PROTOCOL_ERROR (RFC 9113 §8.1.1: a malformed HTTP/2 request)
};

// What the answer's body (or Location) must carry besides its status, for protocols that say
// more than a status: `carried` is the value.
enum class Carries {
  nothing,
  soap_fault,      // a SOAP 1.2 Fault with this Subcode (MS-MDE2 2.2.9: s:MessageFormat...)
  oauth_error,     // Entra's JSON error: {"error": this, "error_description": "AADSTS..."}
  syncml_status,   // SyncML with one command: Status of the SyncHdr with this code
  redirect_error,  // a redirect whose Location's query has error=this (RFC 6749 §4.1.2.1)
  page_error,      // an HTML page showing this (an AADSTS code), no Location
};

struct Expected {
  struct One {
    Outcome outcome = Outcome::http;
    int status = 0;
    std::optional<mdmlab::scep::FailInfo> fail_info;  // HTTP 200 + a SCEP CertRep FAILURE with it
    std::string reason;                               // APNs push endpoint: Apple's reason
    Carries carries = Carries::nothing;
    std::string carried;
  };
  std::vector<One> any_of;
  std::string rule;  // where the answer comes from, for failure messages

  bool empty() const { return any_of.empty(); }
  std::string describe() const;  // "400", "400 or closed", "200 CertRep FAILURE badRequest"...

  static Expected status(int s, std::string why) { return Expected{{{Outcome::http, s}}, why}; }
  static Expected statuses(std::initializer_list<int> s, std::string why) {
    Expected e{{}, std::move(why)};
    for (int v : s) e.or_status(v);
    return e;
  }
  static Expected cert_rep(mdmlab::scep::FailInfo f, std::string why) {
    return Expected{{{Outcome::http, 200, f}}, std::move(why)};
  }
  static Expected apns(int s, std::string reason, std::string why) {
    return Expected{{{Outcome::http, s, std::nullopt, std::move(reason)}}, std::move(why)};
  }
  static Expected reset(std::string why) { return Expected{{{Outcome::reset}}, std::move(why)}; }
  static Expected refused(std::string why) {
    return Expected{{{Outcome::refused}}, std::move(why)};
  }
  static Expected carrying(int s, Carries what, std::string value, std::string why) {
    return Expected{{{Outcome::http, s, std::nullopt, {}, what, std::move(value)}}, std::move(why)};
  }
  Expected& or_status(int s) {
    any_of.push_back({Outcome::http, s});
    return *this;
  }
  Expected& or_apns(int s, std::string reason) {
    any_of.push_back({Outcome::http, s, std::nullopt, std::move(reason)});
    return *this;
  }
  Expected& or_closed() {
    any_of.push_back({Outcome::closed});
    return *this;
  }
};

struct Case {
  std::string endpoint;  // table row, e.g. "PUT /mdm/checkin"
  std::string mutation;  // one of mutation::*
  std::string name;      // what exactly was done (for failure messages)
  Channel channel = Channel::raw_http;
  std::string raw;           // raw_http: the complete request bytes
  net::HttpRequest request;  // tls: the request
  ClientCert cert = ClientCert::mac_a;
  // apns_h2
  std::vector<std::pair<std::string, std::string>> h2_headers;  // pseudo-headers included
  std::string h2_body;
  ApnsIdentity identity = ApnsIdentity::push;
  Expected expect;  // what it must be answered with
};

// What the APNs simulator holds before the hostile cases (hostile_apns.cpp).
struct ApnsMaterials {
  std::string topic, other_topic;
  std::string token;               // registered for `topic`, offline, one notification stored
  std::string other_token;         // registered for `other_topic`
  std::string unregistered_token;  // registered, then unregistered (410)
  std::string magic;               // the PushMagic of `token`'s valid payload
  std::size_t control_body_limit = 2 * 1024 * 1024;
};

// What the ABM simulator holds before the hostile cases (hostile_abm.cpp): four devices, one of
// them assigned to a profile the fixture defined over the DEP API, and the credentials a real
// MDM server has (the server token) and got (a session).
struct AbmMaterials {
  std::string consumer_key, consumer_secret, access_token, access_secret;  // the server token
  std::string session;               // a valid X-ADM-Auth-Session
  std::string expired_session;       // valid once, then ended (every session then was)
  std::string used_authorization;    // the Authorization of the call that opened `session`
  std::string used_nonce;            // its oauth_nonce (spent)
  std::string profile_uuid;          // defined by the fixture, assigned to serials[0]
  std::vector<std::string> serials;  // the organisation's devices; [0] assigned, the rest not
  std::string fetch_cursor;          // a /server/devices cursor with more to follow
  std::string exhausted_cursor;      // a /server/devices cursor that has returned every device
  std::string sync_cursor;           // a /devices/sync cursor (no fetch cursor)
  std::size_t body_limit = 2 * 1024 * 1024;
};

// Authenticated ADE (hostile_fixture.cpp): sign-ins started from valid device info, each state
// pending at the server until one callback takes it.
struct SsoMaterials {
  std::vector<std::string> fresh_states;  // pending; each case that may take one has its own
  std::string used_state;                 // taken by a callback already (the IdP's error)
};

struct Device {
  std::string udid;
  crypto::PrivateKey key;
  crypto::Certificate cert;
};

// Windows (hostile_windows.cpp): one PC enrolled with the enrollment secret over raw SOAP, its
// first management session answered, a command answered and one still queued (any message the
// server took would send it).
struct WindowsMaterials {
  std::string secret;    // the enrollment secret (UsernameToken password)
  std::string base_url;  // https://127.0.0.1:PORT, what the SOAP To headers name
  Device pc;             // udid = its DeviceID (the certificate's CN)
  std::string other_id;  // a DeviceID enrolled nowhere
  std::string queued_command, answered_command;
  std::string session_id;  // the session the fixture's messages used
  std::string csr_der;     // a valid PKCS#10 request of a spare key (DER bytes)
};

// The Entra simulator (hostile_entra.cpp): its tenant and app (the server's SSO app), a second
// app, a user, codes issued for the cases that take one, a code and a refresh token used already.
struct EntraMaterials {
  std::string tenant, domain, client_id, client_secret, redirect_uri;
  std::string other_client_id, other_client_secret;
  std::string user, password;
  std::vector<std::string> fresh_codes;  // S256 challenge of `verifier`, each for one case
  std::string verifier;                  // the PKCE verifier of every fresh code
  std::string used_code;                 // redeemed once (by the fixture)
  std::string used_refresh_token;        // redeemed once (rotated away)
  std::size_t body_limit = 2 * 1024 * 1024;
};

// Everything valid the generator starts from; built by the fixture against the live server.
struct Materials {
  std::string admin_token;
  std::string scep_challenge;
  std::chrono::system_clock::time_point now;
  crypto::Certificate ca;                // SCEP recipient (no RA in this run)
  crypto::PrivateKey ca_key;             // to mint certificates the store never issued
  std::vector<crypto::PrivateKey> keys;  // spare keys, never enrolled
  Device mac_a, mac_b;                   // enrolled, authenticated, TokenUpdate'd
  std::string mac_a_transaction;         // mac A's SCEP transactionID (issued)
  std::string queued_command;            // a command queued for mac A, not yet answered
  std::string answered_command;          // a command mac A acknowledged (has a result)
  std::size_t body_limit = 2 * 1024 * 1024;
  ApnsMaterials apns;
  AbmMaterials abm;
  SsoMaterials sso;
  WindowsMaterials windows;
  EntraMaterials entra;
};

// Deterministic randomness for the generator (std::mt19937_64 from the run's seed).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::size_t below(std::size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(engine_);
  }
  std::size_t between(std::size_t lo, std::size_t hi) { return lo + below(hi - lo + 1); }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
  std::string bytes(std::size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(below(256));
    return s;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace mdmlab::testing::hostile
