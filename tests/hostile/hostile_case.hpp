// One hostile request and what the generator needs to build them: the valid material it mutates
// (SCEP messages, check-in and command-loop plists, admin JSON) and the identities at hand.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/net/http_message.hpp"
#include "crypto/certificate.hpp"
#include "crypto/key.hpp"

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
}  // namespace mutation

// Which listener a case goes to: raw bytes on the plain HTTP port (any framing, Connection:
// close), or one well-formed request through our HTTPS client with a chosen client certificate.
// apns_http: raw bytes to the APNs simulator's control port (control API, device side);
// apns_h2: one HTTP/2 request to its push endpoint over a fresh TLS connection.
enum class Channel { raw_http, tls, apns_http, apns_h2 };
enum class ClientCert { none, mac_a, mac_b };
// The client certificate of an apns_h2 case: the push certificate for the registered topic,
// one for another topic, one without a topic (no UID), an expired one, one from another CA, a
// self-signed copy of the push certificate's subject, none.
enum class ApnsIdentity { push, other_topic, no_uid, expired, foreign_ca, self_signed, none };

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
  bool refusal_ok = false;  // a refused TLS handshake / closed connection is the clean answer
  bool reset_ok = false;    // malformed HTTP/2 (RFC 9113 8.1.1): RST_STREAM PROTOCOL_ERROR is clean
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

struct Device {
  std::string udid;
  crypto::PrivateKey key;
  crypto::Certificate cert;
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
