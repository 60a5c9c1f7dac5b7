// Setup Assistant's web view for authenticated ADE (the cloud configuration's
// configuration_web_url), as far as an MDM flow needs a browser: GET the page with the
// x-apple-aspen-deviceinfo header, follow redirects to the identity provider, fill its sign-in
// form (hidden fields kept, username and password added) and post it, follow the redirect back
// to the server, and take the enrollment profile it finally answers. No scripts, no cookies.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

#include "core/net/http_client.hpp"
#include "crypto/certificate.hpp"

namespace mdmlab::simulators::mac {

struct WebSignIn {
  std::string username, password;              // empty username: no account to sign in with
  std::vector<crypto::Certificate> idp_roots;  // trust for the IdP's TLS
};

struct HtmlForm {
  std::string action, method = "get";
  std::vector<std::pair<std::string, std::string>> hidden;
  std::string error;  // the text of an element with id="error", if any
};
// The first <form> of a page, its hidden inputs, and an id="error" element's text.
Result<HtmlForm> parse_sign_in_page(const std::string& html);

// The whole web flow; the answer is the profile's bytes. `server_options` carries the trust
// for the MDM server (the cloud configuration's anchor_certs) and the transcript.
boost::asio::awaitable<Result<std::string>> web_enrollment(boost::asio::any_io_executor executor,
                                                           std::string configuration_web_url,
                                                           std::string device_info_base64,
                                                           net::HttpClientOptions server_options,
                                                           const WebSignIn* sign_in);

}  // namespace mdmlab::simulators::mac
