// Declarative management steps through mdmlab's admin API (server.ddm_declare, ddm_assign,
// ddm_remove) and the server.ddm subject: what the server stored from the device's status
// reports, per declaration, and the Errors they carried.
#include "core/net/http_message.hpp"
#include "scenarios/engine/scenario_run.hpp"

namespace mdmlab::scenarios {
namespace asio = boost::asio;
using nlohmann::json;

namespace {
Error refused(const char* what, const net::HttpResponse& res) {
  return make_error("ddm_failed", std::string(what) + ": admin API answered " +
                                      std::to_string(res.status) + ": " + res.body);
}
}  // namespace

asio::awaitable<Result<void>> ScenarioRun::ddm_action(const std::string& verb, const Step& step,
                                                      std::string& note) {
  const auto& ep = env_->endpoints();
  const std::string set = step.with.value("set", std::string("default"));
  const std::string base = "/admin/v1/apple/ddm/";
  if (verb == "ddm_declare") {
    if (!step.with.contains("declaration") || !step.with["declaration"].is_object())
      co_return make_error("bad_step", "server.ddm_declare needs a declaration object");
    const json declaration = step.with["declaration"];
    // Stored without notifying, then put in the set: devices assigned to it are told once.
    auto put = co_await call(ep.admin_url, "PUT", base + "declarations?notify=false",
                             declaration.dump(), true);
    if (!put) co_return put.error();
    if (put->status != 200) co_return refused("declaration", *put);
    const auto id = declaration.value("Identifier", std::string());
    auto member = co_await call(
        ep.admin_url, "PUT",
        base + "sets/" + net::percent_encode(set) + "/declarations/" + net::percent_encode(id), "",
        true);
    if (!member) co_return member.error();
    if (member->status != 200) co_return refused("set", *member);
    note = put->body;
    co_return success();
  }
  if (verb == "ddm_assign") {
    auto udids = udids_of(step.with);
    if (!udids) co_return udids.error();
    for (const auto& udid : *udids) {
      auto res = co_await call(
          ep.admin_url, "PUT",
          base + "enrollments/" + net::percent_encode(udid) + "/sets/" + net::percent_encode(set),
          "", true);
      if (!res) co_return res.error();
      if (res->status != 200) co_return refused("assignment", *res);
    }
    co_return success();
  }
  if (verb == "ddm_remove") {
    const auto id = step.with.value("identifier", std::string());
    auto res = co_await call(ep.admin_url, "DELETE",
                             base + "declarations/" + net::percent_encode(id), "", true);
    if (!res) co_return res.error();
    if (res->status != 200) co_return refused("removal", *res);
    co_return success();
  }
  co_return make_error("unknown_action", "the server cannot '" + verb + "'");
}

asio::awaitable<json> ScenarioRun::observe_ddm(const std::string& device_id) {
  auto* mac = device(device_id);
  if (!mac) co_return json(nullptr);
  const auto& ep = env_->endpoints();
  auto target = "/admin/v1/apple/ddm/enrollments/" +
                net::percent_encode(mac->enrollment_id(false)) + "/status";
  auto res = co_await call(ep.admin_url, "GET", target, "", true, false);
  if (!res || res->status != 200) co_return json(nullptr);
  auto body = json::parse(res->body, nullptr, false);  // named: a range-for over a temporary
  if (!body.is_object() || !body.contains("declarations") || !body["declarations"].is_array())
    co_return json(nullptr);
  json declarations = json::object();
  for (const auto& d : body["declarations"])
    if (d.is_object() && d.contains("identifier") && d["identifier"].is_string())
      declarations[d["identifier"].get<std::string>()] = d;
  json errors = body.value("errors", json::array());
  co_return json{{"declarations", declarations},
                 {"errors", errors},
                 {"error_count", errors.size()},
                 {"reported", !declarations.empty()}};
}

}  // namespace mdmlab::scenarios
