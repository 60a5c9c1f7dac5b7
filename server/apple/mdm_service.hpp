// The Apple MDM protocol as an interface (NanoMDM's service.CheckinAndCommandService): one
// method per check-in MessageType, plus the command loop. AppleMdmService implements it;
// CertificateBinding and MeteredMdmService wrap it; the HTTP transport only decodes, calls
// dispatch_checkin() and encodes. Each method's doc names Apple's reference page.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "crypto/certificate.hpp"
#include "protocol/apple/checkin.hpp"
#include "protocol/apple/command.hpp"
#include "server/store/store_error.hpp"

namespace mdmlab::server::apple {

struct MdmRequest {
  std::optional<crypto::Certificate> identity;  // mTLS client cert, or the Mdm-Signature signer
  std::string_view body;                        // the HTTP body as sent (valid while the call runs)
  std::string query;  // the request URL's raw query string (ServerURL/CheckInURL may have one)
};

struct MdmReply {
  int status = 200;
  std::string body;          // a command plist, a bootstrap-token plist, or empty
  std::string content_type;  // set when body is non-empty
  std::string error;         // for 4xx and 5xx: why (no secrets)
  int retry_after = 0;       // seconds, sent as Retry-After (with 503)
  static MdmReply empty() { return {}; }
  static MdmReply fail(int status, std::string why) { return {status, {}, {}, std::move(why)}; }
  // The store failed: 503 with Retry-After, so the device sends the same message again later
  // (the failed operation stored nothing). The store's message names internals: logged there,
  // not told to the device.
  static MdmReply unavailable() {
    return {503, {}, {}, "service unavailable, try again later", store::kRetryAfterSeconds};
  }
};

using Checkin = mdmlab::apple::Checkin;

class MdmService {
 public:
  virtual ~MdmService() = default;
  // Apple: "Authenticate" (MDM check-in protocol): a device channel (re-)enrolls.
  virtual boost::asio::awaitable<MdmReply> authenticate(const MdmRequest& req,
                                                        const Checkin& msg) = 0;
  // "TokenUpdate": push token and magic, for the device or a user channel.
  virtual boost::asio::awaitable<MdmReply> token_update(const MdmRequest& req,
                                                        const Checkin& msg) = 0;
  // "UserAuthenticate": a user channel asks to enroll (DigestChallenge, DigestResponse).
  virtual boost::asio::awaitable<MdmReply> user_authenticate(const MdmRequest& req,
                                                             const Checkin& msg) = 0;
  // "SetBootstrapToken" and "GetBootstrapToken".
  virtual boost::asio::awaitable<MdmReply> set_bootstrap_token(const MdmRequest& req,
                                                               const Checkin& msg) = 0;
  virtual boost::asio::awaitable<MdmReply> get_bootstrap_token(const MdmRequest& req,
                                                               const Checkin& msg) = 0;
  // "CheckOut": the MDM profile was removed.
  virtual boost::asio::awaitable<MdmReply> check_out(const MdmRequest& req, const Checkin& msg) = 0;
  // "DeclarativeManagement": the DDM channel.
  virtual boost::asio::awaitable<MdmReply> declarative_management(const MdmRequest& req,
                                                                  const Checkin& msg) = 0;
  // The command loop (PUT ServerURL): a report (Idle or a result); answers the next command.
  virtual boost::asio::awaitable<MdmReply> command_report(
      const MdmRequest& req, const mdmlab::apple::CommandReport& report) = 0;
};

// Calls the method for the message's type.
boost::asio::awaitable<MdmReply> dispatch_checkin(MdmService& service, const MdmRequest& req,
                                                  const Checkin& msg);

}  // namespace mdmlab::server::apple
