#include "server/admin/json_request.hpp"

#include "core/net/media_type.hpp"
#include "protocol/json/strict_json.hpp"
#include "server/admin/json_responses.hpp"

namespace mdmlab::server::admin {

std::optional<net::HttpResponse> read_json_object(const net::HttpRequest& req,
                                                  nlohmann::json& out) {
  if (!net::media_type_is(req.header("Content-Type"), "application/json"))
    return json_error(415, "unsupported_media_type", "the body must be application/json");
  auto parsed = parse_strict_json(req.body);
  if (!parsed) return json_error(400, "bad_json", parsed.error().message);
  if (!parsed->is_object()) return json_error(400, "bad_json", "body is not a JSON object");
  out = std::move(*parsed);
  return std::nullopt;
}

}  // namespace mdmlab::server::admin
