// The Apple MDM protocol as an interface, one method per check-in message type plus the
// command loop (as NanoMDM's service). The core implementation is AppleMdmService;
// CertificateBinding wraps it; the HTTP transport only decodes and encodes.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "crypto/certificate.hpp"
#include "protocol/apple/checkin.hpp"
#include "protocol/apple/command.hpp"

namespace mdmlab::server::apple {

struct MdmRequest {
  std::optional<crypto::Certificate> identity;  // mTLS client cert, or the Mdm-Signature signer
};

struct MdmReply {
  int status = 200;
  std::string body;          // a command plist, a bootstrap-token plist, or empty
  std::string content_type;  // set when body is non-empty
  std::string error;         // for 4xx: why (no secrets)
  static MdmReply empty() { return {}; }
  static MdmReply fail(int status, std::string why) { return {status, {}, {}, std::move(why)}; }
};

class MdmService {
 public:
  virtual ~MdmService() = default;
  virtual boost::asio::awaitable<MdmReply> checkin(const MdmRequest& req,
                                                   const mdmlab::apple::Checkin& msg) = 0;
  virtual boost::asio::awaitable<MdmReply> command_report(
      const MdmRequest& req, const mdmlab::apple::CommandReport& report) = 0;
};

}  // namespace mdmlab::server::apple
