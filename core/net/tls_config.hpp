// TLS settings for our servers and clients, as plain values (no Asio types here).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/certificate.hpp"
#include "crypto/key.hpp"

namespace mdmlab::net {

struct TlsServerConfig {
  crypto::Certificate certificate;
  crypto::PrivateKey key;
  std::vector<crypto::Certificate> chain;       // intermediates sent after the leaf
  std::vector<crypto::Certificate> client_cas;  // trust anchors for client certificates
  bool request_client_certificate = false;      // mTLS: ask for (and verify) a client cert
  bool require_client_certificate = false;      // mTLS: refuse the handshake without one
  std::vector<std::string> alpn;                // e.g. {"h2"}; empty: no ALPN
};

struct TlsClientConfig {
  std::vector<crypto::Certificate> trusted_roots;  // empty: the system's default store
  bool verify_peer = true;
  std::string server_name;  // SNI and hostname check; empty: the URL's host
  std::optional<crypto::Certificate> client_certificate;
  crypto::PrivateKey client_key;
  std::vector<std::string> alpn;
  // Certificate pinning (a profile's ServerURLPinningCertificateUUIDs): when set, the pins are
  // trust anchors too (a pinned intermediate or leaf anchors the chain), and a verified chain
  // must contain one of them or the handshake fails.
  std::vector<crypto::Certificate> pinned;
  // PinningRevocationCheckRequired: the chain needs a positive revocation answer. This client
  // fetches no CRL or OCSP, so with pins and this flag every handshake fails (as macOS fails
  // one whose revocation check does not answer).
  bool require_revocation_check = false;
  // OpenSSL security level 1 instead of Debian's 2, so a client certificate with an RSA-1024
  // key can be presented: a SCEP payload without Keysize makes macOS generate one (Apple's
  // default), and the simulated Mac does the same. Whether to accept it is the server's call.
  bool allow_small_client_key = false;
};

}  // namespace mdmlab::net
