// Queuing commands on a server that is not mdmlab: target.json's "command_api" says how
// (method, URL template with {udid}, the body as the raw command plist or a JSON template with
// {udid} and {plist}, HTTP basic or bearer auth). The runner builds the command plist itself,
// with its own CommandUUID, so `as` binds it and device-side expectations find it:
//   "command_api": {"url": "http://127.0.0.1:9000/v1/enqueue/{udid}", "body": "plist",
//                   "basic_user": "nanomdm", "basic_password_env": "NANOMDM_API_KEY"}
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "core/net/transcript.hpp"
#include "scenarios/engine/target_http.hpp"

namespace mdmlab::scenarios {

struct CommandApi {
  std::string method = "PUT";
  std::string url;             // {udid} is replaced by the percent-encoded enrollment id
  std::string body = "plist";  // "plist", or a JSON template with {udid} and {plist}
  TargetAuth auth;
};

// The "command_api" object of target.json (secrets inline, _file relative to `base`, or _env).
Result<CommandApi> read_command_api(const nlohmann::json& j, const std::filesystem::path& base);

struct BuiltCommand {
  std::string command_uuid, request_type, xml;
};
// The command plist a server.enqueue step describes: a typed command (type, params), a raw
// Command dict (command) or a whole plist (plist); a fresh CommandUUID unless the plist has one.
Result<BuiltCommand> build_command(const nlohmann::json& with);

// Sends the command to one enrollment; any 2xx is success.
boost::asio::awaitable<Result<void>> enqueue_with_adapter(
    boost::asio::any_io_executor executor, CommandApi api, std::string udid, BuiltCommand command,
    std::shared_ptr<net::Transcript> transcript);

}  // namespace mdmlab::scenarios
