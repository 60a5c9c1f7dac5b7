// The web view a device opens during enrollment, as far as an MDM flow needs a browser: GET a
// start page (with headers the device adds for its own server), follow redirects to the
// identity provider, fill its sign-in form (hidden fields kept, username and password added)
// and post it, follow the redirect back, and stop at the end of the flow: an answer that is not
// a page (Apple's enrollment profile), or a page whose form posts to an app rather than the web
// (Windows' Web Authentication Broker end page, action ms-app://...). No scripts, no cookies.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/net/http_client.hpp"
#include "crypto/certificate.hpp"

namespace mdmlab::simulators::web {

struct WebSignIn {
  std::string username, password;              // empty username: no account to sign in with
  std::vector<crypto::Certificate> idp_roots;  // trust for the IdP's TLS
};

struct HtmlForm {
  std::string action, method = "get";
  std::vector<std::pair<std::string, std::string>> hidden;
  std::string error;  // the text of an element with id="error", if any
  std::string field(const std::string& name) const;  // a hidden input's value, "" if absent
};
// The first <form> of a page, its hidden inputs, and an id="error" element's text.
Result<HtmlForm> parse_sign_in_page(const std::string& html);

struct WebFlow {
  std::string start_url;
  // Added to every request to the start URL's origin (e.g. x-apple-aspen-deviceinfo).
  std::vector<std::pair<std::string, std::string>> server_headers;
  // Trust and transcript for the start URL's origin; other origins get the sign-in's roots.
  net::HttpClientOptions server_options;
  const WebSignIn* sign_in = nullptr;
  std::string error_prefix = "web";  // error codes: <prefix>_sign_in_required, ..._failed
};

struct WebEnd {
  std::string content_type, body;    // the last answer
  std::optional<HtmlForm> app_form;  // set: the end page's form, posting to a non-web action
};

boost::asio::awaitable<Result<WebEnd>> browse(boost::asio::any_io_executor executor, WebFlow flow);

}  // namespace mdmlab::simulators::web
