// How the runner talks to a target's own APIs (command_api, command_results' URL): templates
// whose {names} it fills, and authentication, HTTP basic ("basic_user" with "basic_password",
// "_file" or "_env") or a bearer token ("bearer", "_file" or "_env"), read from the adapter's
// object in target.json.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/bytes.hpp"
#include "core/net/http_message.hpp"
#include "core/net/transcript.hpp"
#include "scenarios/engine/target_secret.hpp"

namespace mdmlab::scenarios {

// `text` with every {name} of `values` replaced by its value.
inline std::string fill_template(std::string text,
                                 const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [name, value] : values) {
    const auto key = "{" + name + "}";
    for (auto p = text.find(key); p != std::string::npos; p = text.find(key, p + value.size()))
      text.replace(p, key.size(), value);
  }
  return text;
}

struct TargetAuth {
  std::string basic_user, basic_password;  // HTTP basic auth when basic_user is set
  std::string bearer;                      // else a bearer token when set

  // The keys read_target_auth() takes, for the adapters' unknown-key checks.
  static const std::vector<std::string>& keys() {
    static const std::vector<std::string> k = {
        "basic_user", "basic_password", "basic_password_file", "basic_password_env",
        "bearer",     "bearer_file",    "bearer_env"};
    return k;
  }

  void apply(net::HttpRequest& req) const {
    if (!basic_user.empty())
      req.headers.emplace_back(
          "Authorization", "Basic " + base64_encode(to_bytes(basic_user + ":" + basic_password)));
    else if (!bearer.empty())
      req.headers.emplace_back("Authorization", "Bearer " + bearer);
  }
};

// An adapter object of target.json (`name`: "command_api", ...) holds only string values under
// its own keys and TargetAuth's; anything else is an error naming the key.
inline Result<void> check_adapter_keys(const nlohmann::json& j, const std::string& name,
                                       std::vector<std::string> known) {
  if (!j.is_object()) return make_error("target", name + " is an object");
  known.insert(known.end(), TargetAuth::keys().begin(), TargetAuth::keys().end());
  for (const auto& [key, value] : j.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end())
      return make_error("target", name + ": unknown key `" + key + "`");
    if (!value.is_string()) return make_error("target", name + ": " + key + " is a string");
  }
  return success();
}

inline Result<TargetAuth> read_target_auth(const nlohmann::json& j,
                                           const std::filesystem::path& base) {
  TargetAuth auth;
  auth.basic_user = j.value("basic_user", std::string());
  auto password = target_secret(j, "basic_password", base);
  if (!password) return password.error();
  auth.basic_password = *password;
  auto bearer = target_secret(j, "bearer", base);
  if (!bearer) return bearer.error();
  auth.bearer = *bearer;
  return auth;
}

// `req` (method, headers, body) sent to `url_text` (its templates filled) with `auth`, on a
// connection of its own, drawn in `transcript` (may be null) as the runner's.
boost::asio::awaitable<Result<net::HttpResponse>> send_to_target(
    boost::asio::any_io_executor executor, std::string url_text, net::HttpRequest req,
    const TargetAuth& auth, std::shared_ptr<net::Transcript> transcript);

}  // namespace mdmlab::scenarios
