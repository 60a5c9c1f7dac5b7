// What a scenario's <device>.enroll can change in the server's enrollment profile before the
// device installs it, to show how a device treats each payload key: the SCEP payload's Subject,
// SubjectAltName, Keysize, Key Usage, Retries, RetryDelay, CAFingerprint and URL; a PKCS#12
// identity in place of the SCEP payload; certificate pinning; and a signed profile tampered
// with. Edits work on the profile's plist as served (other payloads are kept as they are), so
// they work against any server that hands out its profile unsigned.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "core/net/transcript.hpp"

namespace mdmlab::scenarios {

// The `with` keys of <device>.enroll that edit the profile's content (the unsigned profile
// is fetched, edited and given to the device unsigned).
const std::vector<std::string>& profile_edit_keys();
bool has_profile_edits(const nlohmann::json& with);

struct ProfileEditContext {
  boost::asio::any_io_executor executor;
  std::shared_ptr<net::Transcript> transcript;  // the runner's exchanges (GetCACert, SCEP)
  std::string device_udid;                      // the PKCS#12 identity's subject CN
};

// The profile (XML or binary plist) with the edits `with` asks for, as XML. A CAFingerprint
// ("sha1", "sha256" or "wrong") is computed from the SCEP server's GetCACert answer; a PKCS#12
// identity is enrolled over the profile's own SCEP payload by the runner (as an MDM vendor's
// console would) and replaces that payload under its PayloadUUID.
boost::asio::awaitable<Result<std::string>> edit_profile(ProfileEditContext ctx, std::string xml,
                                                         nlohmann::json with);

// A CMS-signed profile with one character of its signed content changed: its signature no
// longer verifies, everything else is intact.
Result<std::string> tamper_signed_profile(std::string der);

}  // namespace mdmlab::scenarios
