#include "scenarios/engine/command_adapter.hpp"

#include "common/bytes.hpp"
#include "crypto/random.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/apple/typed_commands.hpp"
#include "protocol/plist/json.hpp"

namespace mdmlab::scenarios {
using nlohmann::json;

Result<CommandApi> read_command_api(const json& j, const std::filesystem::path& base) {
  if (auto r = check_adapter_keys(j, "command_api", {"method", "url", "body"}); !r)
    return r.error();
  CommandApi api;
  api.method = j.value("method", api.method);
  api.url = j.value("url", std::string());
  api.body = j.value("body", api.body);
  if (api.url.find("{udid}") == std::string::npos && api.body.find("{udid}") == std::string::npos)
    return make_error("target", "command_api: the url or the body template needs {udid}");
  if (api.body != "plist" && api.body.find("{plist}") == std::string::npos)
    return make_error("target", "command_api: body is \"plist\" or a JSON template with {plist}");
  auto auth = read_target_auth(j, base);
  if (!auth) return auth.error();
  api.auth = *auth;
  return api;
}

Result<BuiltCommand> build_command(const json& with) {
  apple::Command c;
  if (with.contains("plist")) {
    auto decoded = apple::decode_command(with["plist"].get<std::string>());
    if (!decoded) return decoded.error();
    c = std::move(*decoded);
  } else if (with.contains("command")) {
    auto v = plist::from_json(with["command"]);
    if (!v) return v.error();
    c.command = std::move(*v);
  } else if (with.contains("type")) {
    auto v = apple::build_typed_command(with["type"].get<std::string>(),
                                        with.value("params", json::object()));
    if (!v) return v.error();
    c.command = std::move(*v);
  } else {
    return make_error("bad_step", "server.enqueue needs type, command or plist");
  }
  if (c.command_uuid.empty()) c.command_uuid = crypto::random_uuid();
  auto xml = apple::encode_command(c);
  if (!xml) return xml.error();
  return BuiltCommand{c.command_uuid, c.request_type(), *xml};
}

boost::asio::awaitable<Result<void>> enqueue_with_adapter(
    boost::asio::any_io_executor executor, CommandApi api, std::string udid, BuiltCommand command,
    std::shared_ptr<net::Transcript> transcript) {
  auto url_text = fill_template(api.url, {{"udid", net::percent_encode(udid)}});
  net::HttpRequest req;
  req.method = api.method;
  if (api.body == "plist") {
    req.body = command.xml;
    req.headers.emplace_back("Content-Type", "application/x-apple-plist");
  } else {
    // JSON strings without their quotes, so the template decides the shape.
    auto quoted = [](const std::string& s) {
      auto q = json(s).dump();
      return q.substr(1, q.size() - 2);
    };
    req.body = fill_template(api.body, {{"udid", quoted(udid)}, {"plist", quoted(command.xml)}});
    req.headers.emplace_back("Content-Type", "application/json");
  }
  auto res = co_await send_to_target(executor, url_text, std::move(req), api.auth, transcript);
  if (!res) co_return res.error();
  if (res->status < 200 || res->status > 299)
    co_return make_error("enqueue_failed", api.method + " " + url_text + " answered " +
                                               std::to_string(res->status) +
                                               (res->body.empty() ? "" : ": " + res->body));
  co_return success();
}

}  // namespace mdmlab::scenarios
