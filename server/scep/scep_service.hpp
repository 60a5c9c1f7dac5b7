// The SCEP operations (RFC 8894) as an interface. The authority implements it; metrics (and
// later logging or rate limits) wrap it; the HTTP transport only decodes and encodes.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "common/bytes.hpp"
#include "protocol/scep/types.hpp"

namespace mdmlab::server::scep {

struct CaCertReply {
  std::string content_type;  // application/x-x509-ca-cert or application/x-x509-ca-ra-cert
  Bytes body;                // DER cert, or degenerate PKCS#7 (RA first, then CA)
};

struct PkiReply {
  // 200 with a CertRep, 400 when the request is too broken to answer with one, 503 when the
  // store is unavailable (an HTTP-level "come back later" rather than a CertRep FAILURE the
  // client would take as final; nothing was stored, and the same request can be sent again).
  int http_status = 200;
  Bytes cert_rep;
  std::string error;    // for 4xx and 5xx: what was wrong (no secrets)
  int retry_after = 0;  // seconds, sent as Retry-After (with 503)
  std::optional<mdmlab::scep::PkiStatus> status;
  std::optional<mdmlab::scep::FailInfo> fail_info;
  std::string message_type;  // "PKCSReq", ... or "unknown"
};

class ScepService {
 public:
  virtual ~ScepService() = default;
  virtual std::string ca_caps() = 0;
  virtual CaCertReply ca_cert() = 0;
  virtual boost::asio::awaitable<PkiReply> pki_operation(Bytes message) = 0;
};

}  // namespace mdmlab::server::scep
