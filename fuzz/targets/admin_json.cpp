// The admin API's JSON bodies (POST /admin/v1/apple/commands): strict JSON parsing as the
// routes do it (protocol/json/strict_json.hpp), the JSON -> plist conversion of "command"
// ({"$data": b64} for <data>), the raw "plist" form, the command plist that would be queued,
// and the JSON answers the admin API writes back (dump of whatever strings came in).
#include <nlohmann/json.hpp>

#include <string_view>

#include "protocol/apple/command.hpp"
#include "protocol/json/strict_json.hpp"
#include "protocol/plist/json.hpp"
#include "protocol/plist/xml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using nlohmann::json;
  auto parsed =
      mdmlab::parse_strict_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed) return 0;
  auto& body = *parsed;
  (void)body.dump(-1, ' ', false, json::error_handler_t::replace);
  if (!body.is_object()) return 0;
  mdmlab::apple::Command cmd;
  if (auto p = body.find("plist"); p != body.end() && p->is_string()) {
    auto parsed = mdmlab::apple::decode_command(p->get<std::string>());
    if (!parsed) return 0;
    cmd = std::move(*parsed);
  } else if (auto c = body.find("command"); c != body.end()) {
    auto v = mdmlab::plist::from_json(*c);
    if (!v) return 0;
    cmd.command = std::move(*v);
  }
  if (auto u = body.find("command_uuid"); u != body.end() && u->is_string())
    cmd.command_uuid = u->get<std::string>();
  if (auto xml = mdmlab::apple::encode_command(cmd)) (void)mdmlab::apple::decode_command(*xml);
  json answer{{"command_uuid", cmd.command_uuid}, {"request_type", cmd.request_type()}};
  (void)answer.dump(-1, ' ', false, json::error_handler_t::replace);
  return 0;
}
